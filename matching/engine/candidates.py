"""Candidate search: for each mentee, the best `top_k` mentors they may be paired with.

Scores are sparse products computed a chunk of mentees at a time, so memory grows with mentees × top_k and
with the chunk, never with mentees × mentors.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.engine.features import normalise_tag
from matching.engine.types import Options, Participants

NOT_ALLOWED = -1.0
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
    bonus: tuple[sp.csr_matrix, sp.csr_matrix, float] | None = None,
) -> Candidates:
    """Search the mentees in `rows` (all by default); a slice lets several workers share a large program.
    `bonus` (a, b, weight): `weight` more for a pair whose rows of a and b share any column (peers who speak a
    language in common), a term that no dot product gives."""
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
        if bonus is not None:
            shared = (bonus[0][start:stop] @ bonus[1].T).tocoo()
            scores[shared.row, shared.col] += np.float32(bonus[2])
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
        usable = (best_scores > 0) & (best_scores >= rules.min_score)
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
    if rules.mentee_industry is not None:
        mentee = rules.mentee_industry[start:stop, None]
        scores[(mentee != rules.mentor_industry[None, :]) | (mentee < 0)] = NOT_ALLOWED
    if rules.max_timezone_hours is not None:
        gap = np.abs(rules.mentee_offset[start:stop, None] - rules.mentor_offset[None, :])
        # An unknown time zone (NaN) never passes a time-zone rule: the admin asked for a guarantee.
        scores[~(gap <= rules.max_timezone_hours)] = NOT_ALLOWED


def pair_rules(mentees: Participants, mentors: Participants, excluded, options: Options) -> Rules:
    """The rules of a round: its excluded (mentee id, mentor id) pairs and its options' hard filters."""
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
