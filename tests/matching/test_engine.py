"""The matching engine's properties, on programs generated from a seed: no database involved."""

import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from matching.engine import BLOCKS, Options, Participants, Scorer, Weights, match, recommend

SKILLS = ["Python", "SQL", "Leadership", "Negotiation", "Public speaking", "Design", "Finance", "Marketing", "Sales"]
INDUSTRIES = ["Healthcare", "Retail", "Education", "Energy"]
WORDS = [
    *("lead", "team", "data", "pipeline", "product", "launch", "career"),
    *("growth", "startup", "fundraising", "design", "research", "sales"),
]


def program(seed: int, n_mentees: int, n_mentors: int):
    rng = np.random.default_rng(seed)

    def side(ids):
        return Participants(
            ids=list(ids),
            skills=[list(rng.choice(SKILLS, size=rng.integers(0, 4), replace=False)) for _ in ids],
            industry=[rng.choice([*INDUSTRIES, None]) for _ in ids],
            text=[" ".join(rng.choice(WORDS, size=rng.integers(0, 6))) for _ in ids],
            utc_offset_hours=[float(rng.integers(-8, 10)) for _ in ids],
        )

    mentees = side(range(1, n_mentees + 1))
    mentors = side(range(1001, 1001 + n_mentors))
    capacities = rng.integers(0, 4, size=n_mentors).tolist()
    return mentees, mentors, capacities


def dense_scores(mentees, mentors, weights=None):
    scorer = Scorer(weights or Weights()).fit(mentees, mentors)
    a, b = scorer.stacked(scorer.blocks(mentees)), scorer.stacked(scorer.blocks(mentors))
    return (a @ b.T).toarray()


def dense_optimum(scores: np.ndarray, capacities) -> float:
    """The exact best total by brute force over mentor slots (a dense assignment solver)."""
    slots = [j for j, c in enumerate(capacities) for _ in range(c)]
    if not slots:
        return 0.0
    expanded = scores[:, slots]
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    return float(expanded[rows, cols].sum())


def check_feasible(result, capacities, mentors):
    per_mentee = [p.mentee_id for p in result.proposals]
    assert len(per_mentee) == len(set(per_mentee)), "a mentee proposed twice"
    taken = {}
    for p in result.proposals:
        taken[p.mentor_id] = taken.get(p.mentor_id, 0) + 1
    cap = dict(zip(mentors.ids, capacities, strict=True))
    assert all(n <= cap[m] for m, n in taken.items()), "a mentor past capacity"


@pytest.mark.parametrize("seed", range(25))
def test_optimal_equals_the_dense_optimum_and_keeps_capacity(seed):
    mentees, mentors, capacities = program(seed, n_mentees=12, n_mentors=6)

    result = match(mentees, mentors, capacities, weights=Weights(), options=Options(top_k=6))

    check_feasible(result, capacities, mentors)
    expected = dense_optimum(dense_scores(mentees, mentors), capacities)
    assert result.stats["total_score"] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_optimal_beats_or_equals_greedy(seed):
    mentees, mentors, capacities = program(seed, n_mentees=40, n_mentors=12)

    optimal = match(mentees, mentors, capacities, weights=Weights(), options=Options(mode="optimal"))
    stable = match(mentees, mentors, capacities, weights=Weights(), options=Options(mode="stable"))

    check_feasible(stable, capacities, mentors)
    assert optimal.stats["total_score"] >= stable.stats["total_score"] - 1e-9


def blocking_pairs_by_brute_force(result, scores, mentees, mentors, capacities) -> int:
    mentee_at = {pid: i for i, pid in enumerate(mentees.ids)}
    mentor_at = {pid: j for j, pid in enumerate(mentors.ids)}
    has = {mentee_at[p.mentee_id]: p.score for p in result.proposals}
    holds: dict[int, list[float]] = {}
    for p in result.proposals:
        holds.setdefault(mentor_at[p.mentor_id], []).append(p.score)
    count = 0
    for i, j in itertools.product(range(len(mentees)), range(len(mentors))):
        s = scores[i, j]
        if s <= 0 or capacities[j] == 0:
            continue
        mentee_wants = s > has.get(i, -1) + 1e-6  # the search ranks in float32
        theirs = holds.get(j, [])
        mentor_wants = len(theirs) < capacities[j] or s > min(theirs) + 1e-6
        count += mentee_wants and mentor_wants
    return count


