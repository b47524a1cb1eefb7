"""Weights fitted to outcomes (matching.engine.calibration), on synthetic histories whose true weights are known."""

import numpy as np
import pytest

from matching.engine.calibration import MIN_PAIRS, MIN_PER_CLASS, TooLittleHistory, fit_weights

TRUE_WEIGHTS = {"skills": 3.0, "industry": 0.2, "goals": 1.0}
DEFAULTS = {"skills": 1.0, "industry": 0.5, "goals": 1.0}


def synthetic_history(pairs: int, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs' block similarities (skills and goals 0..1, industry same or not) and outcomes drawn from a logistic
    model with TRUE_WEIGHTS: skills matter most, then goals, industry barely."""
    rng = np.random.default_rng(seed)
    similarities = np.column_stack(
        [rng.uniform(0, 1, pairs), rng.integers(0, 2, pairs).astype(float), rng.uniform(0, 1, pairs)]
    )
    logit = similarities @ np.array(list(TRUE_WEIGHTS.values())) - 2.1
    good = rng.uniform(size=pairs) < 1 / (1 + np.exp(-logit))
    return similarities, good


def test_the_fit_recovers_the_order_of_the_true_weights():
    similarities, good = synthetic_history(1000, seed=7)

    fit = fit_weights(similarities, good, DEFAULTS)

    weights = fit.fitted_weights
    assert weights["skills"] > weights["goals"] > weights["industry"] >= 0
    assert fit.blocks == ("skills", "industry", "goals")


def test_the_fitted_weights_rank_held_out_pairs_better_than_the_defaults():
    similarities, good = synthetic_history(1000, seed=7)

    fit = fit_weights(similarities, good, DEFAULTS)

    assert fit.fitted_auc > fit.current_auc + 0.02
    assert fit.better


def test_the_fitted_weights_sum_as_the_current_ones_do():
    similarities, good = synthetic_history(400, seed=3)

    fit = fit_weights(similarities, good, {"skills": 2.0, "industry": 1.0, "goals": 2.0})

    assert sum(fit.fitted_weights.values()) == pytest.approx(5.0, abs=0.01)


def test_a_signal_that_goes_with_poor_outcomes_gets_weight_zero():
    rng = np.random.default_rng(11)
    similarities = rng.uniform(0, 1, (600, 3))
    logit = similarities @ np.array([3.0, -3.0, 0.5]) - 0.2  # industry in common goes with poor outcomes here
    good = rng.uniform(size=600) < 1 / (1 + np.exp(-logit))

    fit = fit_weights(similarities, good, DEFAULTS)

    assert fit.fitted_weights["industry"] == 0
    assert fit.coefficients["industry"] < 0
    assert fit.zeroed == ("industry",)
    assert fit.usable


def test_the_sample_size_is_reported():
    similarities, good = synthetic_history(300, seed=5)

    fit = fit_weights(similarities, good, DEFAULTS, folds=4)

    assert (fit.pairs, fit.good, fit.poor, fit.folds) == (300, int(good.sum()), int((~good).sum()), 4)


def test_the_fit_is_the_same_for_the_same_seed():
    similarities, good = synthetic_history(300, seed=5)

    first, second = fit_weights(similarities, good, DEFAULTS, seed=1), fit_weights(similarities, good, DEFAULTS, seed=1)

    assert first == second


def test_too_few_pairs_are_refused():
    similarities, good = synthetic_history(MIN_PAIRS - 1, seed=2)

    with pytest.raises(TooLittleHistory) as refused:
        fit_weights(similarities, good, DEFAULTS)

    assert refused.value.pairs == MIN_PAIRS - 1
    assert refused.value.needed == {"pairs": MIN_PAIRS, "per_class": MIN_PER_CLASS}


def test_too_few_good_pairs_are_refused_however_many_pairs():
    similarities = np.random.default_rng(0).uniform(0, 1, (200, 3))
    good = np.zeros(200, dtype=bool)
    good[: MIN_PER_CLASS - 1] = True

    with pytest.raises(TooLittleHistory) as refused:
        fit_weights(similarities, good, DEFAULTS)

    assert (refused.value.good, refused.value.poor) == (MIN_PER_CLASS - 1, 200 - MIN_PER_CLASS + 1)


def test_enough_of_each_outcome_is_fitted():
    similarities = np.random.default_rng(0).uniform(0, 1, (MIN_PAIRS, 3))
    good = np.zeros(MIN_PAIRS, dtype=bool)
    good[:MIN_PER_CLASS] = True

    fit = fit_weights(similarities, good, DEFAULTS)

    assert (fit.good, fit.poor) == (MIN_PER_CLASS, MIN_PAIRS - MIN_PER_CLASS)


def test_similarities_of_the_wrong_shape_are_refused():
    similarities, good = synthetic_history(100, seed=1)

    with pytest.raises(ValueError, match="similarities"):
        fit_weights(similarities[:, :2], good, DEFAULTS)
