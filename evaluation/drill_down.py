"""The people and pairs behind each number of the program report. Each section's figures are aggregates of one of
these reads, and its drill-down page lists the same rows: a number and its list cannot disagree. Each is a constant
number of queries whatever the program's size."""

import datetime as dt
from dataclasses import dataclass
from statistics import median

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile
from evaluation.period import Period
from mentorship.at_risk import cadence_days_of
from mentorship.models import Feedback, Goal, Mentorship, MentorshipMember, Milestone, Session
from programs.models import Membership, Program

# Who took part: invited and pending people never joined.
JOINED_STATUSES = (Membership.Status.ACTIVE, Membership.Status.LEFT, Membership.Status.REMOVED)


def mentored(program: Program) -> QuerySet[Membership]:
    """The people a program is for: its mentees; in a peer program, its peers."""
    role = Membership.Role.PEER if program.format == Program.Format.PEER else Membership.Role.MENTEE
    return Membership.objects.in_program(program).filter(role=role, status__in=JOINED_STATUSES)


def _on_days(rows: QuerySet, field: str, period: Period) -> QuerySet:
    """`rows` whose `field` (a date or a time, read as the local day) falls in the period."""
    day = field if field.endswith("date") else f"{field}__date"
    if period.start:
        rows = rows.filter(**{f"{day}__gte": period.start})
    if period.end:
        rows = rows.filter(**{f"{day}__lte": period.end})
    return rows


# 1. The funnel: joined → profile complete → matched → first meeting → completed.

FUNNEL_STEPS = (
    ("joined", "Joined"),
    ("profile_complete", "Profile complete"),
    ("matched", "Matched"),
    ("first_meeting", "First meeting"),
    ("completed", "Completed"),
)
_STEP_TEST = {
    "joined": Q(),
    "profile_complete": Q(profile_complete=True),
    "matched": Q(matched_at__isnull=False),
    "first_meeting": Q(met=True),
    "completed": Q(completed=True),
}


def funnel_reached(step: str) -> Q:
    """Who reached `step` and every step before it: a funnel only narrows."""
    keys = [key for key, _ in FUNNEL_STEPS]
    reached = Q()
    for key in keys[: keys.index(step) + 1]:
        reached &= _STEP_TEST[key]
    return reached


def funnel_counts(program: Program, period: Period) -> dict[str, int]:
    """How many reached each step of the funnel (and every one before it): one query, counted here."""
    counts = dict.fromkeys([key for key, _ in FUNNEL_STEPS], 0)
    rows = funnel_people(program, period).values_list("profile_complete", "matched_at", "met", "completed")
    for profile_complete, matched_at, met, completed in rows:
        passed = (True, profile_complete, matched_at is not None, met, completed)
        for (key, _), ok in zip(FUNNEL_STEPS, passed, strict=True):
            if not ok:
                break
            counts[key] += 1
    return counts


def funnel_people(program: Program, period: Period) -> QuerySet[Membership]:
    """The program's mentees (peers) who joined in the period (their membership made in it), each annotated with
    `profile_complete` (accounts' Profile.complete, on the side they use), `matched_at` (their first mentorship's
    start in the program), `met` (a session held in a mentorship of theirs) and `completed` (one of theirs
    completed with them in it). A later step may fall after the period: a cohort's joiners are followed through."""
    side = "either" if program.format == Program.Format.PEER else "learning"
    theirs = MentorshipMember.objects.filter(program=program, user_id=OuterRef("user_id"))
    rows = mentored(program).annotate(
        profile_complete=Exists(Profile.objects.complete(side).filter(user_id=OuterRef("user_id"))),
        matched_at=Subquery(theirs.order_by("joined_at").values("joined_at")[:1]),
        met=Exists(
            Session.objects.filter(mentorship__members__user_id=OuterRef("user_id"), mentorship__program=program)
        ),
        completed=Exists(theirs.filter(status=MentorshipMember.Status.ENDED)),
    )
    return _on_days(rows, "created_at", period)


# 2. Time to match.

MATCH_BANDS = (
    ("week", "Within a week", 0, 7),
    ("month", "8–30 days", 8, 30),
    ("quarter", "31–90 days", 31, 90),
    ("longer", "Over 90 days", 91, None),
)
WAITING = ("waiting", "Not matched yet")


@dataclass(frozen=True)
class MatchWait:
    membership: Membership
    days: int | None  # None: not matched yet

    @property
    def band(self) -> str:
        if self.days is None:
            return WAITING[0]
        days = self.days
        return next(key for key, _, low, high in MATCH_BANDS if days >= low and (high is None or days <= high))


def match_waits(program: Program, period: Period) -> list[MatchWait]:
    """Who joined in the period and how many days passed from joining to their first mentorship (0 for people
    matched before they were added, as an import may do)."""
    rows = funnel_people(program, period).select_related("user").order_by("created_at", "pk")
    return [
        MatchWait(row, None if row.matched_at is None else max(0, (row.matched_at - row.created_at).days))
        for row in rows
    ]


