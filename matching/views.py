"""Program admin pages: match rounds, importing participants, reports. Actions go through the API."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.decorators import program_admin_required
from matching import reports, selectors
from matching.models import MatchRound

PROPOSALS_PER_PAGE = 50


@program_admin_required
def round_list(request):
    return render(
        request,
        "matching/round_list.html",
        {"rounds": selectors.round_list()[:100], "modes": MatchRound.Mode.choices},
    )


@program_admin_required
def round_detail(request, round_id: int):
    match_round = get_object_or_404(selectors.round_list(), pk=round_id)
    page = Paginator(selectors.proposal_list(round_id=round_id), PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    mentors = []
    if match_round.status == MatchRound.Status.PROPOSED:
        mentors = (
            selectors.available_mentors()
            .order_by("user__full_name")
            .values_list("user_id", "user__full_name", "open_slots")
        )
    return render(
        request,
        "matching/round_detail.html",
        {
            "round": match_round,
            "page": page,
            "mentors": mentors,
            "running": match_round.status in ("queued", "running"),
        },
    )


@program_admin_required
def participants_import(request):
    return render(request, "matching/import.html")


@program_admin_required
def program_reports(request):
    return render(request, "matching/reports.html", {"charts": reports.program_report()})
