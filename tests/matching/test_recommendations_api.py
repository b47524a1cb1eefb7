import pytest

from accounts.models import Skill
from matching import selectors
from mentorship import services
from tests.factories import (
    GoalFactory,
    MenteeFactory,
    MentorFactory,
    RequestFactory,
    SkillFactory,
    default_program,
    with_profile,
)

URL = "/api/v1/mentors/recommended/"


@pytest.fixture
def mentors(db):
    return {
        "best": with_profile(MentorFactory(username="best"), skills=["Python", "SQL"], industry="Healthcare"),
        "good": with_profile(MentorFactory(username="good"), skills=["Python"], industry="Retail"),
        "full": with_profile(
            MentorFactory(username="full"), skills=["Python", "SQL"], industry="Healthcare", capacity=0
        ),
        "closed": with_profile(MentorFactory(username="closed"), skills=["Python", "SQL"], accepting=False),
        "unrelated": with_profile(MentorFactory(username="unrelated"), skills=["Pottery"], industry="Arts"),
    }


@pytest.fixture
def seeker(mentee):
    return with_profile(mentee, skills=["Python", "SQL"], industry="Healthcare")


def usernames(response):
    assert response.status_code == 200, response.json()
    return [r["mentor"]["username"] for r in response.json()]


def test_a_mentee_sees_mentors_with_room_best_first_with_reasons(mentee_client, seeker, mentors):
    response = mentee_client.get(URL)

    assert usernames(response) == ["best", "good"]
    best = response.json()[0]
    assert 0 < best["score"] <= 1
    assert best["explanation"]["shared_skills"] == ["Python", "SQL"]
    assert best["explanation"]["industry"] == "Healthcare"
    assert sum(best["explanation"]["blocks"].values()) == pytest.approx(best["score"])
    assert best["mentor"]["open_slots"] == 2


def test_mentors_already_asked_had_or_declining_are_left_out(mentee_client, seeker, mentors):
    RequestFactory(mentee=seeker, mentor=mentors["best"])

    assert usernames(mentee_client.get(URL)) == ["good"]


def test_a_declined_pair_is_not_recommended_again(mentee_client, seeker, mentors):
    RequestFactory(mentee=seeker, mentor=mentors["best"], status="declined")

    assert "best" not in usernames(mentee_client.get(URL))


def test_recommendations_follow_profile_changes_and_slots(
    mentee_client, seeker, mentors, django_capture_on_commit_callbacks
):
    assert usernames(mentee_client.get(URL))[0] == "best"

    with_profile(mentors["good"], skills=["Python", "SQL"], industry="Healthcare")
    with django_capture_on_commit_callbacks(execute=True):  # "best" fills up, as mentors do: by accepting
        for _ in range(2):
            request = RequestFactory(mentor=mentors["best"], mentee=with_profile(MenteeFactory()))
            services.request_accept(request_id=request.pk, by=mentors["best"])

    assert usernames(mentee_client.get(URL)) == ["good"]


def test_limit_is_respected_and_checked(mentee_client, seeker, mentors):
    assert len(mentee_client.get(URL, {"limit": 1}).json()) == 1
    for bad in ("0", "51", "ten"):
        response = mentee_client.get(URL, {"limit": bad})
        assert response.status_code == 400
        assert list(response.json()) == ["limit"]


def test_only_mentees_get_recommendations(mentor_client, admin_client_api):
    assert mentor_client.get(URL).status_code == 403
    assert admin_client_api.get(URL).status_code == 403


def test_a_mentee_with_nothing_in_common_gets_an_empty_list(mentee_client, mentors):
    with_profile(MenteeFactory(username="x"), skills=[])

    assert mentee_client.get(URL).json() == []


def test_a_suggested_skill_counts_in_matching_once_approved(
    mentee_client, seeker, mentors, admin_client_api, django_capture_on_commit_callbacks
):
    """A suggestion is its author's and the admins' to see: no explanation may name it to anyone else, and a
    term nobody reviewed does not steer who is paired. Approved, it counts at once (the scorer refits)."""
    suggestion = SkillFactory(name="Quantum gardening", status=Skill.Status.SUGGESTED, suggested_by=seeker)
    seeker.profile.wanted_skills.add(suggestion)
    goal = GoalFactory(mentee=seeker)
    goal.skills.add(suggestion)
    mentors["unrelated"].profile.skills.add(suggestion)
    assert selectors.mentee_pool(default_program(), [seeker.pk]).skills == [["Python", "SQL"]]
    assert usernames(mentee_client.get(URL)) == ["best", "good"]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client_api.post(f"/api/v1/skills/suggestions/{suggestion.pk}/approve/", format="json")

    ranked = {r["mentor"]["username"]: r for r in mentee_client.get(URL).json()}
    assert ranked["unrelated"]["explanation"]["shared_skills"] == ["Quantum gardening"]


def test_a_mentor_no_directory_lists_is_not_recommended_either(mentee_client, seeker, mentors):
    """The directory's minimum (a headline or a bio, an approved skill, an industry) holds for recommendations."""
    unlisted = with_profile(MentorFactory(username="unlisted"), skills=["Python", "SQL"], industry=None)

    found = usernames(mentee_client.get(URL))

    assert "best" in found
    assert unlisted.username not in found
