"""Pairs at risk: a program's active mentorships that have gone quiet or whose sessions are rated low, each with its
reasons, for the program's admins to look at and nudge. A read: a constant number of queries whatever the program's
size (the mentorships with their last session, last ratings and last nudge annotated, then their members)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DateTimeField, F, IntegerField, Max, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from mentorship.models import (
    AgreementConfirmation,
    Feedback,
    Meeting,
    Mentorship,
    MentorshipMember,
    Nudge,
    Session,
)
from programs.models import Program

QUIET_FACTOR = 2  # no session in twice the cadence: at risk
LAST_RATINGS = 3  # the ratings a pair is judged by: its sessions' latest
LOW_AVERAGE = 2  # at most this on average over them: at risk

AGREEMENT_WAIT_DAYS = 7  # a proposed or changed agreement someone has not confirmed in a week: at risk

NO_RECENT_SESSION = "no_recent_session"
LOW_RATINGS = "low_ratings"
AGREEMENT_UNANSWERED = "agreement_unanswered"
REASONS = {
    NO_RECENT_SESSION: "No recent session",
    LOW_RATINGS: "Low ratings",
    AGREEMENT_UNANSWERED: "Agreement not confirmed",
}


def cadence_days_of(mentorship: Mentorship) -> int:
    """How often the people of `mentorship` mean to meet, in days: the cadence they agreed on (the
    `agreed_cadence` annotation of with_quiet_facts), else their program's."""
    return getattr(mentorship, "agreed_cadence", None) or mentorship.program.session_cadence_days


def quiet_since(mentorship: Mentorship) -> dt.date:
    """The day its quiet spell began: its last session's, or the day it started when it has had none. Reads the
    `last_session_on` annotation (with_quiet_facts)."""
    return mentorship.last_session_on or timezone.localtime(mentorship.started_at).date()


def days_quiet(mentorship: Mentorship, *, today: dt.date | None = None) -> int:
    return ((today or timezone.localdate()) - quiet_since(mentorship)).days


def with_quiet_facts(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Annotate each mentorship's `last_session_on` (None: no session yet), the ratings of its latest sessions
    (`rating_1` .. `rating_3`, newest first, None past the last one), `nudged_at` (its latest nudge), its
    agreement's `agreed_cadence`, `agreement_changed_at` and `agreement_confirmations` (at its current version;
    None without an agreement), and `next_meeting_at` (its next planned meeting, None without one)."""
    sessions = Session.objects.filter(mentorship=OuterRef("pk")).order_by().values("mentorship")
    latest_ratings = Feedback.objects.filter(session__mentorship=OuterRef("pk")).order_by(
        "-session__date", "-created_at", "-id"
    )
    nudges = Nudge.objects.filter(mentorship=OuterRef("pk")).order_by("-created_at")
    confirmations = (
        AgreementConfirmation.objects.filter(agreement__mentorship=OuterRef("pk"), version=F("agreement__version"))
        .order_by()
        .values("agreement")
        .annotate(count=Count("pk"))
        .values("count")
    )
    upcoming = (
        Meeting.objects.planned()
        .filter(mentorship=OuterRef("pk"), starts_at__gte=timezone.now())
        .order_by()
        .values("mentorship")
        .annotate(first=Min("starts_at"))
        .values("first")
    )
    return mentorships.annotate(
        agreed_cadence=F("agreement__cadence_days"),
        agreement_changed_at=F("agreement__updated_at"),
        agreement_confirmations=Subquery(confirmations, output_field=IntegerField()),
        next_meeting_at=Subquery(upcoming, output_field=DateTimeField()),
        last_session_on=Subquery(sessions.annotate(last=Max("date")).values("last")),
        nudged_at=Subquery(nudges.values("created_at")[:1], output_field=DateTimeField()),
        **{
            f"rating_{i + 1}": Subquery(latest_ratings.values("rating")[i : i + 1], output_field=IntegerField())
            for i in range(LAST_RATINGS)
        },
    )


@dataclass(frozen=True)
class PairAtRisk:
    mentorship: Mentorship
    reasons: list[str]
    last_session_on: dt.date | None
    days_quiet: int
    cadence_days: int
    cadence_agreed: bool  # the pair's own agreement set it (else the program's)
    rating_average: float | None  # over its latest ratings (up to LAST_RATINGS); None: no rating yet
    nudged_at: dt.datetime | None

    @property
    def reasons_in_words(self) -> list[str]:
        words = []
        if NO_RECENT_SESSION in self.reasons:
            since = "its last session" if self.last_session_on else "it started"
            words.append(
                f"No session for {self.days_quiet} days since {since} "
                f"({'they agreed on' if self.cadence_agreed else 'the program expects'} one every "
                f"{self.cadence_days} days)"
            )
        if LOW_RATINGS in self.reasons:
            words.append(f"Low ratings: its latest average {self.rating_average:.1f} out of 5")
        if AGREEMENT_UNANSWERED in self.reasons:
            words.append(f"Its agreement has waited more than {AGREEMENT_WAIT_DAYS} days for someone to confirm it")
        return words


def reasons_of(mentorship: Mentorship, *, today: dt.date) -> tuple[list[str], float | None]:
    """Why an annotated mentorship (with_quiet_facts) is at risk, if it is, and its latest ratings' average."""
    reasons = []
    if days_quiet(mentorship, today=today) > QUIET_FACTOR * cadence_days_of(mentorship):
        reasons.append(NO_RECENT_SESSION)
    ratings = [r for r in (getattr(mentorship, f"rating_{i + 1}") for i in range(LAST_RATINGS)) if r is not None]
    average = sum(ratings) / len(ratings) if ratings else None
    if average is not None and average <= LOW_AVERAGE:
        reasons.append(LOW_RATINGS)
    if agreement_waiting(mentorship, today=today):
        reasons.append(AGREEMENT_UNANSWERED)
    return reasons, average


