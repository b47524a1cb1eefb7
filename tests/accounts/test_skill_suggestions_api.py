"""The curated taxonomy over the API: people pick skills and industries; a new skill name is its author's
suggestion, seen by them and by program admins only, until an admin approves, merges or rejects it."""

import pytest

from accounts.models import Industry, Skill
from mentorship.models import Goal
from tests.conftest import client_for
from tests.factories import AdminFactory, GoalFactory, IndustryFactory, MenteeFactory, MentorshipFactory, SkillFactory

ME = "/api/v1/me/"
SKILLS = "/api/v1/skills/"
SUGGESTIONS = "/api/v1/skills/suggestions/"


def suggestion_of(person, name="Quantum gardening", *, on=()):
    """A skill `person` suggested, named by the profiles and goals given (or by a skills manager given, such as a
    profile's `wanted_skills`)."""
    skill = SkillFactory(name=name, status=Skill.Status.SUGGESTED, suggested_by=person)
    for holder in on:
        (holder if hasattr(holder, "add") else holder.skills).add(skill)
    return skill


def names(response, key="results"):
    assert response.status_code == 200, response.json()
    return [term["name"] for term in response.json()[key]]


# --- Suggesting -------------------------------------------------------------------------------------------------


def test_a_new_skill_name_becomes_the_authors_suggestion_on_their_profile(mentee_client, mentee):
    SkillFactory(name="Python")

    response = mentee_client.patch(ME, {"skills": ["python", "Quantum gardening"]}, format="json")

    assert response.status_code == 200, response.json()
    assert sorted(response.json()["skills"]) == ["Python", "Quantum gardening"]
    assert response.json()["suggested_skills"] == ["Quantum gardening"]
    suggestion = Skill.objects.get(name="Quantum gardening")
    assert (suggestion.status, suggestion.suggested_by, suggestion.suggested_at is not None) == (
        Skill.Status.SUGGESTED,
        mentee,
        True,
    )
    assert Skill.objects.get(name="Python").status == Skill.Status.APPROVED


def test_a_suggestion_is_found_by_its_author_and_admins_only(mentee, mentee_client, outsider_client, admin_client_api):
    suggestion_of(mentee, on=[mentee.profile])
    SkillFactory(name="Gardening")

    mine = mentee_client.get(SKILLS, {"q": "garden"}).json()["results"]

    assert [(t["name"], t["status"]) for t in mine] == [("Gardening", "approved"), ("Quantum gardening", "suggested")]
    assert names(outsider_client.get(SKILLS, {"q": "garden"})) == ["Gardening"]
    assert names(admin_client_api.get(SKILLS, {"q": "garden"})) == ["Gardening", "Quantum gardening"]
    assert names(mentee_client.get(SKILLS, {"q": "garden", "status": "approved"})) == ["Gardening"]
    assert names(mentee_client.get(SKILLS, {"q": "garden", "status": "suggested"})) == ["Quantum gardening"]


