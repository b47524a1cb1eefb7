import pytest
from django.utils import timezone

from accounts.models import Industry, Skill
from programs.models import Membership, Program
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    IndustryFactory,
    MembershipFactory,
    MenteeFactory,
    MentorshipFactory,
    ProgramFactory,
    SkillFactory,
)

URL = "/api/v1/me/"
FIELDS = {
    "id", "username", "email", "email_pending", "full_name", "role", "is_program_admin", "date_joined",
    "headline", "bio", "industry", "skills", "suggested_skills", "wanted_skills", "suggested_wanted_skills",
    "timezone", "languages", "years_experience", "capacity", "accepting_requests", "memberships", "calendar_url",
    "unread",
}  # fmt: skip


def mentor_membership(user, program=None):
    return Membership.objects.get(user=user, program=program or Program.objects.default(), role="mentor")


def test_anonymous_is_401_with_a_token_challenge(anon):
    response = anon.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("persona", ["mentor", "mentee", "admin_user"])
def test_everyone_gets_the_same_shape(request, persona):
    body = client_for(request.getfixturevalue(persona)).get(URL).json()

    assert set(body) == FIELDS


def test_a_mentor_of_the_default_program_reads_role_mentor_and_their_capacity_there(mentor_client, mentor):
    body = mentor_client.get(URL).json()

    assert (body["username"], body["role"]) == ("otto", "mentor")
    assert (body["capacity"], body["accepting_requests"]) == (2, True)
    [membership] = body["memberships"]
    assert membership == {
        "id": mentor_membership(mentor).pk,
        "program": "main",
        "program_name": Program.objects.default().name,
        "role": "mentor",
        "status": "active",
        "capacity": 2,
        "accepting_requests": True,
    }


def test_a_mentee_of_the_default_program_reads_role_mentee_and_no_capacity(mentee_client):
    body = mentee_client.get(URL).json()

    assert body["role"] == "mentee"
    assert (body["capacity"], body["accepting_requests"]) == (None, None)
    assert [(m["program"], m["role"], m["capacity"], m["accepting_requests"]) for m in body["memberships"]] == [
        ("main", "mentee", None, None)
    ]


def test_someone_who_both_mentors_and_is_mentored_there_reads_role_mentor(mentee_client, mentee):
    MembershipFactory(user=mentee, role="mentor", capacity=3)

    body = mentee_client.get(URL).json()

    assert (body["role"], body["capacity"]) == ("mentor", 3)
    assert sorted(m["role"] for m in body["memberships"]) == ["mentee", "mentor"]


def test_the_role_is_that_of_the_default_program_only(db):
    elsewhere = ProgramFactory(slug="reverse")
    junior = MembershipFactory(program=elsewhere, role="mentor").user
    MembershipFactory(user=junior, role="mentee")
    left = MembershipFactory(role="mentor", status="left").user

    assert client_for(junior).get(URL).json()["role"] == "mentee"
    assert client_for(junior).get(URL).json()["capacity"] is None  # their capacity is the reverse program's
    assert client_for(left).get(URL).json()["role"] == ""
    assert [m["status"] for m in client_for(left).get(URL).json()["memberships"]] == ["left"]


def test_site_staff_have_the_empty_role_and_an_empty_profile(admin_client_api):
    body = admin_client_api.get(URL).json()

    assert (body["is_program_admin"], body["role"], body["memberships"]) == (True, "", [])
    assert (body["skills"], body["wanted_skills"], body["languages"]) == ([], [], [])


def test_both_sides_of_the_profile_are_read_apart(mentee_client, mentee):
    mentee.profile.skills.set([SkillFactory(name="Spreadsheets")])
    mentee.profile.wanted_skills.set([SkillFactory(name="Python"), SkillFactory(name="SQL")])

    body = mentee_client.get(URL).json()

    assert body["skills"] == ["Spreadsheets"]
    assert body["wanted_skills"] == ["Python", "SQL"]


def test_the_answer_takes_a_fixed_number_of_queries(mentee_client, mentee, django_assert_max_num_queries):
    for slug in ("a", "b", "c"):
        MembershipFactory(user=mentee, program=ProgramFactory(slug=slug), role="mentor")

    with django_assert_max_num_queries(6):  # the sixth counts unread messages (issue 14)
        assert mentee_client.get(URL).status_code == 200


