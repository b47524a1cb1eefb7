"""Match weights fitted to outcomes: which of the score's signals told the pairs that went well from those that
did not. Pure: arrays in, a WeightFit out (no Django).

A pair's score is Σ share_b × similarity_b, linear in the block similarities. A logistic regression on the same
similarities (no standardising) scores a pair by Σ β_b × similarity_b + c: its coefficients are weights on the
score's own scale, so the pairs rank alike under the fitted model and under weights ∝ β (where β ≥ 0). A
negative β (the signal went with poorer outcomes) cannot be a weight, which is never negative: it becomes 0.

Held-out comparison: stratified k-fold; on each fold the weights fitted to the other folds (negatives at 0, as
they would be applied) and the current weights score the held-out pairs, and each ranking's AUC is read on the
same pairs. The AUC is the chance that a good pair scores above a poor one (0.5: no better than a coin).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

MIN_PAIRS = 40  # below this a fold holds too few pairs for its AUC to mean anything
MIN_PER_CLASS = 10  # each of good and poor: every fold must hold some of both
REGULARISATION = 1.0  # sklearn's C: a gentle pull towards 0, so that a signal seen in a few pairs weighs little
NEGLIGIBLE = 1e-9


class TooLittleHistory(ValueError):
    """Too few pairs with an outcome to fit or to judge a fit."""

    def __init__(self, *, pairs: int, good: int, poor: int):
        self.pairs, self.good, self.poor = pairs, good, poor
        self.needed = {"pairs": MIN_PAIRS, "per_class": MIN_PER_CLASS}
        super().__init__(
            f"{pairs} pairs with an outcome ({good} good, {poor} poor): a fit needs {MIN_PAIRS} pairs, "
            f"with at least {MIN_PER_CLASS} good and {MIN_PER_CLASS} poor."
        )


@dataclass(frozen=True)
class WeightFit:
    blocks: tuple[str, ...]
    pairs: int
    good: int
    poor: int
    folds: int
    current_weights: dict[str, float]
    current_auc: float  # held out, mean over the folds
    fitted_weights: dict[str, float]  # summing as the current ones do; all 0 when no signal helped
    fitted_auc: float
    coefficients: dict[str, float]  # the fit on all pairs, before negatives became 0
    zeroed: tuple[str, ...]  # blocks whose coefficient was negative (or nil): weight 0

    @property
    def better(self) -> bool:
        return self.fitted_auc > self.current_auc and self.usable

    @property
    def usable(self) -> bool:
        """Whether the fitted weights can be a round's: at least one above 0."""
        return any(value > 0 for value in self.fitted_weights.values())


def history_check(good: np.ndarray) -> None:
    """Raise TooLittleHistory unless `good` (a bool per pair) is enough to fit on."""
    n, n_good = len(good), int(np.count_nonzero(good))
    if n < MIN_PAIRS or n_good < MIN_PER_CLASS or n - n_good < MIN_PER_CLASS:
        raise TooLittleHistory(pairs=n, good=n_good, poor=n - n_good)


def fit_weights(
    similarities: np.ndarray, good: np.ndarray, current: dict[str, float], *, folds: int = 5, seed: int = 0
) -> WeightFit:
    """Fit weights for the blocks of `current` (in its order, the columns of `similarities`: n pairs × blocks, each
    0..1) to `good` (True: a good outcome, False: a poor one), and compare them with `current` on held-out pairs.
    Raises TooLittleHistory below MIN_PAIRS pairs or MIN_PER_CLASS of either outcome. Deterministic for a seed."""
    blocks = tuple(current)
    x = np.asarray(similarities, dtype=np.float64)
    y = np.asarray(good, dtype=bool)
    if x.ndim != 2 or x.shape != (len(y), len(blocks)):
        raise ValueError(f"similarities: {len(y)} rows of {len(blocks)} blocks expected, got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise ValueError("similarities: finite numbers only.")
    history_check(y)
    current_vector = np.array([current[name] for name in blocks], dtype=np.float64)
    if current_vector.sum() <= 0 or np.any(current_vector < 0):
        raise ValueError("current: weights from 0 up, at least one above 0.")

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    fitted_aucs, current_aucs = [], []
    for train, held_out in splitter.split(x, y):
        weights = _weights(_coefficients(x[train], y[train], seed))
        fitted_aucs.append(_auc(y[held_out], x[held_out] @ weights))
        current_aucs.append(_auc(y[held_out], x[held_out] @ current_vector))

    coefficients = _coefficients(x, y, seed)
    weights = _weights(coefficients)
    total = weights.sum()
    scaled = weights * (current_vector.sum() / total) if total > 0 else weights
    return WeightFit(
        blocks=blocks,
        pairs=len(y),
        good=int(y.sum()),
        poor=int((~y).sum()),
        folds=folds,
        current_weights={name: float(current[name]) for name in blocks},
        current_auc=float(np.mean(current_aucs)),
        fitted_weights={name: round(float(value), 2) for name, value in zip(blocks, scaled, strict=True)},
        fitted_auc=float(np.mean(fitted_aucs)),
        coefficients={name: float(value) for name, value in zip(blocks, coefficients, strict=True)},
        zeroed=tuple(name for name, value in zip(blocks, coefficients, strict=True) if value <= NEGLIGIBLE),
    )


def _coefficients(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    model = LogisticRegression(C=REGULARISATION, max_iter=1000, random_state=seed)
    model.fit(x, y)
    return model.coef_.ravel()


def _weights(coefficients: np.ndarray) -> np.ndarray:
    return np.where(coefficients > NEGLIGIBLE, coefficients, 0.0)


def _auc(y: np.ndarray, scores: np.ndarray) -> float:
    # A constant score (every weight 0 on this fold) ranks no pair above another: a coin's 0.5, as sklearn gives.
    return float(roc_auc_score(y, scores))
