"""Surveys: admins create them (from scratch or a template) and edit them until someone answers; the beat invites
whom each trigger names, once, in every format; the people asked answer once, in range, or are told why."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from evaluation import surveys
from evaluation.models import Survey, SurveyInvitation, SurveyResponse
from evaluation.tasks import send_survey_invitations
from notifications.models import Notification
from tests import formats
from tests.conftest import client_for
from tests.evaluation.surveys_world import QUESTIONS, admin_of, answer, asked, survey_in
from tests.factories import MentorshipFactory, ProgramFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def evening():
    return ProgramFactory(slug="evening", name="Evening mentoring")


def _list_url(program) -> str:
    return f"/api/v1/programs/{program.slug}/surveys/"


# --- Creating and editing ------------------------------------------------------------------------------------------


def test_an_admin_creates_a_survey_with_its_questions(evening):
    body = {"title": "Check-in", "audience": "mentees", "trigger": "days_after_start", "trigger_days": 30}

    response = client_for(admin_of(evening)).post(_list_url(evening), {**body, "questions": QUESTIONS}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["min_responses"] == 5
    assert [(q["kind"], q["required"]) for q in data["questions"]] == [
        ("likert", True),
        ("choice", True),
        ("text", False),
    ]
    assert data["questions"][1]["choices"] == ["Yes", "Maybe", "No"]


def test_an_admin_creates_the_midpoint_and_closing_surveys_in_a_click(evening):
    client = client_for(admin_of(evening))

    midpoint = client.post(_list_url(evening) + "from-template/", {"template": "midpoint"}, format="json")
    closing = client.post(_list_url(evening) + "from-template/", {"template": "closing"}, format="json")

    assert midpoint.status_code == closing.status_code == 201
    assert (midpoint.json()["trigger"], midpoint.json()["trigger_days"]) == ("days_after_start", 45)
    assert closing.json()["trigger"] == "on_completion"
    kinds = {q["kind"] for q in closing.json()["questions"]}
    assert kinds == {"likert", "choice", "text"}
    assert client.get(_list_url(evening)).json()["count"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trigger": "on_date"}, "trigger_date"),
        ({"trigger": "days_after_start", "trigger_days": None}, "trigger_days"),
        ({"questions": []}, "questions"),
        ({"questions": [{"kind": "choice", "text": "Pick", "choices": ["Only one"]}]}, "questions.0.choices"),
        ({"questions": [{"kind": "likert", "text": "Agree?", "choices": ["A", "B"]}]}, "questions.0.choices"),
        ({"min_responses": 1}, "min_responses"),
        ({"audience": "everybody"}, "audience"),
    ],
)
def test_a_survey_missing_what_its_trigger_or_questions_need_is_refused(evening, change, field):
    body = {"title": "Check-in", "audience": "all", "trigger": "days_after_start", "trigger_days": 30}

    response = client_for(admin_of(evening)).post(
        _list_url(evening), {**body, "questions": QUESTIONS, **change}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json() or field.split(".")[0] in response.json()


def test_only_the_programs_admins_reach_its_surveys(evening, mentee, mentor):
    survey = survey_in(evening)
    elsewhere = admin_of(ProgramFactory(slug="elsewhere"), username="oli")
    results = f"{_list_url(evening)}{survey.pk}/results/"

    assert client_for(mentee).get(_list_url(evening)).status_code == 403
    assert client_for(mentor).get(results).status_code == 403
    assert client_for(elsewhere).get(_list_url(evening)).status_code == 404
    assert client_for(elsewhere).get(results).status_code == 404


def test_questions_are_fixed_once_anyone_answered_but_the_title_may_change(evening):
    survey = survey_in(evening)
    client = client_for(admin_of(evening))
    url = f"{_list_url(evening)}{survey.pk}/"
    assert client.patch(url, {"questions": QUESTIONS[:1]}, format="json").status_code == 200
    answer(survey)

    refused = client.patch(url, {"questions": QUESTIONS}, format="json")
    renamed = client.patch(url, {"title": "Renamed"}, format="json")

    assert refused.status_code == 409 and refused.json()["code"] == "survey_answered"
    assert renamed.status_code == 200 and renamed.json()["title"] == "Renamed"
    assert survey.questions.count() == 1


# --- Who is asked --------------------------------------------------------------------------------------------------


def _asked(survey) -> set[tuple[str, str]]:
    return set(SurveyInvitation.objects.filter(survey=survey).values_list("user__username", "side"))


def test_days_after_start_asks_everyone_of_a_mentorship_that_ran_that_long_once(
    evening, mentee, mentor, django_capture_on_commit_callbacks
):
    MentorshipFactory(program=evening, mentee=mentee, mentor=mentor, started_at=NOW - dt.timedelta(days=31))
    MentorshipFactory(program=evening, started_at=NOW - dt.timedelta(days=29))  # too young
    survey = survey_in(evening, trigger_days=30)

    with django_capture_on_commit_callbacks(execute=True):
        first = surveys.survey_invitations_send(now=NOW)
        again = surveys.survey_invitations_send(now=NOW)

    assert (first, again) == (2, 0)
    assert _asked(survey) == {("maya", "mentee"), ("otto", "mentor")}
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(kind="survey", once_key=f"survey-{survey.pk}").count() == 2
    assert f"/surveys/{survey.pk}/" in mail.outbox[0].body


def test_a_circle_and_a_peer_pair_are_asked_each_person_with_their_side():
    circle = formats.circle_world()
    pair = formats.peer_world()
    for world in (circle, pair):
        key = "circle" if "circle" in world else "pair"
        world[key].started_at = NOW - dt.timedelta(days=60)
        world[key].save()
    in_circle = survey_in(circle["program"], audience="mentees")
    in_pair = survey_in(pair["program"], audience="all")

    surveys.survey_invitations_send(now=NOW)

    assert _asked(in_circle) == {("ana", "mentee"), ("ben", "mentee"), ("cy", "mentee")}  # Dan left; no mentor
    assert _asked(in_pair) == {("ivy", "peer"), ("jon", "peer")}


def test_on_completion_asks_only_those_whose_mentorship_completed_after_the_survey(evening):
    survey = survey_in(evening, trigger="on_completion", audience="mentors")
    before = MentorshipFactory(program=evening, status="completed", ended_at=survey.created_at - dt.timedelta(days=1))
    after = MentorshipFactory(program=evening, status="completed", ended_at=survey.created_at + dt.timedelta(minutes=1))
    MentorshipFactory(program=evening)  # still running

    surveys.survey_invitations_send()

    assert set(survey.invitations.values_list("user_id", flat=True)) == {after.mentor_id}
    assert before.mentor_id not in set(survey.invitations.values_list("user_id", flat=True))


def test_on_date_asks_those_in_a_mentorship_running_that_day_once_the_day_has_come(evening):
    day = timezone.localdate(NOW)
    survey = survey_in(evening, trigger="on_date", trigger_date=day + dt.timedelta(days=1), audience="mentees")
    running = MentorshipFactory(program=evening, started_at=NOW - dt.timedelta(days=10))
    MentorshipFactory(program=evening, started_at=NOW + dt.timedelta(days=3))  # starts later

    assert surveys.survey_invitations_send(now=NOW) == 0
    assert surveys.survey_invitations_send(now=NOW + dt.timedelta(days=1)) == 1
    assert set(survey.invitations.values_list("user_id", flat=True)) == {running.mentee_id}


def test_a_closed_survey_asks_nobody(evening):
    MentorshipFactory(program=evening, started_at=NOW - dt.timedelta(days=60))
    survey = survey_in(evening)
    Survey.objects.filter(pk=survey.pk).update(closed_at=NOW)

    assert surveys.survey_invitations_send(now=NOW) == 0


# --- Answering -----------------------------------------------------------------------------------------------------


def _answers(survey, **values):
    defaults = {"likert": 5, "choice": "Maybe", "text": "Good talks."}
    return [{"question": q.pk, "value": values.get(q.kind, defaults[q.kind])} for q in survey.questions.all()]


def _post(user, survey, answers):
    return client_for(user).post(f"/api/v1/surveys/{survey.pk}/responses/", {"answers": answers}, format="json")


def test_an_invited_person_answers_once_and_the_answer_does_not_name_them(evening, mentee):
    survey = survey_in(evening)
    invitation = asked(survey, "mentee", user=mentee)

    first = _post(mentee, survey, _answers(survey))
    second = _post(mentee, survey, _answers(survey))

    assert first.status_code == 201
    assert second.status_code == 409 and second.json()["code"] == "already_answered"
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    response = SurveyResponse.objects.get(survey=survey)
    assert response.side == "mentee" and {f.name for f in SurveyResponse._meta.fields} == {
        "id",
        "survey",
        "side",
        "submitted_on",
    }
    assert response.answers.count() == 3


def test_a_survey_you_were_not_asked_is_404(evening, mentee, outsider):
    survey = survey_in(evening)
    asked(survey, user=mentee)

    assert _post(outsider, survey, _answers(survey)).status_code == 404
    assert _post(outsider, survey, _answers(survey)).json().get("code") is None


def test_a_closed_survey_takes_no_answer(evening, mentee):
    survey = survey_in(evening)
    asked(survey, user=mentee)
    client_for(admin_of(evening)).post(f"{_list_url(evening)}{survey.pk}/close/")

    response = _post(mentee, survey, _answers(survey))

    assert response.status_code == 409 and response.json()["code"] == "survey_closed"


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        (lambda s, q: _answers(s, likert=6), "likert"),
        (lambda s, q: _answers(s, likert=0), "likert"),
        (lambda s, q: _answers(s, likert="high"), "likert"),
        (lambda s, q: _answers(s, choice="Never"), "choice"),
        (lambda s, q: [a for a in _answers(s) if a["question"] != q["likert"]], "likert"),
        (lambda s, q: [*_answers(s), {"question": q["elsewhere"], "value": 3}], "elsewhere"),
        (lambda s, q: [*_answers(s), {"question": q["likert"], "value": 3}], "likert"),  # twice
    ],
)
def test_an_answer_out_of_range_or_not_of_this_survey_is_400_by_question(evening, mentee, answers, key):
    survey = survey_in(evening)
    other = survey_in(evening)
    asked(survey, user=mentee)
    ids = {q.kind: q.pk for q in survey.questions.all()}
    ids["elsewhere"] = other.questions.first().pk

    response = _post(mentee, survey, answers(survey, ids))

    assert response.status_code == 400
    assert list(response.json()) == [f"answers.{ids[key]}"]
    assert not SurveyResponse.objects.exists()


def test_a_required_text_question_left_empty_is_400(evening, mentee):
    survey = survey_in(evening, questions=[{"kind": "text", "text": "What helped?"}])
    asked(survey, user=mentee)
    question = survey.questions.get()

    response = _post(mentee, survey, [{"question": question.pk, "value": "   "}])

    assert response.status_code == 400 and list(response.json()) == [f"answers.{question.pk}"]


@pytest.mark.parametrize("body", [{"answers": "all good"}, {"answers": [3]}, {"answers": [{"value": 3}]}, {}])
def test_answers_that_are_not_a_list_of_objects_are_400(evening, mentee, body):
    survey = survey_in(evening)
    asked(survey, user=mentee)

    response = client_for(mentee).post(f"/api/v1/surveys/{survey.pk}/responses/", body, format="json")

    assert response.status_code == 400 and "answers" in response.json()


def test_pending_lists_only_your_unanswered_surveys_of_open_ones(evening, mentee, outsider):
    waiting, answered, closed = survey_in(evening), survey_in(evening), survey_in(evening)
    for survey in (waiting, answered, closed):
        asked(survey, user=mentee)
    asked(survey_in(evening), user=outsider)
    surveys.survey_answer(survey_id=answered.pk, user=mentee, answers=_answers(answered))
    Survey.objects.filter(pk=closed.pk).update(closed_at=NOW)

    response = client_for(mentee).get("/api/v1/surveys/pending/")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [waiting.pk]
    assert len(response.json()["results"][0]["questions"]) == 3


def test_the_beat_runs_the_invitations_every_quarter_hour(evening, settings):
    MentorshipFactory(program=evening, started_at=NOW - dt.timedelta(days=60))
    survey_in(evening)
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("send_survey_invitations"))

    assert entry["schedule"] == 15 * 60
    assert send_survey_invitations.delay().get() == 2
    assert send_survey_invitations.delay().get() == 0
