"""A published round, later: how its pairs fared by score band. Does a higher score mean a better mentorship?

The round's published proposals (those that became requests; a skipped one had no chance to fare at all), best
score first, in thirds: in each, how many were accepted, how many sessions an accepted pair held, how they rated
them, and the outcomes as matching.outcomes labels them. One query, whatever the round's size.
"""

from dataclasses import dataclass

import numpy as np

from matching import outcomes
from matching.models import MatchRound
from mentorship.models import MentorshipRequest

BAND_NAMES = ("Top third", "Middle third", "Bottom third")
MIN_PAIRS_FOR_BANDS = 6  # fewer published pairs than this make bands of one or two: one band, no reading
# A difference between the top and the bottom band smaller than this is not read as a pattern.
MARGINS = {"accepted_share": 0.05, "meetings_per_pair": 0.5, "rating_average": 0.25, "good_share": 0.05}
READINGS = {  # measure: (when higher scores have more of it, when they have less)
    "accepted_share": ("more accepted", "fewer accepted"),
    "meetings_per_pair": ("more meetings held", "fewer meetings held"),
    "rating_average": ("better ratings", "worse ratings"),
    "good_share": ("more good outcomes", "fewer good outcomes"),
}


@dataclass(frozen=True)
class Band:
    name: str
    lowest_score: float
    highest_score: float
    pairs: int  # published proposals
    accepted: int
    accepted_share: float
    meetings_per_pair: float | None  # sessions held per accepted pair
    rating_average: float | None  # the accepted pairs' average ratings, averaged
    rated_pairs: int
    good: int
    poor: int

    @property
    def good_share(self) -> float | None:
        """Of the pairs with an outcome, the share that went well (None while none has one)."""
        labelled = self.good + self.poor
        return self.good / labelled if labelled else None


@dataclass(frozen=True)
class RoundOutcomes:
    bands: list[Band]
    pairs: int
    reading: str
    labels: str = outcomes.IN_WORDS  # what good and poor mean


def round_outcomes(match_round: MatchRound) -> RoundOutcomes:
    rows = list(
        outcomes.with_outcome(match_round.proposals.filter(request__isnull=False))
        .order_by("-score", "id")
        .values_list("score", "request_status", "sessions_held", "rating_average", "outcome")
    )
    if not rows:
        return RoundOutcomes(bands=[], pairs=0, reading="No proposal of this round was published.")
    if len(rows) < MIN_PAIRS_FOR_BANDS:
        named = [("All pairs", rows)]
    else:
        parts = np.array_split(np.arange(len(rows)), len(BAND_NAMES))  # sizes differ by one at most
        named = [(name, [rows[i] for i in part]) for name, part in zip(BAND_NAMES, parts, strict=True)]
    bands = [_band(name, group) for name, group in named]
    return RoundOutcomes(bands=bands, pairs=len(rows), reading=_reading(bands))


def _band(name: str, rows: list[tuple]) -> Band:
    accepted = [row for row in rows if row[1] == MentorshipRequest.Status.ACCEPTED]
    rated = [row[3] for row in accepted if row[3] is not None]
    return Band(
        name=name,
        lowest_score=min(row[0] for row in rows),
        highest_score=max(row[0] for row in rows),
        pairs=len(rows),
        accepted=len(accepted),
        accepted_share=len(accepted) / len(rows),
        meetings_per_pair=sum(row[2] for row in accepted) / len(accepted) if accepted else None,
        rating_average=sum(rated) / len(rated) if rated else None,
        rated_pairs=len(rated),
        good=sum(row[4] == outcomes.GOOD for row in rows),
        poor=sum(row[4] == outcomes.POOR for row in rows),
    )


def _reading(bands: list[Band]) -> str:
    """One line: what the higher scores had more or less of, where the bands go one way from top to bottom by
    more than the margin; else no clear pattern yet."""
    if len(bands) < 2:
        return "Too few pairs were published to compare score bands."
    better, worse = [], []
    for measure, (more, less) in READINGS.items():
        values = [getattr(band, measure) for band in bands]
        if any(value is None for value in values):
            continue
        steps = np.diff(values)  # top to bottom
        if values[0] - values[-1] > MARGINS[measure] and np.all(steps <= 0):
            better.append(more)
        elif values[-1] - values[0] > MARGINS[measure] and np.all(steps >= 0):
            worse.append(less)
    if better and worse:
        return f"Mixed: higher scores had {', '.join(better)}, but {', '.join(worse)}."
    if better:
        return f"Higher scores: {', '.join(better)}."
    if worse:
        return f"Higher scores did not mean better mentorships here: {', '.join(worse)}."
    return "No clear pattern yet between the score and how pairs fared."
