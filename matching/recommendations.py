"""Mentors ranked for one mentee with the round's scorer, fast enough for a page load.

Fitting the scorer on every mentor is the slow part, so the fitted scorer and the mentors' features are kept in
this process, per program, and rebuilt only when one of its mentors changed (their count or latest `updated_at`
moved, membership or profile). Who has
an open slot changes more often: that comes from the directory's cache, which drops it whenever a slot changes.

A mentee's ranking itself is kept too (`ranking_cache_key`): in the directory's cache, so it is dropped when any
mentor or slot changes, under a key that moves whenever the mentee's own side changes (profile, goals, requests).
"""

import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from accounts.directory import directory_cached
from accounts.models import Profile, Skill, User
from matching import engine, selectors
from mentorship.models import Goal, MentorshipMember, MentorshipRequest
from programs.models import Membership, Program

MAX_LIMIT = 50


@dataclass(frozen=True)
class Recommendation:
    mentor: Membership  # the mentor's membership in the program, with `open_slots`, user and profile
    score: float
    explanation: dict


@dataclass(frozen=True)
class _FittedMentors:
    key: tuple
    mentors: engine.Participants
    scorer: engine.Scorer
    blocks: dict[str, sp.csr_matrix]
    stacked: sp.csr_matrix


_cache: dict[int, _FittedMentors] = {}  # by program id
_lock = threading.Lock()


def _accepting(program: Program):
    # mentorship.selectors: the program's accepting mentors
    return Membership.objects.in_program(program).mentors().active().accepting()


def _fitted_mentors(program: Program) -> _FittedMentors:
    """The program's listed, accepting mentors, fitted; kept per program until one of them (their membership or
    their profile) changes."""
    accepting = _accepting(program)
    summary = accepting.aggregate(n=Count("pk"), latest=Max("updated_at"), profiles=Max("user__profile__updated_at"))
    key = (summary["n"], summary["latest"], summary["profiles"])
    cached = _cache.get(program.pk)
    if cached and cached.key == key:
        return cached
    with _lock:
        cached = _cache.get(program.pk)
        if cached and cached.key == key:
            return cached
        # The directory's rule for who is listed (Membership.objects.listed()): one place for it.
        everyone = dict.fromkeys(accepting.listed().values_list("user_id", flat=True), 0)
        mentors = selectors.mentor_pool(program, everyone)[0]
        scorer = engine.Scorer(engine.Weights()).fit(mentors)
        blocks = scorer.blocks(mentors)
        fitted = _FittedMentors(key, mentors, scorer, blocks, scorer.stacked(blocks))
        _cache[program.pk] = fitted
        return fitted


def recommended_mentors(*, mentee: User, program: Program, limit: int = 10) -> list[Recommendation]:
    """The best mentors of `program` with an open slot for this mentee, best first, leaving out the ones they
    already asked, had, or were declined by there (and themselves, should they mentor there too)."""
    fitted = _fitted_mentors(program)
    me = selectors.mentee_pool(program, [mentee.pk])
    if not len(me) or not len(fitted.mentors):
        return []
    # Who has an open slot is the directory's to know, and it keeps the answer until a slot changes.
    open_now = directory_cached(f"open-now:{program.pk}", lambda: selectors.mentor_open_slots(program))
    unwanted = {mentor for _, mentor in selectors.excluded_pairs(program, [mentee.pk])} | {mentee.pk}
    unwanted |= set(
        MentorshipRequest.objects.pending().filter(program=program, mentee=mentee).values_list("mentor_id", flat=True)
    ) | set(MentorshipMember.objects.active().filter(program=program, user=mentee).values_list("mentor_id", flat=True))
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
    # mentorship.selectors: mentor_directory(program)
    memberships = {
        membership.user_id: membership
        for membership in _accepting(program)
        .filter(user_id__in=[p.mentor_id for p in ranked])
        .select_related("user", "user__profile", "user__profile__industry", "program")
        .prefetch_related(Prefetch("user__profile__skills", queryset=Skill.objects.approved()))
    }
    found = []
    for proposal in ranked:
        membership = memberships.get(proposal.mentor_id)
        if membership is not None:
            membership.open_slots = open_now.get(proposal.mentor_id, 0)
            found.append(Recommendation(membership, proposal.score, proposal.explanation))
    return found


def ranking_cache_key(*, mentee: User, program: Program, limit: int) -> str:
    """A key for this mentee's ranking in `program` that moves whenever their side of it changes: their profile
    (wanted skills, industry, words), their goals (one added, removed, reworded, re-skilled or closed) and their
    requests (one sent, answered, withdrawn or expired: whom they asked is left out). Mentors' side is the
    directory's version, which directory_cached() checks. One query."""

    def latest(queryset):
        queryset = queryset.filter(mentee_id=OuterRef("user_id")).order_by().values("mentee_id")
        return Subquery(queryset.annotate(at=Max("updated_at")).values("at"))

    goals = Goal.objects.filter(mentee_id=OuterRef("user_id")).order_by().values("mentee_id")
    goal_count = Coalesce(Subquery(goals.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)
    version = (
        Profile.objects.filter(user_id=mentee.pk)
        .values_list("updated_at", latest(Goal.objects), goal_count, latest(MentorshipRequest.objects))
        .first()
    )
    stamp = ":".join(value.isoformat() if hasattr(value, "isoformat") else str(value) for value in version or ())
    return f"recommended:{program.pk}:{mentee.pk}:{limit}:{stamp}"
