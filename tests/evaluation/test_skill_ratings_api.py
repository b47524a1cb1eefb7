import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from evaluation.models import SkillRating
from tests.conftest import client_for
from tests.evaluation.skill_worlds import bring, skill_id
from tests.factories import GoalFactory, SkillFactory
from tests.mentorship.together_worlds import complete, world_of


def _url(mentorship):
    return reverse("mentorship-skill-ratings", args=[mentorship.pk])


def _put(user, mentorship, stage, levels: dict, **extra):
    body = {"stage": stage, "ratings": [{"skill": skill_id(name), "level": lv} for name, lv in levels.items()]}
    return client_for(user).put(_url(mentorship), {**body, **extra}, format="json")


def _skills(subject) -> dict:
    return {line["skill"]["name"]: line for line in subject["skills"]}


def _only_subject(body):
    assert len(body["subjects"]) == 1
    return body["subjects"][0]


@pytest.fixture
def pair(mentee, mentor, mentorship):
    """Maya came to Otto with a goal naming Python and SQL (and a suggestion nobody approved); another open goal of
    hers names Rust, which she did not bring here."""
    goal = bring(mentorship, mentee, "Python", "SQL")
    goal.skills.add(SkillFactory(name="Vibe coding", status="suggested", suggested_by=mentee))
    other = GoalFactory(mentee=mentee, title="Learn Rust")
    other.skills.add(SkillFactory(name="Rust"))
    return mentorship


def test_a_mentee_rates_the_approved_skills_of_the_goals_she_brought(pair, mentee):
    body = client_for(mentee).get(_url(pair)).json()

    subject = _only_subject(body)
    assert subject["person"]["id"] == mentee.pk
    assert list(_skills(subject)) == ["Python", "SQL"]
    assert subject["can_rate"] == ["start"]
    assert {s["stage"]: s["open"] for s in body["stages"]} == {"start": True, "completion": False}


def test_without_goals_in_the_request_the_goals_held_open_are_rated(mentee, mentor, mentorship):
    open_goal = GoalFactory(mentee=mentee)
    open_goal.skills.add(SkillFactory(name="Negotiation"))
    dropped = GoalFactory(mentee=mentee, status="dropped")
    dropped.skills.add(SkillFactory(name="Juggling"))

    subject = _only_subject(client_for(mentee).get(_url(mentorship)).json())

    assert list(_skills(subject)) == ["Negotiation"]


def test_a_start_rating_is_saved_and_a_second_one_replaces_it(pair, mentee):
    first = _put(mentee, pair, "start", {"Python": 2, "SQL": 3})
    again = _put(mentee, pair, "start", {"Python": 3})

    assert first.status_code == 200 and again.status_code == 200
    skills = _skills(_only_subject(again.json()))
    assert skills["Python"]["by_self"] == {"start": 3, "completion": None, "gain": None}
    assert skills["SQL"]["by_self"]["start"] == 3
    assert SkillRating.objects.filter(mentorship=pair, stage="start").count() == 2


def test_the_mentor_rates_the_mentee_and_she_reads_both_views(pair, mentee, mentor):
    answer = _put(mentor, pair, "start", {"Python": 1})  # a one-on-one's mentee, without naming her

    assert answer.status_code == 200
    rating = SkillRating.objects.get(rater=mentor)
    assert rating.subject == mentee and not rating.is_self_rating
    skills = _skills(_only_subject(client_for(mentee).get(_url(pair)).json()))
    assert skills["Python"]["by_mentor"]["start"] == 1
    assert skills["Python"]["by_self"]["start"] is None


@pytest.mark.parametrize("level", [0, 6, -1, "high", None])
def test_a_level_outside_1_to_5_is_refused_by_field(pair, mentee, level):
    answer = client_for(mentee).put(
        _url(pair), {"stage": "start", "ratings": [{"skill": skill_id("Python"), "level": level}]}, format="json"
    )

    assert answer.status_code == 400
    assert "level" in answer.json()["ratings"]["0"]
    assert not SkillRating.objects.exists()


def test_a_skill_not_among_hers_is_refused(pair, mentee):
    answer = _put(mentee, pair, "start", {"Python": 3, "Rust": 4})

    assert answer.status_code == 400
    assert "ratings" in answer.json()
    assert not SkillRating.objects.exists()  # all or nothing


@pytest.mark.parametrize(
    "body",
    [
        {"stage": "start", "ratings": []},
        {"stage": "middle", "ratings": [{"skill": 1, "level": 3}]},
        {"stage": "start", "ratings": "lots"},
        {"stage": "start", "ratings": [{"skill": 1, "level": 3}, {"skill": 1, "level": 4}]},
        {"stage": "start", "ratings": {"not-an-id": 3}},
        {"stage": "start", "ratings": [{"skill": 1, "level": 3, "extra": True}]},
    ],
)
def test_malformed_bodies_are_a_400(pair, mentee, body):
    assert client_for(mentee).put(_url(pair), body, format="json").status_code == 400


def test_the_form_of_radio_buttons_may_send_skill_ids_to_levels(pair, mentee):
    body = {"stage": "start", "subject": mentee.pk, "ratings": {str(skill_id("Python")): "4"}}

    answer = client_for(mentee).put(_url(pair), body, format="json")

    assert answer.status_code == 200
    assert _skills(_only_subject(answer.json()))["Python"]["by_self"]["start"] == 4


def test_completion_is_not_open_while_the_mentorship_runs(pair, mentee):
    answer = _put(mentee, pair, "completion", {"Python": 4})

    assert answer.status_code == 409
    assert answer.json()["code"] == "stage_closed"