@pytest.mark.parametrize("seed", range(15))
def test_stable_mode_leaves_no_blocking_pair(seed):
    mentees, mentors, capacities = program(seed, n_mentees=20, n_mentors=8)

    result = match(mentees, mentors, capacities, weights=Weights(), options=Options(mode="stable", top_k=8))

    check_feasible(result, capacities, mentors)
    assert result.stats["blocking_pairs"] == 0
    assert blocking_pairs_by_brute_force(result, dense_scores(mentees, mentors), mentees, mentors, capacities) == 0


def test_blocking_pairs_are_counted_in_optimal_mode_too():
    # Two mentees, one slot each with two mentors: the optimum may leave a pair who would rather swap.
    mentees = Participants(ids=[1, 2], skills=[["A", "B"], ["A"]], industry=[None, None], text=["", ""])
    mentors = Participants(ids=[10, 11], skills=[["A", "B"], ["B"]], industry=[None, None], text=["", ""])

    optimal = match(mentees, mentors, [1, 1], weights=Weights(goals=0, industry=0), options=Options())
    stable = match(mentees, mentors, [1, 1], weights=Weights(goals=0, industry=0), options=Options(mode="stable"))

    assert optimal.stats["total_score"] > stable.stats["total_score"]
    assert optimal.stats["blocking_pairs"] == 1
    assert stable.stats["blocking_pairs"] == 0


@pytest.mark.parametrize("seed", range(10))
def test_explanation_blocks_add_up_to_the_score(seed):
    mentees, mentors, capacities = program(seed, n_mentees=30, n_mentors=10)

    result = match(mentees, mentors, capacities, weights=Weights(skills=2, industry=1, goals=1), options=Options())

    assert result.proposals
    for p in result.proposals:
        assert set(p.explanation["blocks"]) == set(BLOCKS)
        assert sum(p.explanation["blocks"].values()) == pytest.approx(p.score, abs=1e-12)
        assert 0 < p.score <= 1 + 1e-12


def test_explanation_names_what_the_pair_shares():
    mentees = Participants(
        ids=[1], skills=[["python", "Public Speaking"]], industry=["healthcare"], text=["Lead a data team"]
    )
    mentors = Participants(
        ids=[7], skills=[["Python", "Leadership"]], industry=["Healthcare"], text=["I have led data teams for years"]
    )

    (proposal,) = match(mentees, mentors, [1], weights=Weights(), options=Options()).proposals

    assert proposal.explanation["shared_skills"] == ["Python"]
    assert proposal.explanation["industry"] == "Healthcare"
    assert proposal.explanation["shared_goal_words"][:2] in (["data", "team"], ["team", "data"])


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_the_same_inputs_give_the_same_proposals(mode):
    mentees, mentors, capacities = program(7, n_mentees=200, n_mentors=40)
    options = Options(mode=mode, top_k=10)

    first = match(mentees, mentors, capacities, weights=Weights(), options=options)
    second = match(mentees, mentors, capacities, weights=Weights(), options=options)

    assert first.proposals == second.proposals
    assert first.stats == second.stats


def test_excluded_pairs_and_low_scores_are_never_proposed():
    mentees, mentors, capacities = program(3, n_mentees=40, n_mentors=10)
    first = match(mentees, mentors, capacities, weights=Weights(), options=Options())
    excluded = {(p.mentee_id, p.mentor_id) for p in first.proposals}

    again = match(mentees, mentors, capacities, weights=Weights(), options=Options(min_score=0.3), excluded=excluded)

    assert not excluded & {(p.mentee_id, p.mentor_id) for p in again.proposals}
    assert all(p.score >= 0.3 for p in again.proposals)


def test_hard_filters_same_industry_and_time_zone_gap():
    mentees, mentors, capacities = program(5, n_mentees=60, n_mentors=15)
    industry = dict(zip(mentees.ids + mentors.ids, list(mentees.industry) + list(mentors.industry), strict=True))
    offset = dict(zip(mentees.ids + mentors.ids, [*mentees.utc_offset_hours, *mentors.utc_offset_hours], strict=True))

    result = match(
        mentees, mentors, capacities, weights=Weights(), options=Options(same_industry=True, max_timezone_hours=3)
    )

    assert result.proposals
    for p in result.proposals:
        assert industry[p.mentee_id] is not None and industry[p.mentee_id] == industry[p.mentor_id]
        assert abs(offset[p.mentee_id] - offset[p.mentor_id]) <= 3