def test_mentor_updates_profile_naming_skills_and_industry_by_name(mentor_client, mentor):
    IndustryFactory(name="Renewable Energy")
    response = mentor_client.patch(
        URL,
        {
            "full_name": "Otto M. Mentor",
            "headline": "Staff engineer",
            "capacity": 4,
            "accepting_requests": False,
            "industry": "Renewable Energy",
            "skills": ["Python", "System design"],
            "timezone": "Europe/Berlin",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    profile = response.json()
    assert profile["full_name"] == "Otto M. Mentor"
    assert profile["capacity"] == 4
    assert profile["accepting_requests"] is False
    assert profile["industry"] == "Renewable Energy"
    assert sorted(profile["skills"]) == ["Python", "System design"]
    mentor.profile.refresh_from_db()
    assert mentor.profile.timezone == "Europe/Berlin"
    assert (mentor_membership(mentor).capacity, mentor_membership(mentor).accepting_requests) == (4, False)


def test_skills_named_in_another_case_reuse_the_existing_term(mentee_client, db):
    SkillFactory(name="Public speaking")

    response = mentee_client.patch(URL, {"skills": ["public SPEAKING", "  Negotiation  "]}, format="json")

    assert response.status_code == 200
    assert sorted(response.json()["skills"]) == ["Negotiation", "Public speaking"]
    assert Skill.objects.filter(name__iexact="public speaking").count() == 1


def test_skills_can_be_named_by_id(mentee_client, db):
    skill = SkillFactory(name="Negotiation")

    response = mentee_client.patch(URL, {"skills": [skill.pk]}, format="json")

    assert response.json()["skills"] == ["Negotiation"]


def test_unknown_skill_id_is_a_400_and_changes_nothing(mentee_client, mentee):
    response = mentee_client.patch(URL, {"skills": [99999], "bio": "changed"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"skills": ["No skill with id 99999."]}
    mentee.profile.refresh_from_db()
    assert mentee.profile.bio == ""


def test_industry_can_be_cleared(mentee_client, mentee):
    mentee.profile.industry = Industry.objects.create(name="Healthcare")
    mentee.profile.save()

    response = mentee_client.patch(URL, {"industry": None}, format="json")

    assert response.json()["industry"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": 51}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"years_experience": -3}, "years_experience"),
        ({"accepting_requests": "maybe"}, "accepting_requests"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"headline": "x" * 161}, "headline"),
        ({"skills": "Python"}, "skills"),
        ({"skills": [True]}, "skills"),
        ({"skills": [""]}, "skills"),
        ({"skills": ["x" * 81]}, "skills"),
        ({"skills": [f"Skill {i}" for i in range(31)]}, "skills"),
        ({"industry": {"name": "Retail"}}, "industry"),
        ({"wanted_skills": "Python"}, "wanted_skills"),
        ({"wanted_skills": [f"Skill {i}" for i in range(31)]}, "wanted_skills"),
        ({"languages": "English"}, "languages"),
        ({"languages": ["English", ""]}, "languages"),
        ({"languages": ["x" * 41]}, "languages"),
        ({"languages": [f"Language {i}" for i in range(11)]}, "languages"),
        ({"languages": ["Eng\nlish"]}, "languages"),
    ],
)
def test_invalid_profile_values_are_400_with_the_field_named(mentor_client, mentor, changes, field):
    response = mentor_client.patch(URL, {**changes, "bio": "changed"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    mentor.profile.refresh_from_db()
    assert (mentor.profile.bio, mentor_membership(mentor).capacity) == ("", 2)


@pytest.mark.parametrize("field", ["capacity", "accepting_requests"])
def test_someone_who_is_not_a_mentor_of_the_default_program_cannot_set_a_mentors_fields(mentee_client, mentee, field):
    MembershipFactory(user=mentee, program=ProgramFactory(slug="reverse"), role="mentor")
    value = 3 if field == "capacity" else False

    response = mentee_client.patch(URL, {field: value, "bio": "changed"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    mentee.profile.refresh_from_db()
    assert mentee.profile.bio == ""
    assert Membership.objects.get(user=mentee, role="mentor").capacity == 2


def test_a_capacity_below_the_mentees_one_has_is_a_400_naming_capacity(mentor_client, mentor):
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor, status="completed", ended_at=timezone.now())  # no longer counts

    response = mentor_client.patch(URL, {"capacity": 1, "bio": "changed"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["capacity"]
    assert mentor_membership(mentor).capacity == 2
    mentor.profile.refresh_from_db()
    assert mentor.profile.bio == ""


def test_a_capacity_equal_to_the_mentees_one_has_is_fine(mentor_client, mentor):
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor)
    MembershipFactory(user=mentor, program=ProgramFactory(slug="reverse"), role="mentor")

    response = mentor_client.patch(URL, {"capacity": 2}, format="json")

    assert response.status_code == 200
    assert response.json()["capacity"] == 2


def test_mentees_in_another_program_do_not_count_against_the_default_programs_capacity(mentor_client, mentor):
    elsewhere = ProgramFactory(slug="reverse")
    MembershipFactory(user=mentor, program=elsewhere, role="mentor")
    MentorshipFactory(mentor=mentor, program=elsewhere)

    response = mentor_client.patch(URL, {"capacity": 0}, format="json")

    assert response.status_code == 200
    assert mentor_membership(mentor).capacity == 0


def test_a_mentee_who_patches_skills_gets_them_as_skills_they_can_teach(mentee_client, mentee):
    """A deliberate change of the v1 contract: `skills` always means what a person can teach; a mentee's skills to
    grow are `wanted_skills` (before programs, a mentee's `skills` were those)."""
    mentee.profile.wanted_skills.set([SkillFactory(name="Leadership")])

    body = mentee_client.patch(URL, {"skills": ["Spreadsheets"]}, format="json").json()

    assert (body["skills"], body["wanted_skills"]) == (["Spreadsheets"], ["Leadership"])
    assert list(mentee.profile.skills.values_list("name", flat=True)) == ["Spreadsheets"]
    assert list(mentee.profile.wanted_skills.values_list("name", flat=True)) == ["Leadership"]


def test_both_sides_and_the_rest_of_the_profile_are_everyones(mentee_client, mentee):
    response = mentee_client.patch(
        URL,
        {
            "headline": "Analyst moving into data engineering",
            "years_experience": 4,
            "languages": ["English", " Español "],
            "skills": ["Excel"],
            "wanted_skills": ["Python", "SQL"],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["headline"], body["years_experience"]) == ("Analyst moving into data engineering", 4)
    assert body["languages"] == ["English", "Español"]
    assert (body["skills"], body["wanted_skills"]) == (["Excel"], ["Python", "SQL"])


def test_site_staff_may_fill_in_a_profile_too(admin_client_api):
    """Every account has a profile now (staff may mentor somewhere); before programs this was a 400."""
    response = admin_client_api.patch(URL, {"bio": "hi"}, format="json")

    assert response.status_code == 200
    assert response.json()["bio"] == "hi"


def test_a_suggestion_moved_to_the_other_side_stays_the_same_suggestion(mentee_client, mentee):
    mentee_client.patch(URL, {"skills": ["Beekeeping"]}, format="json")
    suggestion = Skill.objects.get(name="Beekeeping")

    body = mentee_client.patch(URL, {"skills": [], "wanted_skills": [suggestion.pk]}, format="json").json()

    assert (body["skills"], body["wanted_skills"]) == ([], ["Beekeeping"])
    assert body["suggested_wanted_skills"] == ["Beekeeping"]
    assert Skill.objects.suggestions().get().pk == suggestion.pk


def test_username_role_and_memberships_cannot_be_changed(mentee_client, mentee):
    response = mentee_client.patch(URL, {"role": "mentor", "username": "root", "memberships": []}, format="json")

    assert response.status_code == 400
    assert sorted(response.json()) == ["memberships", "role", "username"]
    mentee.refresh_from_db()
    assert mentee.username == "maya"
    assert list(Membership.objects.filter(user=mentee).values_list("role", flat=True)) == ["mentee"]


def test_an_email_taken_by_someone_else_is_not_refused_nor_changed(mentee_client, mentee):
    """Refusing would tell anyone signed in who is registered: the change waits for its link instead (see
    test_email_change_api.py), and this one's never comes."""
    MenteeFactory(username="taken", email="taken@example.org")

    response = mentee_client.patch(URL, {"email": "TAKEN@example.org", "current_password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["email_pending"]) == ("maya@example.org", "TAKEN@example.org")


def test_keeping_ones_own_email_is_fine(mentee_client, mentee):
    response = mentee_client.patch(URL, {"email": mentee.email.upper()}, format="json")

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["email_pending"]) == ("maya@example.org", None)


def test_malformed_json_is_a_400(mentee_client):
    response = mentee_client.patch(URL, "{nope", content_type="application/json")

    assert response.status_code == 400


def test_skills_with_non_ascii_capitals_are_found_again_whatever_the_database(mentee_client):
    first = mentee_client.patch(URL, {"skills": ["Ärger-Management", "Öffentlichkeitsarbeit"]}, format="json")
    again = mentee_client.patch(URL, {"skills": ["Ärger-Management"]}, format="json")

    assert first.status_code == again.status_code == 200
    assert again.json()["skills"] == ["Ärger-Management"]
