"""The matching engine: pure Python over numpy, scipy and scikit-learn. Plain data in, plain results out, so it
can be tested, benchmarked and run at scale without a database.

    result = match(mentees, mentors, capacities, weights=Weights(), options=Options(), excluded=[(3, 7)])

A group round passes each mentor's `circle_sizes` (members already in their circle): mentors' capacities are then
the room left in their circles, `options.min_group_size` applies and each proposal says why the member is in that
circle (matching.engine.circles).

Peer programs (everyone on both sides, pairs in a general graph): matching.engine.peers.match_peers.
"""

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matching.engine.assignment import assign_optimal, assign_stable, blocking_pairs
from matching.engine.candidates import (
    SAME_INDUSTRY,
    TIMEZONE_GAP,
    Candidates,
    Rules,
    pair_rules,
    rule_masks,
    top_candidates,
)
from matching.engine.circles import assign_circles, circle_explanations
from matching.engine.explain import explanations
from matching.engine.features import Scorer
from matching.engine.peer_explain import describe_pair
from matching.engine.peers import match_peers
from matching.engine.progress import Progress, Reporter
from matching.engine.types import (
    BLOCKS,
    MODES,
    PEER_BLOCKS,
    MatchResult,
    Options,
    Participants,
    Peers,
    PeerWeights,
    Proposal,
    Unmatched,
    Weights,
)
from matching.engine.unmatched import REASONS, unmatched_reasons

__all__ = [
    "BLOCKS",
    "MODES",
    "PEER_BLOCKS",
    "REASONS",
    "SAME_INDUSTRY",
    "TIMEZONE_GAP",
    "Candidates",
    "MatchResult",
    "Options",
    "Participants",
    "PeerWeights",
    "Peers",
    "Prepared",
    "Proposal",
    "Scorer",
    "Unmatched",
    "Weights",
    "broken_rules",
    "describe_pair",
    "match",
    "match_peers",
    "rank",
    "recommend",
    "score_against",
]


@dataclass
class Prepared:
    """Everything the candidate search and the assignment need, fitted once. Picklable, so that workers can
    share it when a large round's search is split over mentee chunks."""

    mentees: Participants
    mentors: Participants
    capacities: np.ndarray
    options: Options
    scorer: Scorer
    mentee_blocks: dict[str, sp.csr_matrix]
    mentor_blocks: dict[str, sp.csr_matrix]
    mentee_x: sp.csr_matrix
    mentor_x: sp.csr_matrix
    rules: Rules
    circle_sizes: np.ndarray | None = None  # a group round's: each mentor's members already in their circle
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def circles(self) -> bool:
        """A group round: its mentors lead circles (sizes given, or a minimum size asked)."""
        return self.circle_sizes is not None or self.options.min_group_size > 1


def prepare(
    mentees: Participants,
    mentors: Participants,
    capacities: Sequence[int],
    *,
    weights: Weights,
    options: Options,
    excluded: Iterable[tuple[int, int]] = (),
    circle_sizes: Sequence[int] | None = None,
) -> Prepared:
    """Stage 1: fit the scorer and build both sides' features and the pairing rules. `circle_sizes`: a group
    round's members already in each mentor's circle (then `capacities` are the room left in them)."""
    if len(capacities) != len(mentors):
        raise ValueError(f"{len(capacities)} capacities for {len(mentors)} mentors.")
    if circle_sizes is not None:
        circle_sizes = np.asarray(circle_sizes, dtype=np.int64)
        if len(circle_sizes) != len(mentors) or (circle_sizes < 0).any():
            raise ValueError(f"circle_sizes: one size of 0 or more for each of the {len(mentors)} mentors.")
    clock = time.perf_counter()
    scorer = Scorer(weights)
    mentee_blocks, mentor_blocks = scorer.fit_blocks(mentees, mentors)
    prepared = Prepared(
        mentees=mentees,
        mentors=mentors,
        capacities=np.asarray(capacities, dtype=np.int64),
        options=options,
        scorer=scorer,
        mentee_blocks=mentee_blocks,
        mentor_blocks=mentor_blocks,
        mentee_x=scorer.stacked(mentee_blocks),
        mentor_x=scorer.stacked(mentor_blocks),
        rules=pair_rules(mentees, mentors, excluded, options),
        circle_sizes=circle_sizes,
    )
    prepared.seconds["features"] = time.perf_counter() - clock
    return prepared


