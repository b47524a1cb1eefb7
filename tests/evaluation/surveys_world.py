"""Helpers of the survey tests: a survey in a program, people asked, answers given through the service."""

from accounts.models import User
from evaluation import surveys
from evaluation.models import SurveyInvitation
from tests.factories import ProgramAdminFactory, UserFactory

QUESTIONS = [
    {"kind": "likert", "text": "We set clear goals."},
    {"kind": "choice", "text": "Would you recommend it?", "choices": ["Yes", "Maybe", "No"]},
    {"kind": "text", "text": "What helped most?", "required": False},
]


def survey_in(program, *, min_responses: int = 5, questions=None, **fields):
    return surveys.survey_create(
        program=program,
        created_by=None,
        title=fields.pop("title", "How is it going?"),
        audience=fields.pop("audience", "all"),
        trigger=fields.pop("trigger", "days_after_start"),
        trigger_days=fields.pop("trigger_days", 30),
        min_responses=min_responses,
        questions=questions or QUESTIONS,
        **fields,
    )


def asked(survey, side: str = "mentee", *, user=None) -> SurveyInvitation:
    return SurveyInvitation.objects.create(survey=survey, user=user or UserFactory(), side=side)


def answer(survey, side: str = "mentee", *, likert: int = 4, choice: str = "Yes", text: str = ""):
    questions = list(survey.questions.all())
    values = {"likert": likert, "choice": choice, "text": text}
    invitation = asked(survey, side)
    return surveys.survey_answer(
        survey_id=survey.pk,
        user=invitation.user,
        answers=[{"question": q.pk, "value": values[q.kind]} for q in questions],
    )


def admin_of(program, username: str = "pam"):
    """The program's admin `username` (made the first time)."""
    found = User.objects.filter(username=username).first()
    return found or ProgramAdminFactory(username=username, membership__program=program)