def median_days(waits: list[MatchWait]) -> float | None:
    days = [w.days for w in waits if w.days is not None]
    return median(days) if days else None


# 3. Meetings against the agreed cadence.

KEPT, PARTLY, RARELY, TOO_NEW = "kept", "partly", "rarely", "too_new"
CADENCE_BANDS = (
    (KEPT, "Kept (80% or more)"),
    (PARTLY, "Partly (40–79%)"),
    (RARELY, "Rarely (under 40%)"),
    (TOO_NEW, "Too new to tell"),
)


@dataclass(frozen=True)
class PairCadence:
    mentorship: Mentorship
    held: int
    expected: float  # the period's days the pair ran, divided by its cadence
    cadence_days: int

    @property
    def share(self) -> float | None:
        return self.held / self.expected if self.expected >= 1 else None

    @property
    def band(self) -> str:
        share = self.share
        if share is None:
            return TOO_NEW
        return KEPT if share >= 0.8 else PARTLY if share >= 0.4 else RARELY


def pairs_cadence(
    program: Program, period: Period, *, today: dt.date | None = None, with_people: bool = False
) -> list[PairCadence]:
    """Every mentorship (active or completed) that ran in the period, with the sessions it held in it against
    those its cadence asks for over the days it ran in it (the agreement's cadence, else the program's). A pair
    younger than one cadence is too new to tell. One query; `with_people`: a second, their members (to name them)."""
    today = today or timezone.localdate()
    held = _on_days(Session.objects.filter(mentorship=OuterRef("pk")), "date", period)
    rows = Mentorship.objects.in_program(program)
    if period.end:
        rows = rows.filter(started_at__date__lte=period.end)
    if period.start:
        rows = rows.filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=period.start))
    if with_people:
        rows = rows.prefetch_related(Prefetch("members", queryset=MentorshipMember.objects.select_related("user")))
    rows = (
        rows.select_related("program", "mentor")
        .annotate(agreed_cadence=F("agreement__cadence_days"), held=_count_of(held, "mentorship"))
        .order_by("started_at", "pk")
    )
    found = []
    for row in rows:
        first = max(timezone.localtime(row.started_at).date(), period.start or dt.date.min)
        last = min(timezone.localtime(row.ended_at).date() if row.ended_at else today, period.end or today, today)
        cadence = cadence_days_of(row)
        days = max(0, (last - first).days + 1)
        found.append(PairCadence(row, row.held, round(days / cadence, 2), cadence))
    return found


# 4. Goals and milestones.


def program_goals(program: Program, period: Period) -> QuerySet[Goal]:
    """The goals of the program's mentees (peers) set by the period's end, as they stand now."""
    goals = Goal.objects.filter(mentee_id__in=mentored(program).values("user_id"))
    if period.end:
        goals = goals.filter(created_at__date__lte=period.end)
    return goals


def milestones_done(program: Program, period: Period) -> QuerySet[Milestone]:
    """The milestones of those goals done within the period."""
    return _on_days(Milestone.objects.filter(goal__in=program_goals(program, period), done=True), "done_at", period)


# 5. Ratings both ways.


def pairs_ratings(program: Program, period: Period) -> QuerySet[Mentorship]:
    """The mentorships whose sessions in the period were rated, each with `members_ratings` and `members_average`
    (its mentees' or peers') and `mentor_ratings` and `mentor_average` (its mentor's): the rows behind the
    ratings by side. Two queries: the mentorships, then their members (to name them)."""
    feedback = _on_days(Feedback.objects.filter(session__mentorship=OuterRef("pk")), "session__date", period)
    by_mentor = feedback.filter(author_id=OuterRef("mentor_id"))
    by_members = feedback.filter(Q(session__mentorship__mentor__isnull=True) | ~Q(author_id=OuterRef("mentor_id")))

    def average(rows: QuerySet) -> Subquery:
        rows = rows.order_by().values("session__mentorship").annotate(average=Avg("rating")).values("average")
        return Subquery(rows, output_field=FloatField())

    return (
        Mentorship.objects.in_program(program)
        .select_related("mentor")
        .prefetch_related(Prefetch("members", queryset=MentorshipMember.objects.select_related("user")))
        .annotate(
            members_ratings=_count_of(by_members, "session__mentorship"),
            members_average=average(by_members),
            mentor_ratings=_count_of(by_mentor, "session__mentorship"),
            mentor_average=average(by_mentor),
        )
        .filter(Q(members_ratings__gt=0) | Q(mentor_ratings__gt=0))
        .order_by("started_at", "pk")
    )


def _count_of(rows: QuerySet, by: str) -> Coalesce:
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
