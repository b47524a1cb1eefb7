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
# A feature column used by at least this share of either side is multiplied densely (see _Product).
DENSE_COLUMN_USE = 0.05
# The best of every this-many-th column bound the whole row's best from below (see _best_per_row).
SAMPLE_STRIDE = 4
# Scores are searched in float32 and are sums of rounded terms: a pair sharing exactly an industry scores 0.19999999
# there. A pair at the round's minimum score is kept, not lost to the rounding.
MIN_SCORE_TOLERANCE = 1e-6


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
    product = _Product(mentee_x, mentor_x)
    if bonus is not None:
        bonus_weight = np.float32(bonus[2])
        shared_t = bonus[1].T.toarray().astype(np.float32)  # a few columns (languages): dense is cheapest
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    for start in range(rows.start, rows.stop, chunk):
        stop = min(start + chunk, rows.stop)
        scores = product.chunk(start, stop)
        if bonus is not None:
            # weight × how many columns they share, then at most the weight
            shared = (bonus[0][start:stop].toarray().astype(np.float32) * bonus_weight) @ shared_t
            scores += np.minimum(shared, bonus_weight, out=shared)
        _apply_rules(scores, start, stop, rules)
        mentee_index, best, best_scores = _best_per_row(scores, keep, rules.min_score)
        parts.append((mentee_index + start, best, best_scores))
        if progress:
            progress((stop - rows.start) / max(len(rows), 1))

    if not parts:
        empty = np.array([], dtype=np.int64)
        return Candidates(empty, empty, np.array([], dtype=np.float32))
    return Candidates(*(np.concatenate([p[i] for p in parts]) for i in range(3)))


def _best_per_row(scores: np.ndarray, keep: int, min_score: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The `keep` best usable entries of each row (above 0 and at least `min_score`) as (row, column, score),
    by row, then score descending, then column: the same input gives the same order.

    Exact without sorting whole rows: the `keep`-th best of every SAMPLE_STRIDE-th column is at most the row's
    own `keep`-th best, so every entry that can make the cut is at or above it; only those (about
    SAMPLE_STRIDE × keep a row) are sorted."""
    n_columns = scores.shape[1]
    floor = max(min_score - MIN_SCORE_TOLERANCE, float(np.finfo(np.float32).tiny))
    sample = scores[:, ::SAMPLE_STRIDE]
    if sample.shape[1] > keep:
        threshold = np.partition(sample, sample.shape[1] - keep, axis=1)[:, sample.shape[1] - keep]
        found = np.flatnonzero(scores >= np.maximum(threshold, np.float32(floor))[:, None])
    else:
        found = np.flatnonzero(scores >= np.float32(floor))
    rows, columns = np.divmod(found, n_columns)
    values = scores.ravel()[found]
    # np.nonzero lists each row's columns in order; a stable sort by (row, score descending) keeps that order
    # among equal scores. Scores lie in 0..1 (float32), so row × 4 − score orders both in one float64 key.
    order = np.argsort(rows * 4.0 - values, kind="stable")
    rows, columns, values = rows[order], columns[order], values[order]
    first = np.searchsorted(rows, rows, side="left")
    within = np.arange(len(rows)) - first
    kept = within < min(keep, n_columns)
    return rows[kept], columns[kept], values[kept]


class _Product:
    """Scores of a chunk of mentees against every mentor, in float32 (half the memory traffic; the proposals' own
    scores are recomputed exactly). Columns that many people use (common words) are multiplied as dense
    matrices, where BLAS is fastest; the rest (skills, industries, rare words) as sparse ones, whose product is
    sparse too: a pair sharing none of them costs nothing."""

    def __init__(self, mentee_x: sp.csr_matrix, mentor_x: sp.csr_matrix):
        usage = np.maximum(
            np.bincount(mentee_x.indices, minlength=mentee_x.shape[1]) / max(mentee_x.shape[0], 1),
            np.bincount(mentor_x.indices, minlength=mentor_x.shape[1]) / max(mentor_x.shape[0], 1),
        )
        dense = usage >= DENSE_COLUMN_USE
        self.mentee_dense = mentee_x[:, dense].astype(np.float32).tocsr()
        self.mentor_dense_t = np.ascontiguousarray(mentor_x[:, dense].T.toarray(), dtype=np.float32)
        self.mentee_sparse = mentee_x[:, ~dense].astype(np.float32).tocsr()
        self.mentor_sparse_t = mentor_x[:, ~dense].T.astype(np.float32).tocsc()
        self.n_mentors = mentor_x.shape[0]

    def chunk(self, start: int, stop: int) -> np.ndarray:
        if self.mentor_dense_t.shape[0]:
            scores = self.mentee_dense[start:stop].toarray() @ self.mentor_dense_t
        else:
            scores = np.zeros((stop - start, self.n_mentors), dtype=np.float32)
        rest = (self.mentee_sparse[start:stop] @ self.mentor_sparse_t).tocsr()
        at = np.repeat(np.arange(stop - start) * self.n_mentors, np.diff(rest.indptr)) + rest.indices
        scores.ravel()[at] += rest.data  # a product's entries are one per (row, column): no repeats to lose
        return scores


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
