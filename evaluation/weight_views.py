"""The weights page of a program's admins: the weights its next round will use, and (after "Fit to outcomes")
those fitted to how its past pairs turned out, side by side, with the held-out comparison and a button that makes
them the program's. The fit is deterministic and cheap (one query, a few small regressions): the page computes it
again rather than carrying the API's answer over."""

from django.shortcuts import render
from django.urls import path

from accounts.decorators import program_admin_required
from config.errors import Conflict
from evaluation import weights
from matching import outcomes
from matching.engine import calibration
from matching.engine.types import BLOCKS
from programs.selectors import program_administered_by

BLOCK_NAMES = {"skills": "Skills", "industry": "Industry", "goals": "Goal words"}


@program_admin_required
def weights_page(request, slug: str):
    """403 for who administers no program (as the API), 404 for an admin of another program."""
    program = program_administered_by(request.user, slug)
    current = {name: float(program.default_weights.get(name, 0.0)) for name in BLOCKS}
    history = weights.weights_history(program=program)
    fit, refusal = None, None
    if request.GET.get("fit"):
        try:
            fit = weights.weights_fit(program=program, history=history)
        except Conflict as conflict:
            refusal = conflict.message
    return render(
        request,
        "evaluation/weights.html",
        {
            "program": program,
            "history": history,
            "enough": history.enough,
            "labels": outcomes.IN_WORDS,
            "min_pairs": calibration.MIN_PAIRS,
            "min_per_class": calibration.MIN_PER_CLASS,
            "rows": _rows(current, fit.fitted_weights if fit else None),
            "fit": fit,
            "fit_in_words": weights.fit_in_words(fit) if fit else "",
            "zeroed": [BLOCK_NAMES[name] for name in fit.zeroed] if fit else [],
            "refusal": refusal,
        },
    )


def _rows(current: dict[str, float], fitted: dict[str, float] | None) -> list[dict]:
    """Per block: its name, each weight, its share of the total in % (what the bars show) and the fitted weight
    as the API takes it (a plain number whatever the page's locale)."""
    current_total = sum(current.values()) or 1
    fitted_total = sum(fitted.values()) if fitted else 0
    return [
        {
            "block": name,
            "name": BLOCK_NAMES[name],
            "current": current[name],
            "current_share": round(100 * current[name] / current_total),
            "fitted": fitted[name] if fitted else None,
            "fitted_share": round(100 * fitted[name] / fitted_total) if fitted_total else 0,
            "fitted_value": repr(fitted[name]) if fitted else "",
        }
        for name in BLOCKS
    ]


urlpatterns = [
    path("programs/<slug:slug>/weights/", weights_page, name="program-weights-page"),
]
