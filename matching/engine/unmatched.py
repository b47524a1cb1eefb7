"""Why a mentee of the pool got no proposal: the step of the round that left them with no mentor.

A mentee's possible mentors go through the round's steps in order: pairs never to propose (a mentorship there now
or before, a decline), the hard rules (same industry, time-zone gap), the score (above zero and at least
`min_score`), and room (the candidates' slots given to other mentees). The reason is the step that removed the last
one. A mentee who had candidates lost them to room, which the candidate graph shows; only the mentees who had none
are scored again, a chunk at a time, as the search did: usually a few, never more work than the search itself.
"""

import numpy as np

from matching.engine.candidates import SAME_INDUSTRY, TIMEZONE_GAP, Candidates, Rules, rule_masks
from matching.engine.types import Unmatched

# Reasons, in the order of the steps.
NO_MENTOR = "no_mentor"  # the pool had no mentor at all
EXCLUDED = "excluded"
NO_COMMON_GROUND = "no_common_ground"  # no mentor left scores above zero
BELOW_MIN_SCORE = "below_min_score"
MENTORS_FULL = "mentors_full"
CIRCLES_TOO_SMALL = "circles_too_small"  # a group round: their candidates' circles stayed below the minimum size
REASONS = (
    NO_MENTOR,
    EXCLUDED,
    SAME_INDUSTRY,
    TIMEZONE_GAP,
    NO_COMMON_GROUND,
    BELOW_MIN_SCORE,
    MENTORS_FULL,
    CIRCLES_TOO_SMALL,
)


def unmatched_reasons(
    *,
    mentee_ids,
    mentee_x,
    mentor_x,
    capacities: np.ndarray,
    rules: Rules,
    candidates: Candidates,
    chosen: np.ndarray,
    top_k: int,
    chunk_elements: int,
    closed: np.ndarray | None = None,
) -> list[Unmatched]:
    """Each mentee without a chosen edge, with the reason and the counts behind it (see the module's note).
    `closed`: a group round's mentors whose circle was not proposed, below its minimum size; a mentee whose
    candidates include one of them was left out for that, not for want of room."""
    n_mentees, n_mentors = mentee_x.shape[0], mentor_x.shape[0]
    matched = np.zeros(n_mentees, dtype=bool)
    matched[candidates.mentee[chosen]] = True
    per_mentee = np.bincount(candidates.mentee, minlength=n_mentees) if len(candidates) else np.zeros(n_mentees, int)
    found: dict[int, Unmatched] = {}
    in_closed = np.zeros(n_mentees, dtype=np.int64)
    if closed is not None and len(candidates):
        in_closed = np.bincount(candidates.mentee[closed[candidates.mentor]], minlength=n_mentees)
    for i in np.flatnonzero(~matched & (per_mentee > 0)).tolist():
        details = {"candidates": int(per_mentee[i]), "top_k_reached": bool(per_mentee[i] >= min(top_k, n_mentors))}
        if in_closed[i]:
            found[i] = Unmatched(
                int(mentee_ids[i]), CIRCLES_TOO_SMALL, {**details, "circles_closed": int(in_closed[i])}
            )
        else:
            found[i] = Unmatched(int(mentee_ids[i]), MENTORS_FULL, details)
    lonely = np.flatnonzero(~matched & (per_mentee == 0))
    if n_mentors == 0:
        return [Unmatched(int(mentee_ids[i]), NO_MENTOR, {}) for i in range(n_mentees)]
    if len(lonely):
        mentee_x = mentee_x.astype(np.float32)
        mentor_t = mentor_x.T.tocsr().astype(np.float32)
        has_room = np.asarray(capacities) > 0
        chunk = max(1, chunk_elements // n_mentors)
        for start in range(0, len(lonely), chunk):
            rows = lonely[start : start + chunk]
            product = mentee_x[rows] @ mentor_t
            scores = product.toarray() if hasattr(product, "toarray") else np.asarray(product)
            filled = mentee_x[rows].getnnz(axis=1) > 0
            for k, i in enumerate(rows.tolist()):
                found[i] = _why(int(mentee_ids[i]), i, scores[k], bool(filled[k]), rules, has_room)
    return [found[i] for i in sorted(found)]


def _why(mentee_id: int, i: int, scores: np.ndarray, has_profile: bool, rules: Rules, has_room: np.ndarray):
    """The first step that leaves mentee `i` (scored against every mentor) with nobody."""
    left = has_room.copy()
    details: dict = {}
    excluded = rules.excluded[i].indices
    details["excluded"] = int(np.count_nonzero(left[excluded]))
    left[excluded] = False
    if not left.any():
        return Unmatched(mentee_id, EXCLUDED, details)
    masks = rule_masks(rules, i, np.arange(len(left)))
    for rule, missing in ((SAME_INDUSTRY, "no_industry"), (TIMEZONE_GAP, "no_timezone")):
        if rule not in masks:
            continue
        details[rule] = int(np.count_nonzero(left & masks[rule]))
        left &= ~masks[rule]
        if not left.any():
            unknown = rules.mentee_industry[i] < 0 if rule == SAME_INDUSTRY else np.isnan(rules.mentee_offset[i])
            return Unmatched(mentee_id, rule, {**details, missing: bool(unknown)})
    best = float(scores[left].max())
    details["best_score"] = round(max(best, 0.0), 6)
    details["mentors_left"] = int(np.count_nonzero(left))
    if best <= 0:
        return Unmatched(mentee_id, NO_COMMON_GROUND, {**details, "empty_profile": not has_profile})
    return Unmatched(mentee_id, BELOW_MIN_SCORE, details)
