import datetime as dt

import pytest
from django.utils import timezone

from mentorship.models import Feedback, Session
from tests.conftest import client_for
from tests.factories import GoalFactory, MentorshipFactory, SessionFactory

TODAY = timezone.localdate


def sessions_url(mentorship):
    return f"/api/v1/mentorships/{mentorship.pk}/sessions/"


def feedback_url(session):
    return f"/api/v1/mentorships/{session.mentorship_id}/sessions/{session.pk}/feedback/"


# --- Mentorships ------------------------------------------------------------------------------------------


def test_both_people_see_the_mentorship_and_an_outsider_does_not(
    mentorship, mentee_client, mentor_client, outsider_client
):
    for client in (mentee_client, mentor_client):
        body = client.get("/api/v1/mentorships/").json()
        assert [m["id"] for m in body["results"]] == [mentorship.pk]
    assert outsider_client.get("/api/v1/mentorships/").json()["count"] == 0
    assert outsider_client.get(f"/api/v1/mentorships/{mentorship.pk}/").status_code == 404


def test_admins_see_every_mentorship(mentorship, admin_client_api):
    MentorshipFactory()

    assert admin_client_api.get("/api/v1/mentorships/").json()["count"] == 2


def test_completing_frees_the_mentors_slot(mentorship, mentee_client, mentor_client, mentor):
    assert mentor_client.get(f"/api/v1/mentors/{mentor.pk}/").json()["open_slots"] == 1

    response = mentee_client.post(f"/api/v1/mentorships/{mentorship.pk}/complete/")

    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    assert response.json()["ended_at"] is not None
    assert mentor_client.get(f"/api/v1/mentors/{mentor.pk}/").json()["open_slots"] == 2


def test_completing_twice_is_409(mentorship, mentor_client):
    mentor_client.post(f"/api/v1/mentorships/{mentorship.pk}/complete/")

    assert mentor_client.post(f"/api/v1/mentorships/{mentorship.pk}/complete/").status_code == 409


def test_an_admin_may_read_but_not_complete_a_mentorship(mentorship, admin_client_api):
    assert admin_client_api.post(f"/api/v1/mentorships/{mentorship.pk}/complete/").status_code == 403


def test_mentorships_filter_by_status(mentorship, mentee_client):
    assert mentee_client.get("/api/v1/mentorships/", {"status": "completed"}).json()["count"] == 0
    assert mentee_client.get("/api/v1/mentorships/", {"status": "done"}).status_code == 400


# --- Sessions ---------------------------------------------------------------------------------------------


def test_the_mentor_logs_a_session_with_the_goals_touched(mentorship, mentor_client, mentee_client, mentee):
    goal = GoalFactory(mentee=mentee, title="Give a conference talk")
    body = {
        "date": str(TODAY() - dt.timedelta(days=2)),
        "duration_minutes": 50,
        "notes": "Outlined the talk.",
        "topics": ["storytelling", "slides", "storytelling"],
        "goals": [goal.pk],
    }

    response = mentor_client.post(sessions_url(mentorship), body, format="json")

    assert response.status_code == 201, response.json()
    session = response.json()
    assert session["topics"] == ["storytelling", "slides"]
    assert session["goals"] == [{"id": goal.pk, "title": "Give a conference talk"}]
    assert session["feedback"] is None
    listed = mentee_client.get(sessions_url(mentorship)).json()
    assert [s["id"] for s in listed["results"]] == [session["id"]]
    assert mentee_client.get("/api/v1/mentorships/").json()["results"][0]["session_count"] == 1


def test_the_mentee_cannot_log_a_session(mentorship, mentee_client):
    body = {"date": str(TODAY()), "duration_minutes": 30}

    assert mentee_client.post(sessions_url(mentorship), body, format="json").status_code == 403
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": str(TODAY() + dt.timedelta(days=1))}, "date"),
        ({"date": str(TODAY() - dt.timedelta(days=400))}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"topics": "one"}, "topics"),
        ({"goals": [999999]}, "goals"),
    ],
)
def test_invalid_sessions_are_400_on_the_field(mentorship, mentor_client, changes, field):
    body = {"date": str(TODAY()), "duration_minutes": 30, **changes}

    response = mentor_client.post(sessions_url(mentorship), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_completed_mentorship_takes_no_new_session(mentorship, mentor_client):
    mentor_client.post(f"/api/v1/mentorships/{mentorship.pk}/complete/")

    response = mentor_client.post(
        sessions_url(mentorship), {"date": str(TODAY()), "duration_minutes": 30}, format="json"
    )

    assert response.status_code == 409


def test_outsiders_cannot_see_or_log_sessions(mentorship, outsider_client, outsider_mentor_client):
    SessionFactory(mentorship=mentorship)

    assert outsider_client.get(sessions_url(mentorship)).status_code == 404
    body = {"date": str(TODAY()), "duration_minutes": 30}
    assert outsider_mentor_client.post(sessions_url(mentorship), body, format="json").status_code == 404


# --- Feedback ---------------------------------------------------------------------------------------------


def test_the_mentee_rates_a_session_once(mentorship, mentee_client, mentor_client):
    session = SessionFactory(mentorship=mentorship)

    body = {"rating": 5, "comment": "Very useful.", "shared": True}
    first = mentee_client.post(feedback_url(session), body, format="json")
    second = mentee_client.post(feedback_url(session), {"rating": 1}, format="json")

    assert first.status_code == 201
    assert second.status_code == 409
    seen_by_mentor = mentor_client.get(f"{sessions_url(mentorship)}{session.pk}/").json()
    assert seen_by_mentor["feedback"]["rating"] == 5
    assert seen_by_mentor["feedback"]["comment"] == "Very useful."  # shared with him


@pytest.mark.parametrize("rating", [0, 6, "five", None])
def test_ratings_are_1_to_5(mentorship, mentee_client, rating):
    session = SessionFactory(mentorship=mentorship)

    response = mentee_client.post(feedback_url(session), {"rating": rating}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["rating"]
    assert not Feedback.objects.exists()


def test_the_mentor_rates_a_session_he_came_to_but_not_one_he_missed(mentorship, mentor, mentee, mentor_client):
    came = SessionFactory(mentorship=mentorship)
    missed = SessionFactory(mentorship=mentorship, attendees=[mentee])

    assert mentor_client.post(feedback_url(came), {"rating": 5}, format="json").status_code == 201
    assert mentor_client.post(feedback_url(missed), {"rating": 5}, format="json").status_code == 403


def test_a_session_of_another_mentorship_is_404_under_this_one(mentorship, mentee):
    other = SessionFactory()

    url = f"/api/v1/mentorships/{mentorship.pk}/sessions/{other.pk}/feedback/"
    assert client_for(mentee).post(url, {"rating": 4}, format="json").status_code == 404
