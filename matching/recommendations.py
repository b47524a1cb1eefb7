"""Mentors ranked for one mentee with the round's scorer, fast enough for a page load.

Fitting the scorer on every mentor is the slow part, so the fitted scorer and the mentors' features are kept in
this process and rebuilt only when a mentor profile changed (their count or latest `updated_at` moved). Who has
an open slot changes more often: that comes from the directory's cache, which drops it whenever a slot changes.

A mentee's ranking itself is kept too (`ranking_cache_key`): in the directory's cache, so it is dropped when any
mentor or slot changes, under a key that moves whenever the mentee's own side changes (profile, goals, requests).
"""

import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.directory import directory_cached
from accounts.models import MenteeProfile, MentorProfile, User
from matching import engine, selectors
from mentorship.models import Goal, Mentorship, MentorshipRequest
from mentorship.selectors import mentor_directory

MAX_LIMIT = 50


@dataclass(frozen=True)
class Recommendation:
    mentor: MentorProfile
    score: float
    explanation: dict


@dataclass(frozen=True)
class _FittedMentors:
    key: tuple
    mentors: engine.Participants
    scorer: engine.Scorer
    blocks: dict[str, sp.csr_matrix]
    stacked: sp.csr_matrix


_cache: dict[str, _FittedMentors] = {}
_lock = threading.Lock()


def _fitted_mentors() -> _FittedMentors:
    accepting = MentorProfile.objects.filter(accepting_requests=True, user__is_active=True)
    summary = accepting.aggregate(n=Count("pk"), latest=Max("updated_at"))
    key = (summary["n"], summary["latest"])
    cached = _cache.get("mentors")
    if cached and cached.key == key:
        return cached
    with _lock:
        cached = _cache.get("mentors")
        if cached and cached.key == key:
            return cached
        mentors, _ = selectors.mentor_pool(mentor_directory().filter(pk__in=accepting.values("pk")))
        scorer = engine.Scorer(engine.Weights()).fit(mentors)
        blocks = scorer.blocks(mentors)
        fitted = _FittedMentors(key, mentors, scorer, blocks, scorer.stacked(blocks))
        _cache["mentors"] = fitted
        return fitted


def recommended_mentors(*, mentee: User, limit: int = 10) -> list[Recommendation]:
    """The best mentors with an open slot for this mentee, best first, leaving out the ones they already asked,
    had, or were declined by."""
    fitted = _fitted_mentors()
    me = selectors.mentee_pool([mentee.pk])
    if not len(me) or not len(fitted.mentors):
        return []
    # Who has an open slot is the directory's to know, and it keeps the answer until a slot changes.
    open_now = directory_cached(
        "open-now", lambda: frozenset(selectors.available_mentors().values_list("user_id", flat=True))
    )
    unwanted = {mentor for _, mentor in selectors.excluded_pairs([mentee.pk])}
    unwanted |= set(
        MentorshipRequest.objects.pending().filter(mentee=mentee).values_list("mentor_id", flat=True)
    ) | set(Mentorship.objects.active().filter(mentee=mentee).values_list("mentor_id", flat=True))
    allowed = np.array([pid in open_now and pid not in unwanted for pid in fitted.mentors.ids], dtype=bool)
    ranked = engine.rank(
        me,
        fitted.mentors,
        scorer=fitted.scorer,
        mentor_blocks=fitted.blocks,
        mentor_x=fitted.stacked,
        limit=min(limit, MAX_LIMIT),
        allowed=allowed,
    )
    profiles = mentor_directory().in_bulk([p.mentor_id for p in ranked], field_name="user_id")
    return [Recommendation(profiles[p.mentor_id], p.score, p.explanation) for p in ranked if p.mentor_id in profiles]


def ranking_cache_key(*, mentee: User, limit: int) -> str:
    """A key for this mentee's ranking that moves whenever their side of it changes: their profile (skills,
    industry, words), their goals (one added, removed, reworded, re-skilled or closed) and their requests (one
    sent, answered, withdrawn or expired: whom they asked is left out). Mentors' side is the directory's version,
    which directory_cached() checks. One query."""

    def latest(queryset):
        queryset = queryset.filter(mentee_id=OuterRef("user_id")).order_by().values("mentee_id")
        return Subquery(queryset.annotate(at=Max("updated_at")).values("at"))

    goals = Goal.objects.filter(mentee_id=OuterRef("user_id")).order_by().values("mentee_id")
    goal_count = Coalesce(Subquery(goals.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)
    version = (
        MenteeProfile.objects.filter(user_id=mentee.pk)
        .values_list("updated_at", latest(Goal.objects), goal_count, latest(MentorshipRequest.objects))
        .first()
    )
    stamp = ":".join(value.isoformat() if hasattr(value, "isoformat") else str(value) for value in version or ())
    return f"recommended:{mentee.pk}:{limit}:{stamp}"
