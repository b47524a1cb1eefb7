"""Reads of surveys: a program's surveys with their counts, and the surveys waiting for a person."""

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from evaluation.models import Survey, SurveyInvitation
from programs.models import Program


def survey_list(program: Program) -> QuerySet[Survey]:
    """The program's surveys, the newest first, each with `question_count`, `invited` and `answered`."""
    return (
        Survey.objects.filter(program=program)
        .annotate(
            question_count=Count("questions", distinct=True),
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
        )
        .prefetch_related("questions")
        .order_by("-created_at", "-id")  # the annotation's GROUP BY drops the model's ordering
    )


def invitations_of(user: User) -> QuerySet[SurveyInvitation]:
    """A person's survey invitations, the newest first, with their survey and its program."""
    return SurveyInvitation.objects.filter(user=user).select_related("survey__program")


def surveys_pending(user: User) -> QuerySet[SurveyInvitation]:
    """The invitations `user` has not answered yet, of surveys still open."""
    return invitations_of(user).filter(answered_at__isnull=True, survey__closed_at__isnull=True)
