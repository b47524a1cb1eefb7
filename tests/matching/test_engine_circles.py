"""Group rounds in the engine: circles, their minimum size, and why each member is in their circle."""

import itertools

import numpy as np
import pytest
from ortools.graph.python import min_cost_flow

from matching.engine import Options, Participants, Weights, match
from tests.matching.test_engine import check_feasible, dense_scores, program


def circle_of(result) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for p in result.proposals:
        sizes[p.mentor_id] = sizes.get(p.mentor_id, 0) + 1
    return sizes


def check_no_circle_below(result, mentors, existing, minimum):
    already = dict(zip(mentors.ids, existing, strict=True))
    for mentor_id, proposed in circle_of(result).items():
        assert already[mentor_id] + proposed >= minimum, f"mentor {mentor_id}: a circle below {minimum}"


def exact_with_minimum(scores: np.ndarray, capacities, existing, minimum: int) -> float:
    """The best total score with every circle empty of proposals or at the minimum, by brute force: every set of
    open circles, each solved exactly as a min-cost flow whose first `need` slots of a circle carry a bonus no
    score can outweigh (then checked to be full)."""
    n, m = scores.shape
    need = [max(minimum - e, 0) if minimum - e > 1 else 0 for e in existing]
    optional = [j for j in range(m) if need[j] and capacities[j] >= need[j]]
    always = [j for j in range(m) if not need[j]]
    bonus, best = (2 * n + 1) * 10**6, 0.0
    for size in range(len(optional) + 1):
        for chosen in itertools.combinations(optional, size):
            flow = min_cost_flow.SimpleMinCostFlow()
            source, sink = n + m, n + m + 1
            pairs, firsts = [], {}
            for i in range(n):
                flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
            for j in [*always, *chosen]:
                for i in range(n):
                    if scores[i, j] > 0:
                        arc = flow.add_arc_with_capacity_and_unit_cost(i, n + j, 1, -round(scores[i, j] * 10**6))
                        pairs.append((arc, i, j))
                if need[j]:
                    firsts[j] = flow.add_arc_with_capacity_and_unit_cost(n + j, sink, need[j], -bonus)
                flow.add_arc_with_capacity_and_unit_cost(n + j, sink, capacities[j] - need[j], 0)
            flow.add_arc_with_capacity_and_unit_cost(source, sink, n, 0)
            flow.set_node_supply(source, n)
            flow.set_node_supply(sink, -n)
            assert flow.solve() == flow.OPTIMAL
            if all(flow.flow(arc) == need[j] for j, arc in firsts.items()):
                best = max(best, sum(scores[i, j] for arc, i, j in pairs if flow.flow(arc)))
    return best


def small_group_program(seed: int):
    mentees, mentors, capacities = program(seed, n_mentees=10, n_mentors=5)
    existing = np.random.default_rng(seed).integers(0, 2, size=5).tolist()
    return mentees, mentors, [c + 2 for c in capacities], existing


@pytest.mark.parametrize("mode", ["optimal", "stable"])
@pytest.mark.parametrize("seed", range(20))
def test_a_circle_under_the_minimum_is_never_proposed(seed, mode):
    mentees, mentors, capacities = program(seed, n_mentees=40, n_mentors=10)
    existing = np.random.default_rng(seed).integers(0, 3, size=10).tolist()
    options = Options(mode=mode, min_group_size=4)

    result = match(mentees, mentors, capacities, weights=Weights(), options=options, circle_sizes=existing)

    check_feasible(result, capacities, mentors)
    check_no_circle_below(result, mentors, existing, 4)
    assert result.stats["circles"] == len(circle_of(result))


@pytest.mark.parametrize("mode", ["optimal", "stable"])
@pytest.mark.parametrize("seed", range(10))
def test_a_minimum_of_one_gives_todays_proposals(seed, mode):
    mentees, mentors, capacities = program(seed, n_mentees=40, n_mentors=12)
    existing = np.random.default_rng(seed).integers(0, 3, size=12).tolist()
    options = Options(mode=mode, top_k=6)

    today = match(mentees, mentors, capacities, weights=Weights(), options=options)
    group = match(mentees, mentors, capacities, weights=Weights(), options=options, circle_sizes=existing)

    assert [(p.mentee_id, p.mentor_id, p.score) for p in group.proposals] == [
        (p.mentee_id, p.mentor_id, p.score) for p in today.proposals
    ]
    assert [{k: v for k, v in p.explanation.items() if k != "circle"} for p in group.proposals] == [
        p.explanation for p in today.proposals
    ]
    assert {k: group.stats[k] for k in today.stats} == today.stats
    assert group.stats["circles_closed"] == 0


