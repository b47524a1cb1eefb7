"""The whole journey over the API, as a client would make it: tokens, no shortcuts."""

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from tests.accounts.signup import confirmation_token
from tests.factories import IndustryFactory, SkillFactory

pytestmark = pytest.mark.django_db(transaction=True)


def signed_up(username: str, role: str) -> APIClient:
    client = APIClient()
    password = "a-long-unusual-secret"
    email = f"{username}@example.org"
    body = {"username": username, "email": email, "password": password, "role": role}
    assert (
        client.post("/api/v1/auth/register/", {**body, "full_name": username.title()}, format="json").status_code == 201
    )
    confirmed = client.post("/api/v1/auth/register/confirm/", {"token": confirmation_token(email)}, format="json")
    assert confirmed.status_code == 201
    token = client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    return client


def test_browse_request_accept_log_rate_track_goals_complete():
    SkillFactory(name="Public speaking")  # the program's taxonomy, which people pick from
    IndustryFactory(name="Media")
    mentor = signed_up("rosa", "mentor")
    mentee = signed_up("tomas", "mentee")
    # What the directory needs before it lists a mentor: a headline (or bio), a skill and an industry.
    profile = {"headline": "Keynote coach", "skills": ["Public speaking"], "industry": "Media", "capacity": 1}
    assert mentor.patch("/api/v1/me/", profile, format="json").status_code == 200

    # The mentee sets a goal with milestones, finds the mentor and asks.
    goal = mentee.post(
        "/api/v1/goals/", {"title": "Speak at a conference", "skills": ["public speaking"]}, format="json"
    ).json()
    for title in ("Pick a topic", "Submit the proposal"):
        mentee.post(f"/api/v1/goals/{goal['id']}/milestones/", {"title": title}, format="json")
    found = mentee.get("/api/v1/mentors/", {"skill": "Public Speaking", "accepting": "true"}).json()["results"]
    assert [m["username"] for m in found] == ["rosa"]
    sent = mentee.post("/api/v1/requests/", {"mentor": found[0]["id"], "goals": [goal["id"]]}, format="json")
    assert sent.status_code == 201

    # The mentor sees the request and the goal, and accepts; the slot is taken.
    received = mentor.get("/api/v1/requests/", {"status": "pending"}).json()["results"]
    assert received[0]["goals"][0]["title"] == "Speak at a conference"
    accepted = mentor.post(f"/api/v1/requests/{received[0]['id']}/accept/").json()
    mentorship_id = accepted["mentorship"]
    assert mentee.get(f"/api/v1/mentors/{found[0]['id']}/").json()["open_slots"] == 0
    assert mentor.get(f"/api/v1/goals/{goal['id']}/").status_code == 200

    # A session is logged against the goal, the mentee rates it and ticks a milestone.
    today = str(timezone.localdate())
    session = mentor.post(
        f"/api/v1/mentorships/{mentorship_id}/sessions/",
        {"date": today, "duration_minutes": 45, "notes": "Chose a topic.", "goals": [goal["id"]]},
        format="json",
    ).json()
    rated = mentee.post(
        f"/api/v1/mentorships/{mentorship_id}/sessions/{session['id']}/feedback/", {"rating": 5}, format="json"
    )
    assert rated.status_code == 201
    first_milestone = mentee.get(f"/api/v1/goals/{goal['id']}/milestones/").json()["results"][0]
    mentee.patch(f"/api/v1/goals/{goal['id']}/milestones/{first_milestone['id']}/", {"done": True}, format="json")
    assert mentee.get(f"/api/v1/goals/{goal['id']}/").json()["progress"] == 0.5

    # The mentee completes the mentorship; the mentor is free again.
    done = mentee.post(f"/api/v1/mentorships/{mentorship_id}/complete/").json()
    assert done["status"] == "completed"
    assert mentee.get(f"/api/v1/mentors/{found[0]['id']}/").json()["open_slots"] == 1
    subjects = [m.subject for m in mail.outbox]
    assert "New mentorship request from Tomas" in subjects
    assert "Rosa accepted your mentorship request" in subjects