def test_candidates_grow_with_mentees_times_k_not_with_mentors():
    mentees, mentors, capacities = program(11, n_mentees=100, n_mentors=80)

    result = match(mentees, mentors, capacities, weights=Weights(), options=Options(top_k=5, chunk_elements=500))

    assert result.stats["candidate_pairs"] <= 100 * 5


def test_a_mentor_with_no_capacity_gets_no_one_and_empty_pools_are_fine():
    mentees, mentors, _ = program(2, n_mentees=10, n_mentors=3)

    assert match(mentees, mentors, [0, 0, 0], weights=Weights(), options=Options()).proposals == []
    empty = Participants(ids=[], skills=[], industry=[], text=[])
    assert match(empty, mentors, [1, 1, 1], weights=Weights(), options=Options()).stats["matched"] == 0
    assert match(mentees, empty, [], weights=Weights(), options=Options()).stats["matched"] == 0


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"skills": -1}, "cannot be negative"),
        ({"skills": 0, "industry": 0, "goals": 0}, "above zero"),
        ({"goals": float("nan")}, "finite"),
        ({"industry": "high"}, "finite"),
    ],
)
def test_bad_weights_are_refused_with_a_reason(weights, message):
    with pytest.raises(ValueError, match=message):
        Weights(**weights)


@pytest.mark.parametrize("options", [{"mode": "greedy"}, {"top_k": 0}, {"min_score": 1.5}, {"max_timezone_hours": -1}])
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        Options(**options)


def test_recommendations_rank_mentors_by_the_round_scorer_fitted_on_the_mentors():
    mentees, mentors, _ = program(9, n_mentees=1, n_mentors=30)
    scorer = Scorer(Weights()).fit(mentors)  # a page load has one mentee: the vocabulary is the mentors'
    scores = (scorer.stacked(scorer.blocks(mentees)) @ scorer.stacked(scorer.blocks(mentors)).T).toarray()[0]

    ranked = recommend(mentees, mentors, weights=Weights(), limit=5)

    assert [p.score for p in ranked] == sorted((p.score for p in ranked), reverse=True)
    assert ranked[0].score == pytest.approx(scores.max())
    assert all(sum(p.explanation["blocks"].values()) == pytest.approx(p.score) for p in ranked)


def test_a_search_split_over_mentee_slices_gives_the_same_proposals():
    from matching.engine import finish, merge, prepare, search

    mentees, mentors, capacities = program(13, n_mentees=300, n_mentors=50)
    whole = match(mentees, mentors, capacities, weights=Weights(), options=Options(top_k=8))

    prepared = prepare(mentees, mentors, capacities, weights=Weights(), options=Options(top_k=8))
    slices = [range(start, min(start + 70, 300)) for start in range(0, 300, 70)]
    split = finish(prepared, merge([search(prepared, rows) for rows in slices]))

    assert split.proposals == whole.proposals


@pytest.mark.parametrize("seed", range(6))
def test_the_candidate_search_keeps_each_rows_best_exactly_ties_by_column(seed):
    from matching.engine.candidates import _best_per_row

    rng = np.random.default_rng(seed)
    scores = np.round(rng.random((40, 500)), 2).astype(np.float32)  # many ties
    scores[rng.random(scores.shape) < 0.3] = -1  # not allowed
    scores[:3, 5:] = 0  # rows with fewer usable entries than k
    keep, min_score = 12, 0.05

    rows, columns, values = _best_per_row(scores, keep, min_score)

    expected = []
    for i, row in enumerate(scores):
        usable = [(-row[j], j) for j in range(len(row)) if row[j] > 0 and row[j] >= min_score]
        expected += [(i, j, -s) for s, j in sorted(usable)[:keep]]
    assert list(zip(rows.tolist(), columns.tolist(), values.tolist(), strict=True)) == expected