def test_the_mentees_of_a_circle_too_small_go_to_another_where_they_fit():
    # Ana and Bo want Python, Cy and Di want SQL. Unconstrained, each pair goes to its own expert; with a minimum of
    # three, only one circle can be kept, and the four join it (Pia teaches both, with room for four).
    mentees = Participants(
        ids=[1, 2, 3, 4], skills=[["Python"], ["Python"], ["SQL"], ["SQL"]], industry=[None] * 4, text=[""] * 4
    )
    mentors = Participants(ids=[10, 11], skills=[["Python", "SQL"], ["SQL"]], industry=[None] * 2, text=[""] * 2)
    weights = Weights(industry=0, goals=0)

    free = match(mentees, mentors, [4, 2], weights=weights, options=Options())
    circles = match(mentees, mentors, [4, 2], weights=weights, options=Options(min_group_size=3))

    assert sorted(circle_of(free).items()) == [(10, 2), (11, 2)]
    assert circle_of(circles) == {10: 4}
    assert circles.stats["circles_closed"] == 1
    assert circles.stats["matched"] == 4


def test_members_already_in_a_circle_count_toward_its_minimum():
    mentees = Participants(ids=[1], skills=[["Python"]], industry=[None], text=[""])
    mentors = Participants(ids=[10, 11], skills=[["Python"], ["Python"]], industry=[None] * 2, text=[""] * 2)
    options = Options(min_group_size=3)

    (proposal,) = match(mentees, mentors, [2, 2], weights=Weights(), options=options, circle_sizes=[0, 2]).proposals
    nobody = match(mentees, mentors, [2, 2], weights=Weights(), options=options, circle_sizes=[0, 1]).proposals

    assert proposal.mentor_id == 11
    assert proposal.explanation["circle"] == {
        "size": 3,
        "already": 2,
        "common_wants": [],
        "summary": "A circle of 3 (2 already in it).",
    }
    assert nobody == []


def test_a_mentee_whose_only_circles_stay_too_small_is_told_so_not_that_mentors_were_full():
    # Ana and Bo want Python, which only Pia teaches: her circle would be 2, under the minimum of 3. Cy wants SQL,
    # which Sol (room 1) teaches and gives him: Sol's circle is 1 already in it and Cy.
    mentees = Participants(ids=[1, 2, 3], skills=[["Python"], ["Python"], ["SQL"]], industry=[None] * 3, text=[""] * 3)
    mentors = Participants(ids=[10, 11], skills=[["Python"], ["SQL"]], industry=[None] * 2, text=[""] * 2)
    options = Options(min_group_size=3)

    result = match(mentees, mentors, [4, 1], weights=Weights(industry=0, goals=0), options=options, circle_sizes=[0, 2])

    assert circle_of(result) == {11: 1}
    assert {(u.mentee_id, u.reason) for u in result.unmatched} == {(1, "circles_too_small"), (2, "circles_too_small")}
    assert result.unmatched[0].details["circles_closed"] == 1
    assert result.stats["unmatched"] == {"circles_too_small": 2}


def test_each_member_is_told_who_in_their_circle_wants_the_same():
    mentees = Participants(
        ids=[1, 2, 3, 4],
        skills=[["Python", "SQL"], ["python"], ["Python", "SQL"], ["Python"]],
        industry=[None] * 4,
        text=[""] * 4,
    )
    mentors = Participants(ids=[10], skills=[["Python", "SQL"]], industry=[None], text=[""])

    result = match(mentees, mentors, [4], weights=Weights(), options=Options(min_group_size=2))

    circle = {p.mentee_id: p.explanation["circle"] for p in result.proposals}
    assert circle[1]["common_wants"] == [{"skill": "Python", "others": 3}, {"skill": "SQL", "others": 1}]
    assert circle[1]["summary"] == "A circle of 4; 3 others want Python too."
    assert circle[2]["common_wants"] == [{"skill": "python", "others": 3}]


@pytest.mark.parametrize("seed", range(40))
def test_optimal_circles_come_close_to_the_exact_optimum_on_small_programs(seed, request):
    mentees, mentors, capacities, existing = small_group_program(seed)

    result = match(
        mentees,
        mentors,
        capacities,
        weights=Weights(),
        options=Options(top_k=5, min_group_size=3),
        circle_sizes=existing,
    )

    check_no_circle_below(result, mentors, existing, 3)
    exact = exact_with_minimum(dense_scores(mentees, mentors), capacities, existing, 3)
    assert result.stats["total_score"] <= exact + 1e-6
    assert result.stats["total_score"] >= 0.9 * exact