def search(prepared: Prepared, rows: range | None = None, progress: Progress | None = None) -> Candidates:
    """Stage 2: the candidate mentors of the mentees in `rows` (all by default); slices can run anywhere."""
    candidates = top_candidates(
        prepared.mentee_x,
        prepared.mentor_x,
        top_k=prepared.options.top_k,
        rules=prepared.rules,
        chunk_elements=prepared.options.chunk_elements,
        rows=rows,
        progress=progress,
    )
    keep = prepared.capacities[candidates.mentor] > 0
    return Candidates(candidates.mentee[keep], candidates.mentor[keep], candidates.score[keep])


def finish(prepared: Prepared, candidates: Candidates) -> MatchResult:
    """Stage 3: assign on the candidate graph, explain each proposal and say why each mentee left out was."""
    seconds = dict(prepared.seconds)
    mentees, mentors, capacities = prepared.mentees, prepared.mentors, prepared.capacities
    clock = time.perf_counter()
    circle_stats = {}
    if prepared.circles:
        existing = _circle_sizes(prepared)
        circles = assign_circles(
            candidates,
            capacities,
            len(mentees),
            existing=existing,
            minimum=prepared.options.min_group_size,
            mode=prepared.options.mode,
        )
        # Pairs count as blocking only with a circle that stays open: a closed one takes nobody.
        chosen, capacities = circles.chosen, circles.room
        circle_stats = {"circles_closed": circles.closed, "assignment_passes": circles.passes}
    else:
        assign = assign_optimal if prepared.options.mode == "optimal" else assign_stable
        chosen = assign(candidates, capacities, len(mentees))
    blocking = blocking_pairs(candidates, chosen, capacities, len(mentees))
    seconds["assignment"] = time.perf_counter() - clock

    clock = time.perf_counter()
    unmatched = unmatched_reasons(
        mentee_ids=mentees.ids,
        mentee_x=prepared.mentee_x,
        mentor_x=prepared.mentor_x,
        capacities=prepared.capacities,
        rules=prepared.rules,
        candidates=candidates,
        chosen=chosen,
        top_k=prepared.options.top_k,
        chunk_elements=prepared.options.chunk_elements,
        closed=(prepared.capacities > 0) & (capacities == 0) if prepared.circles else None,
    )
    mentee_index, mentor_index = candidates.mentee[chosen], candidates.mentor[chosen]
    scores, why = explanations(
        prepared.scorer, mentees, mentors, prepared.mentee_blocks, prepared.mentor_blocks, mentee_index, mentor_index
    )
    if prepared.circles:
        for explanation, circle in zip(
            why, circle_explanations(mentees.skills, mentee_index, mentor_index, existing), strict=True
        ):
            explanation["circle"] = circle
        circle_stats["circles"] = len(set(mentor_index.tolist()))
    proposals = [
        Proposal(int(mentees.ids[a]), int(mentors.ids[b]), float(score), explanation)
        for a, b, score, explanation in zip(mentee_index, mentor_index, scores, why, strict=True)
    ]
    seconds["explain"] = time.perf_counter() - clock

    total = float(np.sum(scores)) if len(proposals) else 0.0
    why_left_out = Counter(u.reason for u in unmatched)
    stats = {
        "mode": prepared.options.mode,
        "mentees": len(mentees),
        "mentors": len(mentors),
        "matched": len(proposals),
        "total_score": round(total, 6),
        "mean_score": round(total / len(proposals), 6) if proposals else 0.0,
        "blocking_pairs": blocking,
        "candidate_pairs": len(candidates),
        **circle_stats,
        "unmatched": {reason: why_left_out[reason] for reason in REASONS if why_left_out[reason]},
    }
    return MatchResult(proposals=proposals, stats=stats, seconds=seconds, unmatched=unmatched)


def merge(parts: Sequence[Candidates]) -> Candidates:
    """The candidates of several mentee slices, as one graph (slices are disjoint, order is kept)."""
    return Candidates(*(np.concatenate([getattr(p, name) for p in parts]) for name in ("mentee", "mentor", "score")))


