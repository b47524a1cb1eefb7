"""A mentee's ranking is kept between calls, and never shown stale: it is computed again as soon as their
profile, goals or requests change, or a mentor or a slot does (the directory's version)."""

import pytest

from tests.conftest import client_for
from tests.factories import GoalFactory, MentorFactory, with_profile

URL = "/api/v1/mentors/recommended/"

pytestmark = pytest.mark.django_db(transaction=True)  # the directory's version moves when writes commit


@pytest.fixture
def mentors(db):
    return {
        "python": with_profile(MentorFactory(username="python"), skills=["Python"], industry="Retail"),
        "design": with_profile(MentorFactory(username="design"), skills=["Design"], industry="Arts"),
    }


@pytest.fixture
def seeker(mentee):
    return with_profile(mentee, skills=["Python"])


def ranked(client) -> list[str]:
    response = client.get(URL)
    assert response.status_code == 200, response.content
    return [r["mentor"]["username"] for r in response.json()]


def test_a_kept_ranking_is_answered_without_ranking_again(
    mentee_client, seeker, mentors, django_assert_max_num_queries
):
    first = mentee_client.get(URL)

    with django_assert_max_num_queries(1):  # the key's one query; the answer comes from the cache
        kept = mentee_client.get(URL)

    assert kept.content == first.content
    assert kept["Content-Type"] == "application/json"


def test_a_mentor_the_mentee_asks_leaves_the_ranking_and_comes_back_when_withdrawn(mentee_client, seeker, mentors):
    assert ranked(mentee_client)[0] == "python"

    sent = mentee_client.post("/api/v1/requests/", {"mentor": mentors["python"].pk}, format="json")
    assert "python" not in ranked(mentee_client)

    mentee_client.post(f"/api/v1/requests/{sent.json()['id']}/withdraw/", format="json")
    assert ranked(mentee_client)[0] == "python"


def test_the_ranking_follows_the_mentees_profile(mentee_client, seeker, mentors):
    assert ranked(mentee_client)[0] == "python"

    # On /me/, a mentee's skills to grow are `wanted_skills` (issue 12; `skills` are what one can teach).
    mentee_client.patch("/api/v1/me/", {"wanted_skills": ["Design"]}, format="json")

    assert ranked(mentee_client)[0] == "design"


def test_the_ranking_follows_the_skills_of_the_mentees_goals(mentee_client, mentee, mentors):
    with_profile(mentee, skills=[])
    goal = GoalFactory(mentee=mentee, title="Grow", description="")
    mentee_client.patch(f"/api/v1/goals/{goal.pk}/", {"skills": ["Design"]}, format="json")
    assert ranked(mentee_client) == ["design"]

    mentee_client.patch(f"/api/v1/goals/{goal.pk}/", {"skills": ["Python"]}, format="json")
    assert ranked(mentee_client) == ["python"]

    mentee_client.delete(f"/api/v1/goals/{goal.pk}/")
    assert ranked(mentee_client) == []


def test_the_ranking_follows_a_mentors_profile(mentee_client, seeker, mentors):
    assert ranked(mentee_client)[0] == "python"

    client_for(mentors["design"]).patch("/api/v1/me/", {"skills": ["Python", "Design"]}, format="json")
    client_for(mentors["python"]).patch("/api/v1/me/", {"accepting_requests": False}, format="json")

    assert ranked(mentee_client) == ["design"]


def test_each_limit_is_kept_apart(mentee_client, seeker, mentors):
    with_profile(mentors["design"], skills=["Python"], industry="Arts")

    assert len(mentee_client.get(URL, {"limit": 1}).json()) == 1
    assert len(mentee_client.get(URL, {"limit": 2}).json()) == 2
