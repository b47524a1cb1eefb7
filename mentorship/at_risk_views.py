"""The pairs-at-risk page of a program's admins: its quiet or low-rated mentorships, each with a link and a Nudge
button (which posts to the API)."""

from django.shortcuts import render

from accounts.decorators import program_admin_required
from mentorship import at_risk
from programs.selectors import program_administered_by


@program_admin_required
def pairs_at_risk_page(request, slug: str):
    """403 for who administers no program (as the API), 404 for an admin of another program."""
    program = program_administered_by(request.user, slug)
    return render(
        request,
        "mentorship/at_risk.html",
        {
            "program": program,
            "pairs": at_risk.pairs_at_risk(program),
            "quiet_factor": at_risk.QUIET_FACTOR,
            "last_ratings": at_risk.LAST_RATINGS,
        },
    )
