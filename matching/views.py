"""Program admin pages: match rounds, importing participants, reports, each of the current program. Actions go
through the API (the program's nested paths)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.decorators import program_admin_required
from matching import publishing, reports, selectors
from matching.models import MatchRound
from programs.models import Program
from programs.selectors import current_program, program_administered_by

PROPOSALS_PER_PAGE = 50


def _program(request) -> Program:
    """The program the page acts on, which the caller must administer (404 for an admin of another program)."""
    return program_administered_by(request.user, current_program(request).slug)


@program_admin_required
def round_list(request):
    program = _program(request)
    return render(
        request,
        "matching/round_list.html",
        {
            "program": program,
            "rounds": selectors.round_list(program)[:100],
            "modes": MatchRound.Mode.choices,
            "circles": program.format == Program.Format.GROUP,
        },
    )


@program_admin_required
def round_detail(request, round_id: int):
    program = _program(request)
    match_round = get_object_or_404(selectors.round_list(program), pk=round_id)
    page = Paginator(selectors.proposal_list(round_id=round_id), PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    mentors = []
    if match_round.status == MatchRound.Status.PROPOSED:
        mentors = selectors.mentors_with_open_slots(program)
    return render(
        request,
        "matching/round_detail.html",
        {
            "program": program,
            "round": match_round,
            "page": page,
            "mentors": mentors,
            "running": match_round.status in ("queued", "running"),
            "publish_report": publishing.publish_report(match_round.stats),
        },
    )


@program_admin_required
def participants_import(request):
    return render(request, "matching/import.html", {"program": _program(request)})


@program_admin_required
def program_reports(request):
    program = _program(request)
    return render(request, "matching/reports.html", {"program": program, "report": reports.program_report(program)})
