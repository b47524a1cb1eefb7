"""Who is proposed to whom, on the candidate graph, within every mentor's capacity and each mentee once.

`optimal`: the largest total score, exactly, as a min-cost flow (source → mentee → mentor → sink, with a
bypass arc so that a mentee may stay unmatched). `stable`: pairs taken in descending score order; when both sides
rank by the same score this leaves no pair who would both rather be together than with whom they got.

`optimal` can also fill given minimum loads first (a group round's circles, matching.engine.circles): each mentor's
first `minimum_loads` slots earn a bonus larger than any score a reassignment could lose, so the flow meets as many
of those minimums as the candidates allow, and then has the largest total score.
"""

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.engine.candidates import Candidates

# Scores become integer costs for the solver; 1e9 keeps the total exact to ~1e-9 per pair.
COST_SCALE = 1_000_000_000


def assign_optimal(
    candidates: Candidates, capacities: np.ndarray, n_mentees: int, minimum_loads: np.ndarray | None = None
) -> np.ndarray:
    """Indices into `candidates` of the chosen edges."""
    if len(candidates) == 0:
        return np.array([], dtype=np.int64)
    n_mentors = len(capacities)
    source, sink = n_mentees + n_mentors, n_mentees + n_mentors + 1
    scale = COST_SCALE
    if minimum_loads is not None:
        # A cycle of the residual graph passes at most 2 pair arcs per mentee: a bonus above 2 × mentees × the
        # score scale outweighs any score it could lose. The solver multiplies costs by the node count and refuses
        # a range that would overflow 64 bits: the scale shrinks for a large pool (still ~1e-8 per pair at 100k).
        scale = min(COST_SCALE, 2**62 // ((2 * n_mentees + 1) * (n_mentees + n_mentors + 3)))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_mentees, source),
        np.arange(n_mentees),
        np.ones(n_mentees, dtype=np.int64),
        np.zeros(n_mentees, dtype=np.int64),
    )
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        candidates.mentee,
        n_mentees + candidates.mentor,
        np.ones(len(candidates), dtype=np.int64),
        -np.rint(candidates.score * scale).astype(np.int64),
    )
    capacities = np.asarray(capacities, dtype=np.int64)
    mentor_nodes, sinks = n_mentees + np.arange(n_mentors), np.full(n_mentors, sink)
    if minimum_loads is not None:
        first = np.minimum(np.asarray(minimum_loads, dtype=np.int64), capacities)
        bonus = (2 * n_mentees + 1) * scale
        flow.add_arcs_with_capacity_and_unit_cost(mentor_nodes, sinks, first, np.full(n_mentors, -bonus))
        capacities = capacities - first
    flow.add_arcs_with_capacity_and_unit_cost(mentor_nodes, sinks, capacities, np.zeros(n_mentors, dtype=np.int64))
    flow.add_arc_with_capacity_and_unit_cost(source, sink, n_mentees, 0)  # staying unmatched costs nothing
    flow.set_node_supply(source, n_mentees)
    flow.set_node_supply(sink, -n_mentees)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The assignment solver did not find an optimum (status {status}).")
    return np.flatnonzero(flow.flows(pair_arcs) > 0)


def assign_stable(candidates: Candidates, capacities: np.ndarray, n_mentees: int) -> np.ndarray:
    order = np.lexsort((candidates.mentor, candidates.mentee, -candidates.score))
    left = np.asarray(capacities, dtype=np.int64).copy()
    matched = np.zeros(n_mentees, dtype=bool)
    chosen = []
    for edge in order:
        mentee, mentor = candidates.mentee[edge], candidates.mentor[edge]
        if not matched[mentee] and left[mentor] > 0:
            matched[mentee] = True
            left[mentor] -= 1
            chosen.append(edge)
    return np.array(sorted(chosen), dtype=np.int64)


def blocking_pairs(candidates: Candidates, chosen: np.ndarray, capacities: np.ndarray, n_mentees: int) -> int:
    """Candidate pairs who would both rather be together: the mentee is unmatched or scores lower with their
    mentor, and the mentor has a free slot or a mentee who scores lower."""
    mentee_has = np.full(n_mentees, -np.inf)
    mentee_has[candidates.mentee[chosen]] = candidates.score[chosen]
    taken = np.bincount(candidates.mentor[chosen], minlength=len(capacities))
    mentor_worst = np.full(len(capacities), np.inf)
    np.minimum.at(mentor_worst, candidates.mentor[chosen], candidates.score[chosen])
    mentor_worst[taken < np.asarray(capacities)] = -np.inf  # a free slot: any mentee is welcome
    score = candidates.score
    blocking = (score > mentee_has[candidates.mentee] + 1e-12) & (score > mentor_worst[candidates.mentor] + 1e-12)
    return int(np.count_nonzero(blocking))
