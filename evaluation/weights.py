"""A program's match weights fitted to how its proposed pairs turned out (matching.outcomes labels them;
matching.engine.calibration fits and judges).

Each published proposal's explanation holds its block terms, share_b × cosine_b, and its round the weights those
shares came from: the pair's similarity on block b is term / share. A block weighted 0 in a round left no trace
of its similarity there: it counts as 0 (no similarity), which pulls that block's fitted weight a little towards
0 rather than inventing a value. Peer pairs' language term is left out: a program's weights have no language.
"""

from dataclasses import dataclass

import numpy as np

from config.errors import Conflict
from matching import outcomes
from matching.engine import calibration
from matching.engine.types import BLOCKS
from programs.models import Program


@dataclass(frozen=True)
class History:
    similarities: np.ndarray  # pairs × BLOCKS, 0..1
    good: np.ndarray  # bool per pair

    @property
    def pairs(self) -> int:
        return len(self.good)

    @property
    def good_pairs(self) -> int:
        return int(self.good.sum())

    @property
    def poor_pairs(self) -> int:
        return self.pairs - self.good_pairs

    @property
    def enough(self) -> bool:
        """Enough to fit on (calibration's minimums)."""
        try:
            calibration.history_check(self.good)
        except calibration.TooLittleHistory:
            return False
        return True


def weights_history(*, program: Program) -> History:
    """The block similarities and outcomes of `program`'s published proposals that have an outcome (good or
    poor), in one query."""
    rows = (
        outcomes.published_proposals(program)
        .exclude(outcome=outcomes.UNLABELLED)
        .order_by("id")
        .values_list("explanation__blocks", "round__weights", "outcome")
    )
    similarities, good = [], []
    for terms, weights, outcome in rows:
        if not isinstance(terms, dict):
            continue  # a proposal saved before explanations held their terms
        total = sum(value for value in weights.values() if isinstance(value, int | float))
        similarities.append([_similarity(terms.get(name), weights.get(name), total) for name in BLOCKS])
        good.append(outcome == outcomes.GOOD)
    return History(
        similarities=np.array(similarities, dtype=np.float64).reshape(len(good), len(BLOCKS)),
        good=np.array(good, dtype=bool),
    )


def _similarity(term, weight, total: float) -> float:
    if not isinstance(term, int | float) or not isinstance(weight, int | float) or weight <= 0 or total <= 0:
        return 0.0
    return min(max(term / (weight / total), 0.0), 1.0)  # clipped: float noise must not make a cosine exceed 1


def weights_fit(*, program: Program, history: History | None = None) -> calibration.WeightFit:
    """The program's weights fitted to its history (`history` when already read) and compared, held out, with its
    default weights (those of its next round). 409 `too_little_history`, with the counts and what a fit needs,
    below calibration's minimums."""
    history = history or weights_history(program=program)
    current = {name: float(program.default_weights.get(name, 0.0)) for name in BLOCKS}
    try:
        return calibration.fit_weights(history.similarities, history.good, current)
    except calibration.TooLittleHistory as refusal:
        raise Conflict(
            f"Too little history to fit weights: {refusal}",
            code="too_little_history",
            pairs=refusal.pairs,
            good=refusal.good,
            poor=refusal.poor,
            needed=refusal.needed,
        ) from None


def fit_in_words(fit: calibration.WeightFit) -> str:
    """ "On 84 past pairs, 31 good and 53 poor, the fitted weights ranked a good pair above a poor one 74% of the
    time (on pairs held out of their fit); the current weights 61%." """
    return (
        f"On {fit.pairs} past pairs, {fit.good} good and {fit.poor} poor, the fitted weights ranked a good pair "
        f"above a poor one {fit.fitted_auc:.0%} of the time (on pairs held out of their fit); the current weights "
        f"{fit.current_auc:.0%}."
    )
