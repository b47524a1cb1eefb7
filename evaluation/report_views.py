"""The program report's pages (a program's admins): the report for a period, with its presets, its CSV and print
versions; and each section's drill-down, the people or pairs behind its numbers. Moved here from matching with the
report (same URL names)."""

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone

from accounts.decorators import program_admin_required
from evaluation.period import Period, period_parse
from evaluation.report_lists import drill_down_listing
from evaluation.report_pdf import PdfUnavailable, pdf_render
from evaluation.reports import DRILL_DOWN_SECTIONS, report_sections
from matching import reports
from mentorship.together import viewer_zone
from programs.models import Program
from programs.selectors import current_program, program_administered_by

RECENT_DAYS = 90
PDF_UNAVAILABLE = (
    "This server cannot make PDFs (its Pango library is missing). Print the report instead: your browser can save "
    "it as a PDF."
)


def _presets(program: Program, today: dt.date) -> list[tuple[str, Period]]:
    presets = []
    if program.starts_on and program.ends_on:
        presets.append(("The program's dates", Period(program.starts_on, program.ends_on)))
    presets.append((f"Last {RECENT_DAYS} days", Period(today - dt.timedelta(days=RECENT_DAYS - 1), today)))
    presets.append(("All time", Period()))
    return presets


def _query(program: Program, period: Period, **more) -> str:
    return urlencode({"program": program.slug, **period.query(), **more})


def _report_context(request) -> tuple[dict, dict]:
    """The report page's context for the current program (the picker's, which the caller must administer: 404
    otherwise) and the query's period, and the period's errors (no figures then)."""
    program = program_administered_by(request.user, current_program(request).slug)
    try:
        period = period_parse(request.GET)
    except ValidationError as error:
        period, errors = None, error.message_dict
    else:
        errors = {}
    presets = [
        {"label": label, "query": _query(program, preset), "current": preset == period}
        for label, preset in _presets(program, timezone.localdate())
    ]
    context = {
        "program": program,
        "period": period,
        "errors": errors,
        "values": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
        "presets": presets,
    }
    if period is not None:
        api = reverse("program-report", kwargs={"program": program.slug})
        sections = report_sections(program, period)
        report = reports.program_report(program)
        shown = {section.key for section in sections}
        context |= {
            "sections": sections,
            "report": report,
            # The all-time charts, less those the sections show for the period.
            "more_charts": [chart for chart in report.charts if chart.key not in shown],
            "csv_url": f"{api}?{urlencode({'format': 'csv', **period.query()})}",
            "pdf_url": f"{reverse('reports-pdf')}?{_query(program, period)}",
        }
    return context, errors


@program_admin_required
def program_report_page(request):
    """403 for who administers no program, 404 for a program one does not administer. A bad period is answered
    400 with the form's errors and no figures."""
    context, errors = _report_context(request)
    return render(request, "evaluation/report.html", context, status=400 if errors else 200)


@program_admin_required
def program_report_pdf(request):
    """The report page as a PDF file, for the same program and period (the same answers to a bad period or a
    stranger). 503 with a page saying to print instead when this server cannot make PDFs."""
    context, errors = _report_context(request)
    if errors:
        return render(request, "evaluation/report.html", context, status=400)
    html = render_to_string("evaluation/report.html", {**context, "as_pdf": True}, request=request)
    try:
        pdf = pdf_render(html)
    except PdfUnavailable:
        return render(request, "503.html", {"message": PDF_UNAVAILABLE}, status=503)
    program, period = context["program"], context["period"]
    name = "-".join([program.slug, "report", *period.query().values()])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@program_admin_required
def drill_down_page(request, slug: str, section: str):
    """The rows behind one section's numbers, for the same period (403 for who administers no program, 404 for an
    admin of another, or for a section without a list)."""
    program = program_administered_by(request.user, slug)
    if section not in DRILL_DOWN_SECTIONS:
        raise Http404("That section has no list.")
    try:
        period = period_parse(request.GET)
    except ValidationError:
        period = Period()
    context = {
        "program": program,
        "period": period,
        "section": section,
        "zone": viewer_zone(request.user),
    }
    context |= drill_down_listing(program, section, period, request.GET)
    context["filters"] = [
        {"label": label, "query": urlencode({**params, **period.query()}), "current": current}
        for label, params, current in context["filters"]
    ]
    context["back"] = f"{reverse('reports-page')}?{_query(program, period)}"
    return render(request, "evaluation/report_drill_down.html", context)


urlpatterns = [
    path("reports/", program_report_page, name="reports-page"),
    path("reports/pdf/", program_report_pdf, name="reports-pdf"),
    path("programs/<slug:slug>/report/<slug:section>/", drill_down_page, name="program-report-drill-down-page"),
]
