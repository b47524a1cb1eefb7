"""Candidate search: for each mentee, the best `top_k` mentors they may be paired with.

Scores are sparse products computed a chunk of mentees at a time, so memory grows with mentees × top_k and
with the chunk, never with mentees × mentors.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

NOT_ALLOWED = -1.0
# Scores are searched in float32 and are sums of rounded terms: a pair sharing exactly an industry scores 0.19999999
# there. A pair at the round's minimum score is kept, not lost to the rounding.
MIN_SCORE_TOLERANCE = 1e-6
# The mentors' features as a dense float32 matrix when it fits in this many bytes: a sparse chunk times a dense
# matrix is several times faster than a sparse product that comes out dense anyway.
DENSE_MENTORS_BYTES = 512 * 2**20


@dataclass(frozen=True)
class Candidates:
    """An edge list: mentee index, mentor index, score; sorted by mentee, then by score descending."""

    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.score)


@dataclass(frozen=True)
class Rules:
    """What may never be paired, as arrays aligned with the two sides."""

    excluded: sp.csr_matrix  # mentees × mentors, non-zero where the pair is excluded
    mentee_industry: np.ndarray | None = None  # industry codes (-1: none) when the same industry is required
    mentor_industry: np.ndarray | None = None
    mentee_offset: np.ndarray | None = None  # UTC offsets in hours (NaN: unknown) for the time-zone rule
    mentor_offset: np.ndarray | None = None
    max_timezone_hours: float | None = None
    min_score: float = 0.0


def top_candidates(
    mentee_x: sp.csr_matrix,
    mentor_x: sp.csr_matrix,
    *,
    top_k: int,
    rules: Rules,
    chunk_elements: int,
    rows: range | None = None,
    progress: Callable[[float], None] | None = None,
) -> Candidates:
    """Search the mentees in `rows` (all by default); a slice lets several workers share a large program."""
    rows = rows if rows is not None else range(mentee_x.shape[0])
    n_mentors = mentor_x.shape[0]
    keep = min(top_k, n_mentors)
    chunk = max(1, min(len(rows), chunk_elements // max(n_mentors, 1)))
    # Scores are searched in float32 (half the memory traffic); the proposals' own scores are recomputed exactly.
    mentee_x = mentee_x.astype(np.float32)
    if mentor_x.shape[0] * mentor_x.shape[1] * 4 <= DENSE_MENTORS_BYTES:
        mentor_t = mentor_x.T.toarray().astype(np.float32, copy=False)
    else:
        mentor_t = mentor_x.T.tocsr().astype(np.float32)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    for start in range(rows.start, rows.stop, chunk):
        stop = min(start + chunk, rows.stop)
        product = mentee_x[start:stop] @ mentor_t
        scores = product if isinstance(product, np.ndarray) else product.toarray()
        _apply_rules(scores, start, stop, rules)
        if keep < n_mentors:
            best = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        else:
            best = np.broadcast_to(np.arange(n_mentors), scores.shape)
        best_scores = np.take_along_axis(scores, best, axis=1)
        # Highest first within each mentee; ties by mentor index, so the same input gives the same order.
        order = np.lexsort((best, -best_scores), axis=1)
        best = np.take_along_axis(best, order, axis=1)
        best_scores = np.take_along_axis(best_scores, order, axis=1)
        usable = (best_scores > 0) & (best_scores >= rules.min_score - MIN_SCORE_TOLERANCE)
        mentee_index = np.broadcast_to(np.arange(start, stop)[:, None], best.shape)
        parts.append((mentee_index[usable], best[usable], best_scores[usable]))
        if progress:
            progress((stop - rows.start) / max(len(rows), 1))

    if not parts:
        empty = np.array([], dtype=np.int64)
        return Candidates(empty, empty, np.array([], dtype=np.float32))
    return Candidates(*(np.concatenate([p[i] for p in parts]) for i in range(3)))


def _apply_rules(scores: np.ndarray, start: int, stop: int, rules: Rules) -> None:
    excluded = rules.excluded[start:stop].tocoo()
    scores[excluded.row, excluded.col] = NOT_ALLOWED
    for barred in rule_masks(rules, np.arange(start, stop)[:, None], np.arange(scores.shape[1])[None, :]).values():
        scores[barred] = NOT_ALLOWED


SAME_INDUSTRY, TIMEZONE_GAP = "same_industry", "timezone_gap"


def rule_masks(rules: Rules, mentee, mentor) -> dict[str, np.ndarray]:
    """Where each hard rule of the round bars a pair, for mentee and mentor indices that broadcast together (a
    chunk of mentees against every mentor, one mentee against all, or pairs side by side), by the rule's name."""
    masks = {}
    if rules.mentee_industry is not None:
        industry = rules.mentee_industry[mentee]
        masks[SAME_INDUSTRY] = (industry != rules.mentor_industry[mentor]) | (industry < 0)
    if rules.max_timezone_hours is not None:
        gap = np.abs(rules.mentee_offset[mentee] - rules.mentor_offset[mentor])
        # An unknown time zone (NaN) never passes a time-zone rule: the admin asked for a guarantee.
        masks[TIMEZONE_GAP] = ~(gap <= rules.max_timezone_hours)
    return masks