def reasons_by_brute_force(mentees, mentors, capacities, excluded, options, result) -> dict[int, str]:
    """Why each mentee without a proposal has none, found on the dense scores one mentor at a time."""
    scores = dense_scores(mentees, mentors)
    proposed = {p.mentee_id for p in result.proposals}
    taken = {}
    for p in result.proposals:
        taken[p.mentor_id] = taken.get(p.mentor_id, 0) + 1

    def passes(step: str, i: int, j: int) -> bool:
        if step == "excluded":
            return (mentees.ids[i], mentors.ids[j]) not in excluded
        if step == "same_industry":
            industry = mentees.industry[i]
            return not options.same_industry or (industry is not None and industry == mentors.industry[j])
        gap = abs(mentees.utc_offset_hours[i] - mentors.utc_offset_hours[j])
        return options.max_timezone_hours is None or gap <= options.max_timezone_hours

    expected = {}
    for i, mentee in enumerate(mentees.ids):
        if mentee in proposed:
            continue
        left = [j for j in range(len(mentors)) if capacities[j] > 0]
        reason = None
        for step in ("excluded", "same_industry", "timezone_gap"):
            left = [j for j in left if passes(step, i, j)]
            if not left:
                reason = step
                break
        if reason is None:
            best = max(scores[i, j] for j in left)
            if best <= 1e-6:
                reason = "no_common_ground"
            elif best < options.min_score - 1e-6:
                reason = "below_min_score"
            else:  # they fit someone: each one they fit is full, or was beyond their top_k candidates
                usable = [j for j in left if scores[i, j] > 1e-6 and scores[i, j] >= options.min_score - 1e-6]
                assert all(taken.get(mentors.ids[j], 0) >= capacities[j] for j in usable) or len(usable) > options.top_k
                reason = "mentors_full"
        expected[mentee] = reason
    return expected


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_every_mentee_left_out_is_told_the_step_that_left_them_out(seed, mode):
    mentees, mentors, capacities = program(seed, n_mentees=30, n_mentors=8)
    rng = np.random.default_rng(seed)
    excluded = {(int(a), int(b)) for a, b in zip(rng.choice(mentees.ids, 40), rng.choice(mentors.ids, 40), strict=True)}
    options = Options(
        mode=mode,
        top_k=int(rng.integers(2, 9)),
        min_score=float(rng.choice([0.0, 0.2, 0.4])),
        same_industry=bool(seed % 3 == 0),
        max_timezone_hours=[None, 4.0, 8.0][seed % 3 - 1] if seed % 3 else None,
    )

    result = match(mentees, mentors, capacities, weights=Weights(), options=options, excluded=excluded)

    left_out = {u.mentee_id: u.reason for u in result.unmatched}
    assert not left_out.keys() & {p.mentee_id for p in result.proposals}
    assert len(left_out) + len(result.proposals) == len(mentees)
    assert left_out == reasons_by_brute_force(mentees, mentors, capacities, excluded, options, result)
    assert sum(result.stats["unmatched"].values()) == len(left_out)


def test_a_mentee_who_fits_mentors_full_up_is_told_how_many_fit():
    mentees = Participants(ids=[1, 2, 3], skills=[["A"], ["A"], []], industry=[None] * 3, text=["", "", ""])
    mentors = Participants(ids=[10], skills=[["A"]], industry=[None], text=[""])

    result = match(mentees, mentors, [1], weights=Weights(), options=Options(top_k=1))

    why = {u.mentee_id: u for u in result.unmatched}
    assert why.keys() == {2, 3} or why.keys() == {1, 3}
    full = why.get(2) or why.get(1)
    assert (full.reason, full.details["candidates"], full.details["top_k_reached"]) == ("mentors_full", 1, True)
    assert (why[3].reason, why[3].details["empty_profile"]) == ("no_common_ground", True)


def test_with_no_mentor_every_mentee_is_told_so():
    mentees, _, _ = program(1, n_mentees=3, n_mentors=1)
    empty = Participants(ids=[], skills=[], industry=[], text=[])

    result = match(mentees, empty, [], weights=Weights(), options=Options())

    assert [u.reason for u in result.unmatched] == ["no_mentor"] * 3


def test_a_pair_at_exactly_the_minimum_score_is_proposed():
    """Sharing an industry alone scores 0.2 with the default weights: 0.19999999 once summed in float32."""
    mentees = Participants(ids=[1], skills=[["A"]], industry=["Retail"], text=[""])
    mentors = Participants(ids=[10], skills=[["B"]], industry=["Retail"], text=[""])

    result = match(mentees, mentors, [1], weights=Weights(), options=Options(min_score=0.2))

    assert [(p.mentee_id, p.mentor_id) for p in result.proposals] == [(1, 10)]
    assert result.proposals[0].score == pytest.approx(0.2)
