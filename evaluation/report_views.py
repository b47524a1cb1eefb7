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
from evaluation import drill_down as dd
from evaluation.period import Period, period_parse
from evaluation.report_pdf import PdfUnavailable, pdf_render
from evaluation.reports import DRILL_DOWN_SECTIONS, report_sections
from matching import reports
from mentorship.models import Goal
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
        context |= {
            "sections": report_sections(program, period),
            "report": reports.program_report(program),
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


def _choice(value: str, choices) -> str:
    keys = [key for key, *_ in choices]
    return value if value in keys else keys[0]


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
        "filters": [],
        "zone": viewer_zone(request.user),
    }
    if section == "funnel":
        step = _choice(request.GET.get("step", ""), dd.FUNNEL_STEPS)
        dropped = request.GET.get("dropped") == "1" and step != dd.FUNNEL_STEPS[0][0]
        rows = dd.funnel_people(program, period).select_related("user")
        if dropped:
            before = [key for key, _ in dd.FUNNEL_STEPS][[key for key, _ in dd.FUNNEL_STEPS].index(step) - 1]
            rows = rows.filter(dd.funnel_reached(before)).exclude(dd.funnel_reached(step))
        else:
            rows = rows.filter(dd.funnel_reached(step))
        label = dict(dd.FUNNEL_STEPS)[step]
        context |= {
            "title": f"Dropped before “{label}”" if dropped else f"Reached “{label}”",
            "people": rows.order_by("user__full_name", "user__username", "pk"),
            "filters": [
                *[(f"Reached “{name}”", {"step": key}, key == step and not dropped) for key, name in dd.FUNNEL_STEPS],
                *[
                    (f"Dropped before “{name}”", {"step": key, "dropped": "1"}, key == step and dropped)
                    for key, name in dd.FUNNEL_STEPS[1:]
                ],
            ],
        }
    elif section == "time_to_match":
        bands = [(key, label) for key, label, *_ in dd.MATCH_BANDS] + [dd.WAITING]
        band = _choice(request.GET.get("band", ""), bands)
        context |= {
            "title": f"Time to match: {dict(bands)[band]}",
            "waits": [w for w in dd.match_waits(program, period) if w.band == band],
            "filters": [(label, {"band": key}, key == band) for key, label in bands],
        }
    elif section == "cadence":
        band = _choice(request.GET.get("band", ""), dd.CADENCE_BANDS)
        context |= {
            "title": f"Meetings against the cadence: {dict(dd.CADENCE_BANDS)[band]}",
            "pairs": [p for p in dd.pairs_cadence(program, period, with_people=True) if p.band == band],
            "filters": [(label, {"band": key}, key == band) for key, label in dd.CADENCE_BANDS],
        }
    elif section == "ratings":
        context |= {"title": "Ratings by side, per mentorship", "rated": dd.pairs_ratings(program, period)}
    else:
        kinds = [*Goal.Status.choices, ("milestones", "Milestones done in the period")]
        kind = _choice(request.GET.get("status", ""), kinds)
        if kind == "milestones":
            context["milestones"] = (
                dd.milestones_done(program, period).select_related("goal__mentee").order_by("-done_at", "pk")
            )
        else:
            context["goals"] = (
                dd.program_goals(program, period).filter(status=kind).select_related("mentee").order_by("-created_at")
            )
        context |= {
            "title": f"Goals: {dict(kinds)[kind]}",
            "filters": [(label, {"status": key}, key == kind) for key, label in kinds],
        }
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