def test_once_completed_the_start_closes_and_the_completion_opens_with_the_gain(pair, mentee):
    _put(mentee, pair, "start", {"Python": 2, "SQL": 4})
    complete(pair)

    late_start = _put(mentee, pair, "start", {"Python": 1})
    completion = _put(mentee, pair, "completion", {"Python": 4, "SQL": 3})

    assert late_start.status_code == 409 and late_start.json()["code"] == "stage_closed"
    assert completion.status_code == 200
    subject = _only_subject(completion.json())
    assert subject["can_rate"] == ["completion"]
    assert _skills(subject)["Python"]["by_self"] == {"start": 2, "completion": 4, "gain": 2}
    assert _skills(subject)["SQL"]["by_self"]["gain"] == -1


def test_completion_ratings_close_30_days_after_the_end(pair, mentee):
    complete(pair)
    pair.ended_at = timezone.now() - dt.timedelta(days=31)
    pair.save(update_fields=["ended_at"])

    answer = _put(mentee, pair, "completion", {"Python": 4})

    assert answer.status_code == 409 and answer.json()["code"] == "stage_closed"
    assert _only_subject(client_for(mentee).get(_url(pair)).json())["can_rate"] == []


def test_a_skill_rated_at_the_start_stays_to_rate_at_completion_when_the_goal_changes(pair, mentee):
    _put(mentee, pair, "start", {"SQL": 2})
    goal = mentee.goals.get(title__startswith="Grow")
    goal.skills.remove(SkillFactory(name="SQL"))
    complete(pair)

    answer = _put(mentee, pair, "completion", {"SQL": 3})

    assert answer.status_code == 200
    assert _skills(_only_subject(answer.json()))["SQL"]["by_self"]["gain"] == 1


@pytest.mark.parametrize("who", ["outsider", "outsider_mentor", "admin_user"])
def test_nobody_outside_the_mentorship_learns_of_its_ratings(pair, who, request):
    client = client_for(request.getfixturevalue(who))

    assert client.get(_url(pair)).status_code == 404
    assert _put(request.getfixturevalue(who), pair, "start", {"Python": 3}).status_code == 404


# --- A circle ---------------------------------------------------------------------------------------------------
@pytest.fixture
def circle(mentor):
    circle, (otto, ana, ben, cy) = world_of("circle", mentor=mentor)
    bring(circle, ana, "Hiring")
    bring(circle, ben, "Delegation", "Budgeting")
    return {"circle": circle, "otto": otto, "ana": ana, "ben": ben, "cy": cy}


def test_each_circle_member_reads_and_rates_only_their_own(circle):
    circle, ana, ben = circle["circle"], circle["ana"], circle["ben"]

    mine = _put(ana, circle, "start", {"Hiring": 2})
    other = _put(ana, circle, "start", {"Delegation": 3}, subject=ben.pk)

    assert mine.status_code == 200
    assert [s["person"]["id"] for s in mine.json()["subjects"]] == [ana.pk]
    assert other.status_code == 403
    assert not SkillRating.objects.filter(subject=ben).exists()


def test_the_circles_mentor_reads_every_member_and_names_whom_he_rates(circle):
    otto, ana, ben, cy = circle["otto"], circle["ana"], circle["ben"], circle["cy"]
    circle = circle["circle"]

    unnamed = _put(otto, circle, "start", {"Delegation": 3})
    named = _put(otto, circle, "start", {"Delegation": 3}, subject=ben.pk)
    a_stranger = _put(otto, circle, "start", {"Delegation": 3}, subject=otto.pk)

    assert unnamed.status_code == 400 and "subject" in unnamed.json()
    assert a_stranger.status_code == 400 and "subject" in a_stranger.json()
    assert named.status_code == 200
    subjects = {s["person"]["id"]: s for s in named.json()["subjects"]}
    assert list(subjects) == [ana.pk, ben.pk, cy.pk]
    assert _skills(subjects[ben.pk])["Delegation"]["by_mentor"]["start"] == 3
    assert subjects[cy.pk]["skills"] == [] and subjects[cy.pk]["can_rate"] == []


def _queries(call) -> int:
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        assert call().status_code == 200
    return count


def test_reading_a_circles_ratings_takes_the_same_queries_for_more_members(circle):
    otto, ana, cy = circle["otto"], circle["ana"], circle["cy"]
    circle = circle["circle"]
    client = client_for(otto)
    client.get(_url(circle))  # warm: the session, the content types
    few = _queries(lambda: client.get(_url(circle)))

    bring(circle, cy, "Public speaking", "Writing")
    _put(cy, circle, "start", {"Writing": 2})
    _put(otto, circle, "start", {"Hiring": 3}, subject=ana.pk)

    assert _queries(lambda: client.get(_url(circle))) <= few  # one fewer: nobody left without a goal brought


# --- A peer pair ------------------------------------------------------------------------------------------------
def test_peers_rate_only_themselves(db):
    pair, (ivy, jon) = world_of("peer")
    bring(pair, ivy, "dbt")
    bring(pair, jon, "Design docs")

    own = _put(ivy, pair, "start", {"dbt": 2})
    other = _put(ivy, pair, "start", {"Design docs": 4}, subject=jon.pk)

    assert own.status_code == 200
    subject = _only_subject(own.json())
    assert subject["person"]["id"] == ivy.pk
    assert _skills(subject)["dbt"]["by_mentor"] == {"start": None, "completion": None, "gain": None}
    assert other.status_code == 403
    assert _only_subject(client_for(jon).get(_url(pair)).json())["person"]["id"] == jon.pk
