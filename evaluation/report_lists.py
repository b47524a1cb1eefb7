"""What each drill-down of the program report lists for a query: its title, its rows (people, pairs, goals or
milestones) and its filters, each filter a label, its query parameters and whether it is the one shown."""

from evaluation.drill_down import (
    CADENCE_BANDS,
    FUNNEL_STEPS,
    MATCH_BANDS,
    WAITING,
    funnel_people,
    funnel_reached,
    match_waits,
    milestones_done,
    pairs_cadence,
    pairs_ratings,
    program_goals,
)
from evaluation.period import Period
from mentorship.models import Goal
from programs.models import Program


def _choice(value: str, choices) -> str:
    keys = [key for key, *_ in choices]
    return value if value in keys else keys[0]


def drill_down_listing(program: Program, section: str, period: Period, query) -> dict:
    """The page's title, rows and filters for `section` (one of DRILL_DOWN_SECTIONS) and the query's choice."""
    listing: dict = {"filters": []}
    if section == "funnel":
        step = _choice(query.get("step", ""), FUNNEL_STEPS)
        dropped = query.get("dropped") == "1" and step != FUNNEL_STEPS[0][0]
        rows = funnel_people(program, period).select_related("user")
        if dropped:
            before = [key for key, _ in FUNNEL_STEPS][[key for key, _ in FUNNEL_STEPS].index(step) - 1]
            rows = rows.filter(funnel_reached(before)).exclude(funnel_reached(step))
        else:
            rows = rows.filter(funnel_reached(step))
        label = dict(FUNNEL_STEPS)[step]
        listing |= {
            "title": f"Dropped before “{label}”" if dropped else f"Reached “{label}”",
            "people": rows.order_by("user__full_name", "user__username", "pk"),
            "filters": [
                *[(f"Reached “{name}”", {"step": key}, key == step and not dropped) for key, name in FUNNEL_STEPS],
                *[
                    (f"Dropped before “{name}”", {"step": key, "dropped": "1"}, key == step and dropped)
                    for key, name in FUNNEL_STEPS[1:]
                ],
            ],
        }
    elif section == "time_to_match":
        bands = [(key, label) for key, label, *_ in MATCH_BANDS] + [WAITING]
        band = _choice(query.get("band", ""), bands)
        listing |= {
            "title": f"Time to match: {dict(bands)[band]}",
            "waits": [w for w in match_waits(program, period) if w.band == band],
            "filters": [(label, {"band": key}, key == band) for key, label in bands],
        }
    elif section == "cadence":
        band = _choice(query.get("band", ""), CADENCE_BANDS)
        listing |= {
            "title": f"Meetings against the cadence: {dict(CADENCE_BANDS)[band]}",
            "pairs": [p for p in pairs_cadence(program, period, with_people=True) if p.band == band],
            "filters": [(label, {"band": key}, key == band) for key, label in CADENCE_BANDS],
        }
    elif section == "ratings":
        listing |= {"title": "Ratings by side, per mentorship", "rated": pairs_ratings(program, period)}
    else:
        kinds = [*Goal.Status.choices, ("milestones", "Milestones done in the period")]
        kind = _choice(query.get("status", ""), kinds)
        if kind == "milestones":
            listing["milestones"] = (
                milestones_done(program, period).select_related("goal__mentee").order_by("-done_at", "pk")
            )
        else:
            listing["goals"] = (
                program_goals(program, period).filter(status=kind).select_related("mentee").order_by("-created_at")
            )
        listing |= {
            "title": f"Goals: {dict(kinds)[kind]}",
            "filters": [(label, {"status": key}, key == kind) for key, label in kinds],
        }
    return listing