def match(
    mentees: Participants,
    mentors: Participants,
    capacities: Sequence[int],
    *,
    weights: Weights,
    options: Options,
    excluded: Iterable[tuple[int, int]] = (),
    circle_sizes: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> MatchResult:
    """Propose mentors to mentees: each mentee at most once, no mentor beyond capacity, no excluded pair, no pair
    below `options.min_score`, and the best total score (`optimal`) or a stable matching (`stable`). A group round
    (`circle_sizes`, or `options.min_group_size` above 1) proposes no circle below the minimum size."""
    report = Reporter(progress)
    prepared = prepare(
        mentees, mentors, capacities, weights=weights, options=options, excluded=excluded, circle_sizes=circle_sizes
    )
    report.stage_done("features")
    clock = time.perf_counter()
    candidates = search(prepared, progress=report.within("candidates"))
    prepared.seconds["candidates"] = time.perf_counter() - clock
    report.stage_done("candidates")
    result = finish(prepared, candidates)
    report.stage_done("assignment")
    report.stage_done("explain")
    return result


def score_against(
    mentee: Participants,
    mentors: Participants,
    mentor_ids: Sequence[int],
    *,
    scorer: Scorer,
    mentor_blocks: dict[str, sp.csr_matrix],
) -> list[Proposal]:
    """Score and explain one mentee with each of `mentor_ids`, by a scorer already fitted (a round's pool) and the
    mentors' blocks it gave: what an admin choosing a mentor by hand sees, and what the choice then stores."""
    if len(mentee) != 1:
        raise ValueError("score_against() scores one mentee.")
    mentor_at = {pid: j for j, pid in enumerate(mentors.ids)}
    mentor_index = np.array([mentor_at[b] for b in mentor_ids], dtype=np.int64)
    scores, why = explanations(
        scorer,
        mentee,
        mentors,
        scorer.blocks(mentee),
        mentor_blocks,
        np.zeros(len(mentor_index), dtype=np.int64),
        mentor_index,
    )
    return [
        Proposal(int(mentee.ids[0]), int(b), float(score), explanation)
        for b, score, explanation in zip(mentor_ids, scores, why, strict=True)
    ]


def broken_rules(
    mentees: Participants, mentors: Participants, pairs: Sequence[tuple[int, int]], *, options: Options
) -> list[list[str]]:
    """The hard rules of `options` that each (mentee id, mentor id) pair breaks, by name ("same_industry",
    "timezone_gap"): what a round would never have proposed, for an admin who chooses by hand."""
    rules = pair_rules(mentees, mentors, (), options)
    mentee_at = {pid: i for i, pid in enumerate(mentees.ids)}
    mentor_at = {pid: j for j, pid in enumerate(mentors.ids)}
    mentee_index = np.array([mentee_at[a] for a, _ in pairs], dtype=np.int64)
    mentor_index = np.array([mentor_at[b] for _, b in pairs], dtype=np.int64)
    masks = rule_masks(rules, mentee_index, mentor_index)
    return [[rule for rule, barred in masks.items() if barred[k]] for k in range(len(pairs))]


def recommend(mentee: Participants, mentors: Participants, *, weights: Weights, limit: int) -> list[Proposal]:
    """The `limit` best mentors for one mentee, best first, with a scorer fitted on the mentors."""
    scorer = Scorer(weights).fit(mentors)
    blocks = scorer.blocks(mentors)
    return rank(mentee, mentors, scorer=scorer, mentor_blocks=blocks, mentor_x=scorer.stacked(blocks), limit=limit)


def rank(
    mentee: Participants,
    mentors: Participants,
    *,
    scorer: Scorer,
    mentor_blocks: dict[str, sp.csr_matrix],
    mentor_x: sp.csr_matrix,
    limit: int,
    allowed: np.ndarray | None = None,
) -> list[Proposal]:
    """Rank mentors for one mentee with an already fitted scorer (a page load caches the mentors' side).
    `allowed`: a mask of the mentors that may be proposed."""
    if len(mentee) != 1:
        raise ValueError("rank() scores one mentee.")
    if len(mentors) == 0:
        return []
    mentee_blocks = scorer.blocks(mentee)
    scores = (scorer.stacked(mentee_blocks) @ mentor_x.T).toarray().ravel()
    if allowed is not None:
        scores[~allowed] = -1
    order = np.lexsort((np.asarray(mentors.ids), -scores))[:limit]
    order = order[scores[order] > 0]
    exact, why = explanations(
        scorer, mentee, mentors, mentee_blocks, mentor_blocks, np.zeros(len(order), dtype=np.int64), order
    )
    return [
        Proposal(int(mentee.ids[0]), int(mentors.ids[b]), float(score), explanation)
        for b, score, explanation in zip(order, exact, why, strict=True)
    ]


def _circle_sizes(prepared: Prepared) -> np.ndarray:
    if prepared.circle_sizes is None:
        return np.zeros(len(prepared.mentors), dtype=np.int64)
    return prepared.circle_sizes
