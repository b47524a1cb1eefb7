import datetime as dt

import pytest
from django.utils import timezone

from mentorship.models import Goal
from tests.factories import GoalFactory, MilestoneFactory

URL = "/api/v1/goals/"


def test_a_mentee_sets_a_smart_goal(mentee_client):
    target = timezone.localdate() + dt.timedelta(days=90)
    body = {
        "title": "Give a talk at a meetup",
        "description": "A 20-minute talk on our data pipeline, by March.",
        "skills": ["Public speaking", "storytelling"],
        "target_date": str(target),
    }

    response = mentee_client.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    goal = response.json()
    assert goal["status"] == "open"
    assert goal["progress"] == 0.0
    assert sorted(goal["skills"]) == ["Public speaking", "storytelling"]
    assert goal["target_date"] == str(target)


def test_progress_is_the_share_of_milestones_done(mentee, mentee_client):
    goal = GoalFactory(mentee=mentee)
    milestones = [
        mentee_client.post(f"{URL}{goal.pk}/milestones/", {"title": f"Step {i}"}, format="json") for i in range(4)
    ]
    assert all(m.status_code == 201 for m in milestones)

    mentee_client.patch(f"{URL}{goal.pk}/milestones/{milestones[0].json()['id']}/", {"done": True}, format="json")

    body = mentee_client.get(f"{URL}{goal.pk}/").json()
    assert body["progress"] == 0.25
    done = [m for m in body["milestones"] if m["done"]]
    assert len(done) == 1 and done[0]["done_at"] is not None


def test_unticking_a_milestone_clears_when_it_was_done(mentee, mentee_client):
    milestone = MilestoneFactory(goal=GoalFactory(mentee=mentee))
    url = f"{URL}{milestone.goal_id}/milestones/{milestone.pk}/"
    mentee_client.patch(url, {"done": True}, format="json")

    response = mentee_client.patch(url, {"done": False}, format="json")

    assert response.json()["done_at"] is None


def test_a_goal_is_achieved_edited_and_deleted_by_its_mentee(mentee, mentee_client):
    goal = GoalFactory(mentee=mentee)

    assert mentee_client.patch(f"{URL}{goal.pk}/", {"status": "achieved"}, format="json").json()["status"] == "achieved"
    assert mentee_client.delete(f"{URL}{goal.pk}/").status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_the_active_mentor_reads_but_cannot_change_the_goals(mentorship, mentee, mentor_client):
    goal = GoalFactory(mentee=mentee)

    assert [g["id"] for g in mentor_client.get(URL).json()["results"]] == [goal.pk]
    assert mentor_client.patch(f"{URL}{goal.pk}/", {"title": "Mine now"}, format="json").status_code == 403
    assert mentor_client.delete(f"{URL}{goal.pk}/").status_code == 403
    assert mentor_client.post(f"{URL}{goal.pk}/milestones/", {"title": "x"}, format="json").status_code == 403
    goal.refresh_from_db()
    assert goal.title != "Mine now"


def test_a_mentor_loses_sight_of_the_goals_when_the_mentorship_ends(mentorship, mentee, mentor_client):
    goal = GoalFactory(mentee=mentee)
    mentor_client.post(f"/api/v1/mentorships/{mentorship.pk}/complete/")

    assert mentor_client.get(f"{URL}{goal.pk}/").status_code == 404


def test_other_people_never_see_a_goal(mentee, outsider_client, outsider_mentor_client):
    goal = GoalFactory(mentee=mentee)

    for client in (outsider_client, outsider_mentor_client):
        assert client.get(f"{URL}{goal.pk}/").status_code == 404
        assert client.get(f"{URL}{goal.pk}/milestones/").status_code == 404
        assert client.get(URL).json()["count"] == 0


def test_only_mentees_set_goals(mentor_client):
    assert mentor_client.post(URL, {"title": "Mentor better"}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "status": "finished"}, "status"),
        ({"title": "ok", "target_date": "2020-01-01"}, "target_date"),
        ({"title": "ok", "target_date": "soon"}, "target_date"),
        ({"title": "ok", "skills": [None]}, "skills"),
        ({"title": "ok", "owner": 3}, "owner"),
    ],
)
def test_invalid_goals_are_400_on_the_field(mentee_client, body, field):
    response = mentee_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_goals_filter_by_status(mentee, mentee_client):
    GoalFactory(mentee=mentee, status="dropped")
    GoalFactory(mentee=mentee)

    assert mentee_client.get(URL, {"status": "dropped"}).json()["count"] == 1
