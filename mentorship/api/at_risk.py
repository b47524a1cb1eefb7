"""Pairs at risk (a program's admins): the program's active mentorships that went quiet or are rated low, and a
nudge to everyone in one of them. Anyone who administers no program is answered 403; an admin of another program
404, as if the program were not there (as matching's admin endpoints do)."""

from functools import cached_property

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import IsProgramAdmin
from config.schema import ConflictDetail
from mentorship import at_risk, nudges
from mentorship.api.serializers import PersonOutput
from mentorship.models import Mentorship
from programs.api.scope import PROGRAM_KWARG
from programs.models import Program
from programs.selectors import program_administered_by


class PairAtRiskOutput(serializers.Serializer):
    id = serializers.IntegerField(source="mentorship.pk", help_text="The mentorship's id.")
    label = serializers.CharField(source="mentorship.label")
    format = serializers.CharField(source="mentorship.format")
    program = serializers.CharField(source="mentorship.program.slug", help_text="The program's slug.")
    people = serializers.SerializerMethodField(help_text="Everyone in it now, the mentor first.")
    started_at = serializers.DateTimeField(source="mentorship.started_at")
    last_session_on = serializers.DateField(allow_null=True, help_text="Null: no session yet.")
    days_quiet = serializers.IntegerField(help_text="Days since its last session (or since it started).")
    cadence_days = serializers.IntegerField(help_text="How often it is expected to meet, in days.")
    rating_average = serializers.FloatField(
        allow_null=True, help_text=f"Its latest {at_risk.LAST_RATINGS} session ratings' average; null: none."
    )
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=list(at_risk.REASONS.items())),
        help_text="`no_recent_session`: none in twice its cadence; `low_ratings`: its latest ratings average 2 or "
        "less.",
    )
    nudged_at = serializers.DateTimeField(allow_null=True, help_text="Its latest nudge, by an admin or automatic.")

    @extend_schema_field(PersonOutput(many=True))
    def get_people(self, pair) -> list[dict]:
        return PersonOutput(pair.mentorship.people(), many=True).data


class NudgeOutput(serializers.Serializer):
    mentorship = serializers.IntegerField(source="mentorship_id")
    sent_by = serializers.IntegerField(source="sent_by_id", allow_null=True)
    nudged_at = serializers.DateTimeField(source="created_at")


class _AdministeredProgram:
    permission_classes = [IsProgramAdmin]

    @cached_property
    def program(self) -> Program:
        return program_administered_by(self.request.user, self.kwargs[PROGRAM_KWARG])


class PairsAtRiskView(_AdministeredProgram, generics.GenericAPIView):
    queryset = Mentorship.objects.none()  # for the schema; the list is at_risk.pairs_at_risk's
    serializer_class = PairAtRiskOutput

    @extend_schema(responses=PairAtRiskOutput(many=True))
    def get(self, request, program=None):
        """The program's active mentorships at risk, the quietest first, each with its reasons and latest nudge."""
        page = self.paginate_queryset(at_risk.pairs_at_risk(self.program))
        return self.get_paginated_response(PairAtRiskOutput(page, many=True).data)


class NudgeView(_AdministeredProgram, APIView):
    @extend_schema(request=None, responses={201: NudgeOutput, 409: ConflictDetail})
    def post(self, request, program=None, mentorship_id=None):
        """Nudge everyone in one of the program's active mentorships (a notice and an email with a link to it):
        409 `already_nudged` within 7 days of its last nudge, `not_active` once it ended; 404 for a mentorship of
        another program."""
        nudge = nudges.nudge_send(program_id=self.program.pk, mentorship_id=mentorship_id, by=request.user)
        return Response(NudgeOutput(nudge).data, status=status.HTTP_201_CREATED)