def agreement_waiting(mentorship: Mentorship, *, today: dt.date) -> bool:
    """Its agreement, proposed or changed more than AGREEMENT_WAIT_DAYS ago, still lacks someone's confirmation
    (annotated by with_quiet_facts; its people come from the prefetched members)."""
    changed = getattr(mentorship, "agreement_changed_at", None)
    if changed is None or (today - timezone.localtime(changed).date()).days <= AGREEMENT_WAIT_DAYS:
        return False
    return (mentorship.agreement_confirmations or 0) < len(mentorship.people())


def active_with_facts(program: Program) -> QuerySet[Mentorship]:
    """A program's active mentorships with what tells whether they are at risk, and their people."""
    members = MentorshipMember.objects.select_related("user")
    return with_quiet_facts(
        Mentorship.objects.active()
        .in_program(program)
        .select_related("program", "mentor")
        .prefetch_related(Prefetch("members", queryset=members))
    ).order_by("started_at", "id")


def pairs_at_risk(program: Program, *, today: dt.date | None = None) -> list[PairAtRisk]:
    """The program's active mentorships at risk, the quietest first: no session in `QUIET_FACTOR` × their cadence
    (since their last session, or since they started), or their latest ratings at most `LOW_AVERAGE` on average.
    Two queries: the mentorships with their facts, then their members with their people."""
    today = today or timezone.localdate()
    found = []
    for mentorship in active_with_facts(program):
        reasons, average = reasons_of(mentorship, today=today)
        if reasons:
            found.append(
                PairAtRisk(
                    mentorship=mentorship,
                    reasons=reasons,
                    last_session_on=mentorship.last_session_on,
                    days_quiet=days_quiet(mentorship, today=today),
                    cadence_days=cadence_days_of(mentorship),
                    cadence_agreed=getattr(mentorship, "agreed_cadence", None) is not None,
                    rating_average=round(average, 2) if average is not None else None,
                    nudged_at=mentorship.nudged_at,
                )
            )
    found.sort(key=lambda pair: (-pair.days_quiet, pair.mentorship.pk))
    return found
