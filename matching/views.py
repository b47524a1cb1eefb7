"""Program admin pages: match rounds and importing participants, each of the current program. Actions go
through the API (the program's nested paths)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.decorators import program_admin_required
from matching import publishing, review, round_outcomes, selectors
from matching.models import MatchRound
from programs.models import Program
from programs.selectors import current_program, program_administered_by

PROPOSALS_PER_PAGE = 50
UNMATCHED_PER_PAGE = 50
LEFT_OUT_PAGE = "left_out"  # the page parameter of the mentees left without a proposal


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
            "modes": [(value, label, review.mode_help(value, program)) for value, label in MatchRound.Mode.choices],
            "circles": program.format == Program.Format.GROUP,
            "peer": program.format == Program.Format.PEER,
        },
    )


@program_admin_required
def round_detail(request, round_id: int):
    """A round to review: its figures and rules in words, the proposals by mentee name (an override keeps a row
    where it is), each with a search of the mentors it may go to instead, and the mentees left without one."""
    program = _program(request)
    match_round = get_object_or_404(selectors.round_list(program), pk=round_id)
    proposals = selectors.proposal_list(round_id=round_id, by_mentee=True)
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    left_out = Paginator(selectors.unmatched_list(round_id=round_id), UNMATCHED_PER_PAGE).get_page(
        request.GET.get(LEFT_OUT_PAGE)
    )
    threshold, why = review.low_score_threshold(match_round)
    peer = program.format == Program.Format.PEER
    if peer:
        for proposal in page:
            proposal.reasons = publishing.peer_reasons(proposal)
    return render(
        request,
        "matching/round_detail.html",
        {
            "program": program,
            "round": match_round,
            "page": page,
            # Each list's pages keep the other's place.
            "proposals_query": urlencode({LEFT_OUT_PAGE: left_out.number}) if left_out.number > 1 else "",
            "left_out": left_out,
            "left_out_rows": [(row, review.unmatched_reason(row, match_round)) for row in left_out],
            "left_out_query": urlencode({"page": page.number}) if page.number > 1 else "",
            "left_out_param": LEFT_OUT_PAGE,
            "reasons_recorded": "unmatched" in (match_round.stats or {}),
            "figures": review.round_figures(match_round),
            "rules": review.round_rules(match_round),
            "peer": peer,
            "circles": selectors.round_circles(match_round) if program.format == Program.Format.GROUP else [],
            "can_override": match_round.status == MatchRound.Status.PROPOSED and not peer,
            "low_score": {"threshold": threshold, "why": why},
            "running": match_round.status in ("queued", "running"),
            "publish_report": publishing.publish_report(match_round.stats),
            "outcomes": round_outcomes.round_outcomes(match_round) if match_round.published_at else None,
        },
    )


@program_admin_required
def participants_import(request):
    return render(request, "matching/import.html", {"program": _program(request)})
