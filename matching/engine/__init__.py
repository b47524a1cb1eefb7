"""The matching engine: pure Python over numpy, scipy and scikit-learn. Plain data in, plain results out, so it
can be tested, benchmarked and run at scale without a database.

    result = match(mentees, mentors, capacities, weights=Weights(), options=Options(), excluded=[(3, 7)])
"""

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matching.engine.assignment import assign_optimal, assign_stable, blocking_pairs
from matching.engine.candidates import SAME_INDUSTRY, TIMEZONE_GAP, Candidates, Rules, rule_masks, top_candidates
from matching.engine.explain import explanations
from matching.engine.features import Scorer, normalise_tag
from matching.engine.types import BLOCKS, MODES, MatchResult, Options, Participants, Proposal, Unmatched, Weights
from matching.engine.unmatched import REASONS, unmatched_reasons

__all__ = [
    "BLOCKS",
    "MODES",
    "REASONS",
    "SAME_INDUSTRY",
    "TIMEZONE_GAP",
    "Candidates",
    "MatchResult",
    "Options",
    "Participants",
    "Prepared",
    "Proposal",
    "Scorer",
    "Unmatched",
    "Weights",
    "broken_rules",
    "match",
    "rank",
    "recommend",
    "score_against",
]

Progress = Callable[[float], None]

# Shares of the progress bar per stage: the candidate search is most of the work.
_STAGES = {"features": 0.1, "candidates": 0.75, "assignment": 0.1, "explain": 0.05}


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
    seconds: dict[str, float] = field(default_factory=dict)


def prepare(
    mentees: Participants,
    mentors: Participants,
    capacities: Sequence[int],
    *,
    weights: Weights,
    options: Options,
    excluded: Iterable[tuple[int, int]] = (),
) -> Prepared:
    """Stage 1: fit the scorer and build both sides' features and the pairing rules."""
    if len(capacities) != len(mentors):
        raise ValueError(f"{len(capacities)} capacities for {len(mentors)} mentors.")
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
        rules=_rules(mentees, mentors, excluded, options),
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
    assign = assign_optimal if prepared.options.mode == "optimal" else assign_stable
    chosen = assign(candidates, capacities, len(mentees))
    blocking = blocking_pairs(candidates, chosen, capacities, len(mentees))
    seconds["assignment"] = time.perf_counter() - clock

    clock = time.perf_counter()
    mentee_index, mentor_index = candidates.mentee[chosen], candidates.mentor[chosen]
    scores, why = explanations(
        prepared.scorer, mentees, mentors, prepared.mentee_blocks, prepared.mentor_blocks, mentee_index, mentor_index
    )
    proposals = [
        Proposal(int(mentees.ids[a]), int(mentors.ids[b]), float(score), explanation)
        for a, b, score, explanation in zip(mentee_index, mentor_index, scores, why, strict=True)
    ]
    unmatched = unmatched_reasons(
        mentee_ids=mentees.ids,
        mentee_x=prepared.mentee_x,
        mentor_x=prepared.mentor_x,
        capacities=capacities,
        rules=prepared.rules,
        candidates=candidates,
        chosen=chosen,
        top_k=prepared.options.top_k,
        chunk_elements=prepared.options.chunk_elements,
    )
    seconds["explain"] = time.perf_counter() - clock

    total = float(np.sum(scores)) if len(proposals) else 0.0
    why = Counter(u.reason for u in unmatched)
    stats = {
        "mode": prepared.options.mode,
        "mentees": len(mentees),
        "mentors": len(mentors),
        "matched": len(proposals),
        "total_score": round(total, 6),
        "mean_score": round(total / len(proposals), 6) if proposals else 0.0,
        "blocking_pairs": blocking,
        "candidate_pairs": len(candidates),
        "unmatched": {reason: why[reason] for reason in REASONS if why[reason]},
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
    progress: Progress | None = None,
) -> MatchResult:
    """Propose mentors to mentees: each mentee at most once, no mentor beyond capacity, no excluded pair, no pair
    below `options.min_score`, and the best total score (`optimal`) or a stable matching (`stable`)."""
    report = _Reporter(progress)
    prepared = prepare(mentees, mentors, capacities, weights=weights, options=options, excluded=excluded)
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
    rules = _rules(mentees, mentors, (), options)
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


def _rules(mentees: Participants, mentors: Participants, excluded, options: Options) -> Rules:
    mentee_at = {pid: i for i, pid in enumerate(mentees.ids)}
    mentor_at = {pid: j for j, pid in enumerate(mentors.ids)}
    pairs = [(mentee_at[a], mentor_at[b]) for a, b in excluded if a in mentee_at and b in mentor_at]
    rows, cols = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True)) if pairs else ([], [])
    excluded_matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(mentees), len(mentors))
    )
    rules = {"excluded": excluded_matrix, "min_score": options.min_score}
    if options.same_industry:
        codes: dict[str, int] = {}
        for side, key in ((mentees, "mentee_industry"), (mentors, "mentor_industry")):
            rules[key] = np.array(
                [codes.setdefault(normalise_tag(i), len(codes)) if i else -1 for i in side.industry], dtype=np.int64
            )
    if options.max_timezone_hours is not None:
        for side, key in ((mentees, "mentee_offset"), (mentors, "mentor_offset")):
            offsets = side.utc_offset_hours if side.utc_offset_hours is not None else [np.nan] * len(side)
            rules[key] = np.array([np.nan if o is None else o for o in offsets], dtype=np.float64)
        rules["max_timezone_hours"] = options.max_timezone_hours
    return Rules(**rules)


class _Reporter:
    """Turns stage progress into one 0..1 figure for the caller's progress bar."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.done = 0.0

    def within(self, stage: str) -> Progress | None:
        if self.progress is None:
            return None
        base, share = self.done, _STAGES[stage]
        return lambda fraction: self.progress(base + share * fraction)

    def stage_done(self, stage: str) -> None:
        self.done += _STAGES[stage]
        if self.progress is not None:
            self.progress(min(self.done, 1.0))
