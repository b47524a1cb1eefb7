"""The demo's surveys: the main program's mid-point and closing surveys, asked of whom their triggers name, most of
them answered (enough that results show), and the mid-point one waiting for the demo mentee. Rows are written
directly, as the rest of the demo: nobody is sent a notice."""

import datetime as dt
import random

from django.utils import timezone

from accounts.models import User
from evaluation.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse
from evaluation.surveys import survey_from_template, survey_invitees
from programs.models import Program

Kind = SurveyQuestion.Kind
ANSWERED_SHARE = 0.8
SURVEYS_AGO = dt.timedelta(days=120)  # the closing survey is asked of mentorships completed since
TEXTS = (
    "Having someone outside my team to think out loud with.",
    "The practice conversations before hard meetings.",
    "Clear next steps after every session.",
    "Honest feedback on my drafts.",
    "Learning how others plan their careers.",
    "Meeting more often at the start would have helped.",
)


def demo_surveys_build(*, program: Program, admin: User, demo_mentee: User, seed: int = 2026) -> list[Survey]:
    rng = random.Random(seed)
    now = timezone.now()
    built = []
    for template in ("midpoint", "closing"):
        survey = survey_from_template(program=program, created_by=admin, template=template)
        Survey.objects.filter(pk=survey.pk).update(created_at=now - SURVEYS_AGO)
        survey.refresh_from_db()
        invitees = survey_invitees(survey, now=now)
        seen: set[int] = set()
        invitations = []
        for invitee in invitees:
            if invitee.user.pk not in seen:
                seen.add(invitee.user.pk)
                invitations.append(
                    SurveyInvitation(survey=survey, user=invitee.user, side=invitee.side, mentorship=invitee.mentorship)
                )
        if template == "midpoint" and demo_mentee.pk not in seen:
            invitations.append(SurveyInvitation(survey=survey, user=demo_mentee, side=SurveyInvitation.Side.MENTEE))
        SurveyInvitation.objects.bulk_create(invitations)
        questions = list(survey.questions.all())
        for invitation in invitations:
            if invitation.user_id == demo_mentee.pk or rng.random() > ANSWERED_SHARE:
                continue  # the demo mentee's is waiting for them
            _answer(invitation, questions, rng, now)
        built.append(survey)
    return built


def _answer(invitation: SurveyInvitation, questions: list[SurveyQuestion], rng: random.Random, now) -> None:
    day = now - dt.timedelta(days=rng.randint(0, 100))
    response = SurveyResponse.objects.create(survey=invitation.survey, side=invitation.side, submitted_on=day.date())
    answers = []
    for question in questions:
        if question.kind == Kind.LIKERT:
            answers.append(SurveyAnswer(response=response, question=question, number=rng.choice((2, 3, 4, 4, 5, 5))))
        elif question.kind == Kind.CHOICE:
            weights = [len(question.choices) - i for i in range(len(question.choices))]
            choice = rng.choices(question.choices, weights=weights)[0]
            answers.append(SurveyAnswer(response=response, question=question, text=choice))
        elif rng.random() < 0.5:
            answers.append(SurveyAnswer(response=response, question=question, text=rng.choice(TEXTS)))
    SurveyAnswer.objects.bulk_create(answers)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(answered_at=day)
