"""Goals that keep up: milestones are edited, reordered and deleted by their owner."""

import pytest
from django.urls import reverse

from mentorship.models import Milestone
from tests.conftest import client_for
from tests.factories import GoalFactory


def _add(client, goal, title, due_date=None):
    body = {"title": title} if due_date is None else {"title": title, "due_date": due_date}
    return client.post(reverse("milestone-list", args=[goal.pk]), body, format="json").json()


def _titles(goal) -> list[str]:
    return list(Milestone.objects.filter(goal=goal).values_list("title", flat=True))


def _patch(client, milestone_id, goal, body):
    return client.patch(reverse("milestone-detail", args=[goal.pk, milestone_id]), body, format="json")


@pytest.fixture
def steps(mentee):
    goal = GoalFactory(mentee=mentee)
    client = client_for(mentee)
    made = [_add(client, goal, title) for title in ("Outline", "Draft", "Rehearse", "Give the talk")]
    return goal, client, made


def test_new_milestones_go_last_whatever_their_date(mentee):
    goal = GoalFactory(mentee=mentee)
    client = client_for(mentee)

    _add(client, goal, "Later", "2030-05-01")
    _add(client, goal, "Sooner", "2030-01-01")

    assert _titles(goal) == ["Later", "Sooner"]


def test_a_milestone_moves_and_the_others_close_up(steps):
    goal, client, made = steps

    moved = _patch(client, made[3]["id"], goal, {"position": 0})

    assert moved.status_code == 200 and moved.json()["position"] == 0
    assert _titles(goal) == ["Give the talk", "Outline", "Draft", "Rehearse"]
    assert _patch(client, made[3]["id"], goal, {"position": 99}).status_code == 200
    assert _titles(goal) == ["Outline", "Draft", "Rehearse", "Give the talk"]
    shown = client.get(reverse("goal-detail", args=[goal.pk])).json()["milestones"]
    assert [m["position"] for m in shown] == [0, 1, 2, 3]


def test_a_milestone_is_edited_and_deleted(steps):
    goal, client, made = steps

    edited = _patch(client, made[1]["id"], goal, {"title": "Write the draft", "due_date": "2031-02-03"})
    deleted = client.delete(reverse("milestone-detail", args=[goal.pk, made[0]["id"]]))

    assert edited.status_code == 200 and edited.json()["due_date"] == "2031-02-03"
    assert deleted.status_code == 204
    assert _titles(goal) == ["Write the draft", "Rehearse", "Give the talk"]


@pytest.mark.parametrize(
    ("body", "field"), [({"position": -1}, "position"), ({"position": "first"}, "position"), ({"title": ""}, "title")]
)
def test_bad_changes_are_refused_on_their_field(steps, body, field):
    goal, client, made = steps

    answer = _patch(client, made[0]["id"], goal, body)

    assert answer.status_code == 400 and field in answer.json()


def test_only_the_owner_moves_them(steps, mentor, mentee):
    from tests.factories import MentorshipFactory

    goal, _, made = steps
    MentorshipFactory(mentee=mentee, mentor=mentor)

    answer = _patch(client_for(mentor), made[2]["id"], goal, {"position": 0})

    assert answer.status_code == 403
    assert _titles(goal)[0] == "Outline"


def test_a_mentee_reads_my_goals_not_their_own_name(mentee, mentorship, client):
    GoalFactory(mentee=mentee, title="Speak at a meetup")
    client.force_login(mentee)

    for url in (reverse("goal-list-page"), reverse("home"), reverse("mentorship-page", args=[mentorship.pk])):
        page = client.get(url).content.decode()
        assert "My goals" in page
        assert f"{mentee.full_name}’s goals" not in page and f"Goals of {mentee.get_short_name()}" not in page


def test_a_new_milestone_may_be_placed_first(steps):
    goal, client, _ = steps

    body = {"title": "Pick a topic", "position": 0}
    made = client.post(reverse("milestone-list", args=[goal.pk]), body, format="json")

    assert made.status_code == 201 and made.json()["position"] == 0
    assert _titles(goal)[:2] == ["Pick a topic", "Outline"]