def test_an_unknown_status_filter_is_a_400(mentee_client):
    response = mentee_client.get(SKILLS, {"status": "rejected"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_others_see_a_mentors_approved_skills_only_and_cannot_filter_by_a_suggestion(
    mentor, mentor_client, outsider_client
):
    profile = mentor.profile
    profile.skills.set([SkillFactory(name="Python")])
    suggestion = suggestion_of(mentor, on=[profile])

    listed = outsider_client.get("/api/v1/mentors/").json()["results"]
    shown = outsider_client.get(f"/api/v1/mentors/{mentor.pk}/").json()
    by_name = outsider_client.get("/api/v1/mentors/", {"skill": "Quantum gardening"}).json()
    by_id = outsider_client.get("/api/v1/mentors/", {"skill": str(suggestion.pk)}).json()
    own = mentor_client.get(ME).json()

    assert [m["skills"] for m in listed] == [["Python"]]
    assert shown["skills"] == ["Python"]
    assert by_name["count"] == by_id["count"] == 0
    assert (own["skills"], own["suggested_skills"]) == (["Python", "Quantum gardening"], ["Quantum gardening"])


def test_a_mentor_reads_the_approved_skills_of_their_mentees_goals(mentee, mentor, mentee_client, mentor_client):
    MentorshipFactory(mentee=mentee, mentor=mentor)
    goal = GoalFactory(mentee=mentee)
    goal.skills.add(SkillFactory(name="Public speaking"))
    suggestion_of(mentee, on=[goal])

    as_mentee = mentee_client.get(f"/api/v1/goals/{goal.pk}/").json()
    as_mentor = mentor_client.get(f"/api/v1/goals/{goal.pk}/").json()

    assert (as_mentee["skills"], as_mentee["suggested_skills"]) == (
        ["Public speaking", "Quantum gardening"],
        ["Quantum gardening"],
    )
    assert (as_mentor["skills"], as_mentor["suggested_skills"]) == (["Public speaking"], [])


def test_another_persons_suggestion_cannot_be_named_by_id(mentee, outsider_client, outsider):
    suggestion = suggestion_of(mentee, on=[mentee.profile])

    response = outsider_client.patch(ME, {"skills": [suggestion.pk]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"skills": [f"No skill with id {suggestion.pk}."]}
    assert not outsider.profile.skills.exists()


def test_the_same_new_name_from_someone_else_joins_the_waiting_suggestion(mentee, outsider, outsider_client, settings):
    settings.SKILL_SUGGESTIONS_PER_PERSON = 1
    suggestion = suggestion_of(mentee, on=[mentee.profile])
    suggestion_of(outsider, "Beekeeping", on=[outsider.profile])  # Oscar's one suggestion

    response = outsider_client.patch(ME, {"skills": ["Beekeeping", "quantum GARDENING"]}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["suggested_skills"] == ["Beekeeping", "Quantum gardening"]
    assert Skill.objects.filter(name__iexact="quantum gardening").get() == suggestion
    assert suggestion.teaching_profiles.count() == 2


def test_a_suggestion_its_author_stops_naming_is_withdrawn(mentee_client, mentee):
    mentee_client.patch(ME, {"skills": ["Quantum gardening"]}, format="json")
    goal = mentee_client.post("/api/v1/goals/", {"title": "Grow", "skills": ["Beekeeping"]}, format="json").json()

    mentee_client.patch(ME, {"skills": ["Quantum gardning"]}, format="json")  # a typo, then its correction
    mentee_client.patch(ME, {"skills": ["Quantum gardening"]}, format="json")
    mentee_client.delete(f"/api/v1/goals/{goal['id']}/")

    assert list(Skill.objects.suggestions().values_list("name", flat=True)) == ["Quantum gardening"]


# --- The cap ----------------------------------------------------------------------------------------------------


def test_a_person_may_have_only_so_many_suggestions_waiting(mentee_client, mentee, settings):
    settings.SKILL_SUGGESTIONS_PER_PERSON = 3
    SkillFactory(name="Python")

    too_many = mentee_client.patch(ME, {"skills": ["A1", "A2", "A3", "A4"], "bio": "changed"}, format="json")

    assert too_many.status_code == 400
    assert list(too_many.json()) == ["skills"]
    assert too_many.json()["skills"][0].startswith("At most 3 new skills you suggest may wait")
    assert "this would make 4" in too_many.json()["skills"][0]
    assert not Skill.objects.suggestions().exists()
    mentee.profile.refresh_from_db()
    assert mentee.profile.bio == ""

    assert mentee_client.patch(ME, {"skills": ["Python", "A1", "A2", "A3"]}, format="json").status_code == 200
    goal = mentee_client.post("/api/v1/goals/", {"title": "Grow", "skills": ["A4"]}, format="json")
    assert goal.status_code == 400
    assert list(goal.json()) == ["skills"]
    assert not Goal.objects.exists()
    # Picking existing skills and its own suggestions still works at the cap; so does replacing one.
    picked = mentee_client.post("/api/v1/goals/", {"title": "Grow", "skills": ["python", "a1"]}, format="json")
    assert picked.status_code == 201
    assert mentee_client.patch(ME, {"skills": ["Python", "A1", "A2", "B3"]}, format="json").status_code == 200
    assert sorted(Skill.objects.suggestions().values_list("name", flat=True)) == ["A1", "A2", "B3"]


def test_twenty_saves_full_of_new_names_add_no_more_than_the_cap(mentee_client, settings):
    """The review's flood: 20 PATCHes of 30 new names each once added 600 terms that every page then listed."""
    settings.SKILL_SUGGESTIONS_PER_PERSON = 10

    statuses = [
        mentee_client.patch(ME, {"skills": [f"Spam {i}-{j}" for j in range(30)]}, format="json").status_code
        for i in range(20)
    ]

    assert statuses == [400] * 20
    assert Skill.objects.count() == 0
    assert mentee_client.patch(ME, {"skills": [f"Spam {j}" for j in range(10)]}, format="json").status_code == 200
    assert Skill.objects.count() == 10


# --- Industries: a picklist ---------------------------------------------------------------------------------------


def test_an_industry_not_on_the_list_is_a_400_naming_industry(mentor_client, mentor):
    IndustryFactory(name="Healthcare")

    response = mentor_client.patch(ME, {"industry": "Space mining", "bio": "changed"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["industry"]
    assert "Space mining" in response.json()["industry"][0]
    assert not Industry.objects.filter(name="Space mining").exists()
    mentor.profile.refresh_from_db()
    assert mentor.profile.bio == ""
    assert mentor_client.patch(ME, {"industry": "healthcare"}, format="json").json()["industry"] == "Healthcare"


def test_only_program_admins_add_skills_and_industries(admin_client_api, mentee_client, mentee):
    suggestion = suggestion_of(mentee, "Beekeeping", on=[mentee.profile])

    added = admin_client_api.post(SKILLS, {"name": "Rust"}, format="json")
    again = admin_client_api.post(SKILLS, {"name": "rust"}, format="json")
    approved = admin_client_api.post(SKILLS, {"name": "beekeeping"}, format="json")
    industry = admin_client_api.post("/api/v1/industries/", {"name": "Agriculture"}, format="json")
    refused = mentee_client.post(SKILLS, {"name": "Sneaky"}, format="json")
    refused_industry = mentee_client.post("/api/v1/industries/", {"name": "Sneaky"}, format="json")

    assert (added.status_code, added.json()["status"]) == (201, "approved")
    assert (again.status_code, again.json()["id"]) == (200, added.json()["id"])
    assert (approved.status_code, approved.json()) == (
        200,
        {"id": suggestion.pk, "name": "Beekeeping", "status": "approved"},
    )
    assert (industry.status_code, industry.json()["name"]) == (201, "Agriculture")
    assert refused.status_code == refused_industry.status_code == 403
    assert not Skill.objects.filter(name="Sneaky").exists()
    assert not Industry.objects.filter(name="Sneaky").exists()


# --- Reviewing ------------------------------------------------------------------------------------------------


def test_admins_list_the_suggestions_with_who_and_how_many_use_them(admin_client_api, mentee, outsider):
    goal = GoalFactory(mentee=mentee)
    suggestion_of(mentee, on=[mentee.profile, goal, outsider.profile])
    SkillFactory(name="Python")

    body = admin_client_api.get(SUGGESTIONS).json()

    assert body["count"] == 1
    [row] = body["results"]
    assert (row["name"], row["status"], row["uses"]) == ("Quantum gardening", "suggested", 3)
    assert row["suggested_by"] == {"id": mentee.pk, "username": "maya", "full_name": "Maya Mentee"}


def test_approving_shows_the_skill_to_everyone(
    admin_client_api, mentor, outsider_client, django_capture_on_commit_callbacks
):
    suggestion = suggestion_of(mentor, on=[mentor.profile])  # beside the factory's approved "Mentoring"
    assert outsider_client.get("/api/v1/mentors/").json()["results"][0]["skills"] == ["Mentoring"]  # kept by it

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/approve/", {}, format="json")

    assert response.json() == {"id": suggestion.pk, "name": "Quantum gardening", "status": "approved"}
    assert outsider_client.get("/api/v1/mentors/").json()["results"][0]["skills"] == ["Mentoring", "Quantum gardening"]
    assert names(outsider_client.get(SKILLS, {"q": "quantum"})) == ["Quantum gardening"]
    assert outsider_client.get("/api/v1/mentors/", {"skill": "quantum gardening"}).json()["count"] == 1
    assert admin_client_api.get(SUGGESTIONS).json()["count"] == 0


def test_an_admin_may_mend_the_spelling_when_approving_but_not_to_a_name_in_use(admin_client_api, mentee):
    suggestion = suggestion_of(mentee, "quantum  Gardening")
    SkillFactory(name="Gardening")

    taken = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/approve/", {"name": "GARDENING"}, format="json")
    mended = admin_client_api.post(
        f"{SUGGESTIONS}{suggestion.pk}/approve/", {"name": "Quantum gardening"}, format="json"
    )

    assert taken.status_code == 400
    assert list(taken.json()) == ["name"]
    assert mended.json()["name"] == "Quantum gardening"


def test_merging_moves_every_reference_to_the_approved_skill_once(admin_client_api, mentee, outsider):
    target = SkillFactory(name="Gardening")
    other = SkillFactory(name="Python")
    goal = GoalFactory(mentee=mentee)
    outsider.profile.skills.add(target, other)  # Oscar has both already: he keeps one Gardening
    outsider.profile.wanted_skills.add(target)
    holders = [mentee.profile, mentee.profile.wanted_skills, goal, outsider.profile, outsider.profile.wanted_skills]
    suggestion = suggestion_of(mentee, on=holders)

    response = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/merge/", {"into": "gardening"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == {"id": target.pk, "name": "Gardening", "status": "approved"}
    assert not Skill.objects.filter(pk=suggestion.pk).exists()
    assert list(mentee.profile.skills.all()) == [target]
    assert list(goal.skills.all()) == [target]
    assert list(outsider.profile.skills.all()) == [target, other]
    assert Skill.teaching_profiles.through.objects.filter(skill=target).count() == 2
    assert list(mentee.profile.wanted_skills.all()) == list(outsider.profile.wanted_skills.all()) == [target]


def test_merging_by_id_into_an_approved_skill_only(admin_client_api, mentee):
    suggestion = suggestion_of(mentee, on=[mentee.profile])
    another = suggestion_of(mentee, "Beekeeping")
    target = SkillFactory(name="Gardening")

    into_suggestion = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/merge/", {"into": another.pk}, format="json")
    into_nothing = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/merge/", {"into": "Nothing"}, format="json")
    missing = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/merge/", {}, format="json")
    merged = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/merge/", {"into": target.pk}, format="json")

    assert into_suggestion.status_code == into_nothing.status_code == missing.status_code == 400
    assert list(into_suggestion.json()) == list(into_nothing.json()) == list(missing.json()) == ["into"]
    assert merged.status_code == 200
    assert list(mentee.profile.skills.all()) == [target]


def test_rejecting_removes_the_suggestion_from_every_profile_and_goal(admin_client_api, mentee, outsider):
    kept = SkillFactory(name="Python")
    goal = GoalFactory(mentee=mentee)
    goal.skills.add(kept)
    suggestion = suggestion_of(mentee, on=[mentee.profile, goal, outsider.profile, outsider.profile.wanted_skills])

    response = admin_client_api.post(f"{SUGGESTIONS}{suggestion.pk}/reject/", {}, format="json")

    assert response.status_code == 204
    assert not Skill.objects.filter(pk=suggestion.pk).exists()
    assert not mentee.profile.skills.exists()
    assert not outsider.profile.skills.exists()
    assert not outsider.profile.wanted_skills.exists()
    assert list(goal.skills.all()) == [kept]


@pytest.mark.parametrize("action", ["approve", "merge", "reject"])
def test_reviewing_is_for_program_admins_and_only_of_suggestions(action, mentee, mentee_client, admin_client_api):
    suggestion = suggestion_of(mentee)
    approved = SkillFactory(name="Gardening")
    body = {"into": approved.pk} if action == "merge" else {}

    def review(client, skill_id):
        return client.post(f"{SUGGESTIONS}{skill_id}/{action}/", body, format="json").status_code

    assert review(mentee_client, suggestion.pk) == 403
    assert review(client_for(MenteeFactory()), 999999) == 403
    assert review(admin_client_api, 999999) == 404
    assert review(admin_client_api, approved.pk) == 404  # an approved skill is not a suggestion
    assert review(admin_client_api, suggestion.pk) in (200, 204)
    assert review(admin_client_api, suggestion.pk) == 404  # reviewed once


def test_the_django_admin_tells_suggestions_apart_and_approves_them_through_the_service(client, mentor):
    staff = AdminFactory(username="root", is_superuser=True)
    suggestion = suggestion_of(mentor, on=[mentor.profile])
    SkillFactory(name="Python")
    before = mentor.profile.updated_at
    client.force_login(staff)

    waiting = client.get("/django-admin/accounts/skill/", {"status__exact": "suggested"})
    approved = client.post(
        "/django-admin/accounts/skill/", {"action": "approve", "_selected_action": [suggestion.pk]}, follow=True
    )

    assert waiting.status_code == 200
    assert "Quantum gardening" in waiting.content.decode()
    assert "Python" not in waiting.content.decode()
    assert approved.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == Skill.Status.APPROVED
    mentor.profile.refresh_from_db()
    assert mentor.profile.updated_at > before  # the recommendations refit
