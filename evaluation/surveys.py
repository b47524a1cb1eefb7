"""Every write of surveys: creating one (from scratch or a template), editing it until someone answered, closing it,
inviting the people its trigger names, and answering it once.

Anonymity is kept by the write itself: an answer is saved as a `SurveyResponse` with the side and the day only; the
invitation, which names the person, records that they answered and nothing of what. The invitation is locked while
answering, so two submissions of one person queue up and the second finds it answered (409)."""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict
from evaluation.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from evaluation.survey_answers import answers_clean
from evaluation.survey_templates import TEMPLATES
from mentorship.models import Mentorship
from notifications.services import notify
from programs.models import Program

log = logging.getLogger(__name__)

Kind = SurveyQuestion.Kind
Audience = Survey.Audience
Trigger = Survey.Trigger
Side = SurveyInvitation.Side

SIDES_OF_AUDIENCE = {
    Audience.MENTEES: {Side.MENTEE},
    Audience.MENTORS: {Side.MENTOR},
    Audience.PEERS: {Side.PEER},
    Audience.ALL: {Side.MENTOR, Side.MENTEE, Side.PEER},
}
MAX_QUESTIONS = 50
MAX_CHOICES = 20


# --- Creating and editing ----------------------------------------------------------------------------------


def _questions_clean(questions: Iterable[dict]) -> list[SurveyQuestion]:
    """Unsaved questions, in order; every mistake named by the question's position (`questions.2.choices`)."""
    questions = list(questions)
    if not questions:
        raise ValidationError({"questions": ["A survey asks at least one question."]})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": [f"At most {MAX_QUESTIONS} questions."]})
    errors: dict[str, list[str]] = {}
    built = []
    for position, item in enumerate(questions):
        kind, choices = item.get("kind"), list(item.get("choices") or [])
        choices = [" ".join(str(choice).split()) for choice in choices]
        if kind == Kind.CHOICE:
            if len([c for c in choices if c]) < 2 or len(set(choices)) != len(choices) or "" in choices:
                errors[f"questions.{position}.choices"] = ["At least two different, non-empty choices."]
            elif len(choices) > MAX_CHOICES:
                errors[f"questions.{position}.choices"] = [f"At most {MAX_CHOICES} choices."]
        elif choices:
            errors[f"questions.{position}.choices"] = ["Only a choice question has choices."]
        question = SurveyQuestion(
            position=position,
            kind=kind,
            text=(item.get("text") or "").strip(),
            choices=choices if kind == Kind.CHOICE else [],
            required=item.get("required", True),
        )
        try:
            question.full_clean(exclude=["survey"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"questions.{position}.{field}"] = messages
        built.append(question)
    if errors:
        raise ValidationError(errors)
    return built


def _survey_check_trigger(survey: Survey) -> None:
    if survey.trigger == Trigger.ON_DATE and survey.trigger_date is None:
        raise ValidationError({"trigger_date": ["The date the survey is sent (on_date)."]})
    if survey.trigger == Trigger.DAYS_AFTER_START and survey.trigger_days is None:
        raise ValidationError({"trigger_days": ["How many days after a mentorship starts (days_after_start)."]})
    if survey.trigger != Trigger.ON_DATE:
        survey.trigger_date = None
    if survey.trigger != Trigger.DAYS_AFTER_START:
        survey.trigger_days = None


@transaction.atomic
def survey_create(
    *,
    program: Program,
    created_by: User | None,
    title: str,
    audience: str,
    trigger: str,
    questions: Iterable[dict],
    trigger_date: dt.date | None = None,
    trigger_days: int | None = None,
    min_responses: int | None = None,
) -> Survey:
    """A survey of `program` with its questions; its trigger's date or days are required (400 naming them)."""
    survey = Survey(
        program=program,
        created_by=created_by,
        title=title,
        audience=audience,
        trigger=trigger,
        trigger_date=trigger_date,
        trigger_days=trigger_days,
        **({"min_responses": min_responses} if min_responses is not None else {}),
    )
    _survey_check_trigger(survey)
    survey.full_clean()
    built = _questions_clean(questions)
    survey.save()
    for question in built:
        question.survey = survey
    SurveyQuestion.objects.bulk_create(built)
    return survey


@transaction.atomic
def survey_from_template(*, program: Program, created_by: User | None, template: str, audience: str = "all") -> Survey:
    """One of the ready-made surveys (`midpoint`, `closing`) in `program`, asked of `audience`."""
    chosen = TEMPLATES.get(template)
    if chosen is None:
        raise ValidationError({"template": [f"One of: {', '.join(TEMPLATES)}."]})
    return survey_create(
        program=program,
        created_by=created_by,
        title=chosen.title,
        audience=audience,
        trigger=chosen.trigger,
        trigger_days=chosen.trigger_days,
        questions=[dict(question) for question in chosen.questions],
    )


EDITABLE_AFTER_ANSWERS = {"title"}


@transaction.atomic
def survey_update(*, survey_id: int, program: Program, changes: dict) -> Survey:
    """Change a survey of `program`. Once anyone answered, only its title may change: its questions, audience,
    trigger and minimum are what the answers were given to (409 `survey_answered`)."""
    survey = Survey.objects.select_for_update().get(pk=survey_id, program=program)
    if set(changes) - EDITABLE_AFTER_ANSWERS and survey.responses.exists():
        raise Conflict("People have answered this survey: only its title may change now.", code="survey_answered")
    questions = changes.pop("questions", None)
    for field, value in changes.items():
        setattr(survey, field, value)
    _survey_check_trigger(survey)
    survey.full_clean()
    survey.save()
    if questions is not None:
        built = _questions_clean(questions)
        survey.questions.all().delete()
        for question in built:
            question.survey = survey
        SurveyQuestion.objects.bulk_create(built)
    return survey


@transaction.atomic
def survey_close(*, survey_id: int, program: Program) -> Survey:
    """No more invitations or answers (409 `survey_closed` if it already is)."""
    survey = Survey.objects.select_for_update().get(pk=survey_id, program=program)
    if survey.closed_at is not None:
        raise Conflict("This survey is already closed.", code="survey_closed")
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at", "updated_at"])
    return survey


# --- Inviting ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    user: User
    side: str
    mentorship: Mentorship | None


def _people_with_sides(mentorships: Iterable[Mentorship], sides: set[str]) -> list[Invitee]:
    found = []
    for mentorship in mentorships:
        for person in mentorship.people():
            side = mentorship.side_of(person)
            if side in sides:
                found.append(Invitee(user=person, side=side, mentorship=mentorship))
    return found


def survey_invitees(survey: Survey, *, now: dt.datetime) -> list[Invitee]:
    """Who the survey's trigger names now (some may have been invited already):

    - on a date: once the day has come, everyone in a mentorship of the program that was running that day;
    - some days after a start: everyone in an active mentorship that has run that many days;
    - on completion: everyone in a mentorship that completed after the survey was created."""
    sides = SIDES_OF_AUDIENCE[survey.audience]
    mentorships = Mentorship.objects.filter(program=survey.program).select_related("mentor")
    mentorships = mentorships.prefetch_related("members__user")
    if survey.trigger == Trigger.ON_DATE:
        if timezone.localdate(now) < survey.trigger_date:
            return []
        running = mentorships.filter(started_at__date__lte=survey.trigger_date).filter(
            Q(ended_at__isnull=True) | Q(ended_at__date__gte=survey.trigger_date)
        )
        # The survey is about that day's mentorships: nobody's mentorship is named on the invitation.
        return [Invitee(i.user, i.side, None) for i in _people_with_sides(running, sides)]
    if survey.trigger == Trigger.DAYS_AFTER_START:
        ripe = mentorships.active().filter(started_at__lte=now - dt.timedelta(days=survey.trigger_days))
        return _people_with_sides(ripe, sides)
    completed = mentorships.filter(status=Mentorship.Status.COMPLETED, ended_at__gte=survey.created_at)
    return _people_with_sides(completed, sides)


def survey_invitations_send(*, now: dt.datetime | None = None) -> int:
    """Invite whom every open survey's trigger names and tell each of them (inbox and email, once per survey).
    Run by the beat: running it again invites nobody twice (the invitation is unique per survey and person, and
    the notice has a once key). Returns how many were invited."""
    now = now or timezone.now()
    invited = 0
    for survey_id in Survey.objects.filter(closed_at__isnull=True).values_list("pk", flat=True):
        try:
            invited += _survey_invite(survey_id=survey_id, now=now)
        except Exception:  # one survey's trouble must not keep the others' people uninvited
            log.exception("Could not send the invitations of survey %s", survey_id)
    return invited


@transaction.atomic
def _survey_invite(*, survey_id: int, now: dt.datetime) -> int:
    survey = Survey.objects.select_related("program").get(pk=survey_id)
    already = set(survey.invitations.values_list("user_id", flat=True))
    invited = 0
    link = reverse("survey-answer-page", args=[survey.pk])
    for invitee in survey_invitees(survey, now=now):
        if invitee.user.pk in already:
            continue
        already.add(invitee.user.pk)
        _, created = SurveyInvitation.objects.get_or_create(
            survey=survey,
            user=invitee.user,
            defaults={"side": invitee.side, "mentorship": invitee.mentorship},
        )
        if not created:
            continue  # a concurrent run invited them first, and told them
        invited += 1
        notify(
            recipient_id=invitee.user.pk,
            kind="survey",
            subject=f"A short survey from {survey.program.name}: {survey.title}",
            template="emails/survey_invitation.txt",
            context={"name": invitee.user.get_short_name(), "survey": survey.title, "program": survey.program.name},
            link=link,
            once_key=f"survey-{survey.pk}",
        )
    return invited


# --- Answering ---------------------------------------------------------------------------------------------


@transaction.atomic
def survey_answer(*, survey_id: int, user: User, answers) -> SurveyResponse:
    """`user`'s answers to a survey they were asked (404 otherwise), once: 409 `already_answered`, 409
    `survey_closed`; 400 with each question's trouble."""
    invitation = (
        SurveyInvitation.objects.select_for_update()
        .select_related("survey")
        .filter(survey_id=survey_id, user=user)
        .first()
    )
    if invitation is None:
        raise Http404("No such survey for you.")
    survey = invitation.survey
    if invitation.answered_at is not None:
        raise Conflict("You have answered this survey already.", code="already_answered")
    if survey.closed_at is not None:
        raise Conflict("This survey is closed: it takes no more answers.", code="survey_closed")
    built = answers_clean(survey, answers)
    now = timezone.now()
    response = SurveyResponse.objects.create(survey=survey, side=invitation.side, submitted_on=timezone.localdate(now))
    for answer in built:
        answer.response = response
        answer.full_clean()
    SurveyAnswer.objects.bulk_create(built)
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at", "updated_at"])
    return response
