"""GET /programs/{slug}/report/ (a program's admins): the figures of the reports page as data, for a period, or
every section as CSV (`?format=csv`). Served here since issue 15; its URL name and every field it had stay."""

import io

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ErrorsAsJSONMixin
from config.schema import VALIDATION_ERROR
from config.spreadsheets import CSVRenderer
from evaluation.period import period_parse
from evaluation.reports import report_csv, report_sections
from matching import reports
from matching.api.serializers import BarOutput
from matching.api.serializers import ReportOutput as ChartsOutput
from matching.api.views import AdministeredProgramMixin


class SectionChartOutput(serializers.Serializer):
    title = serializers.CharField()
    summary = serializers.CharField(help_text="The chart in one sentence.")
    bars = BarOutput(many=True)
    columns = serializers.ListField(child=serializers.CharField(allow_blank=True), help_text="Its table's headings.")


class TableOutput(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()), help_text="Cells in the order of the columns."
    )


class SectionOutput(serializers.Serializer):
    key = serializers.CharField(help_text="Stable: funnel, time_to_match, cadence, goals, ratings, skills_gained, …")
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    chart = SectionChartOutput(allow_null=True)
    table = TableOutput()
    withheld = serializers.CharField(allow_blank=True, help_text="Why (part of) it is not shown; empty: all shown.")
    drill_down = serializers.CharField(allow_blank=True, help_text="The page listing the rows behind its numbers.")


# `from` is a Python keyword: the fields are declared by name.
ReportOutput = type(
    "EvaluationReportOutput",
    (ChartsOutput,),
    {
        "from": serializers.DateField(allow_null=True, help_text="The period's first day; null: open."),
        "to": serializers.DateField(allow_null=True, help_text="The period's last day; null: open."),
        "sections": SectionOutput(many=True),
    },
)


class ProgramReportView(AdministeredProgramMixin, ErrorsAsJSONMixin, APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="YYYY-MM-DD: the period's first day (open when left out)."),
            OpenApiParameter("to", str, description="YYYY-MM-DD: the period's last day (open when left out)."),
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv: every section's table"),
        ],
        responses={
            (200, "application/json"): ReportOutput,
            (200, "text/csv"): OpenApiResponse(str),
            400: VALIDATION_ERROR,
        },
    )
    def get(self, request, program=None):
        """How the program is doing over a period: today's charts (every period), then the report's sections. 400
        on `from` or `to` for a date that is not YYYY-MM-DD or a `from` after `to`."""
        program = self.program
        period = period_parse(request.query_params)
        sections = report_sections(program, period)
        if request.accepted_renderer.format == "csv":
            out = io.StringIO()
            report_csv(program, period, sections, out)
            filename = f"report-{program.slug}.csv"
            return Response(out.getvalue(), headers={"Content-Disposition": f'attachment; filename="{filename}"'})
        report = reports.program_report(program)
        return Response(
            ReportOutput(
                {
                    "program": program.slug,
                    "format": report.format,
                    "charts": report.charts,
                    "circles": report.circles,
                    "from": period.start,
                    "to": period.end,
                    "sections": sections,
                }
            ).data
        )


urlpatterns = [path("programs/<slug:program>/report/", ProgramReportView.as_view(), name="program-report")]
