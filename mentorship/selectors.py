"""Reads of the mentorship lifecycle, scoped to who may see what: a row the caller may not see is simply not
in their queryset, so the API answers 404 for it without revealing that it exists."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from accounts.models import MentorProfile, Skill, User
from mentorship.models import Goal, Mentorship, MentorshipRequest, Milestone, Session


def mentor_offers_held(*, mentor_id: int, excluding_request_id: int | None = None) -> int:
    """Pending offers a match round made on this mentor's behalf: they hold a slot until answered."""
    offers = MentorshipRequest.objects.pending().filter(
        mentor_id=mentor_id, origin=MentorshipRequest.Origin.MATCH_ROUND
    )
    if excluding_request_id is not None:
        offers = offers.exclude(pk=excluding_request_id)
    return offers.count()


def _count_subquery(queryset: QuerySet, field: str) -> Coalesce:
    counted = queryset.filter(**{field: OuterRef("user_id")}).order_by().values(field)
    counted = counted.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def mentor_directory() -> QuerySet[MentorProfile]:
    """Mentor profiles with `open_slots` (capacity less active mentorships and pending match-round offers),
    ready to render in a constant number of queries (profiles with user and industry, then their skills). Shown to
    everyone: only approved skills (a mentor's suggestions wait for an admin, and their own profile shows them).

    The two counts are aliases, not columns: each is one index-only look-up per row (partial indexes
    `active_mentorships_by_mentor`, `offers_held_by_mentor`), and selecting them as well would run them twice."""
    return (
        MentorProfile.objects.select_related("user", "industry")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.approved()))
        .filter(user__is_active=True)
        .alias(
            active_mentees=_count_subquery(Mentorship.objects.active(), "mentor_id"),
            offers_held=_count_subquery(
                MentorshipRequest.objects.pending().filter(origin=MentorshipRequest.Origin.MATCH_ROUND), "mentor_id"
            ),
        )
        .annotate(open_slots=Greatest(Value(0), F("capacity") - F("active_mentees") - F("offers_held")))
    )


def mentor_directory_listing() -> QuerySet[MentorProfile]:
    """The directory as the API and the page list it: by name, then id (index `user_by_name`)."""
    return mentor_directory().order_by("user__full_name", "user_id")


@dataclass(frozen=True)
class MenteeStanding:
    """Where a mentee stands with one mentor: what decides whether they may ask them now."""

    pending_request: bool
    mentored: bool
    active_mentorships: int
    last_withdrawn_at: dt.datetime | None


def mentee_standing(*, mentee_id: int, mentor_id: int) -> MenteeStanding:
    """One query: the mentor's page asks it on every view, and every request sent asks it again.

    Written out, as the token check is (config/authentication.py): the ORM spent ~2 ms building this query of four
    subqueries, which PostgreSQL answers in 0.1 ms (bench/load.py's mentor page).
    """
    params = {"mentee": mentee_id, "mentor": mentor_id}
    with connection.cursor() as cursor:
        cursor.execute(_standing_sql(), params)
        pending, mentored, active, withdrawn_at = cursor.fetchone()
    if isinstance(withdrawn_at, str):  # SQLite gives a raw timestamp as text or as a naive datetime, in UTC
        withdrawn_at = dt.datetime.fromisoformat(withdrawn_at)
    if withdrawn_at is not None and withdrawn_at.tzinfo is None:
        withdrawn_at = withdrawn_at.replace(tzinfo=dt.UTC)
    return MenteeStanding(bool(pending), bool(mentored), active, withdrawn_at)


@functools.cache
def _standing_sql() -> str:
    requests, mentorships = MentorshipRequest._meta.db_table, Mentorship._meta.db_table
    pending, withdrawn = MentorshipRequest.Status.PENDING, MentorshipRequest.Status.WITHDRAWN
    active = Mentorship.Status.ACTIVE
    pair = "mentee_id = %(mentee)s AND mentor_id = %(mentor)s"
    # Withdrawn by the mentee themselves: a request closed because they found a mentor (`close_reason`) is not.
    return f"""SELECT
        EXISTS (SELECT 1 FROM {requests} WHERE {pair} AND status = '{pending}'),
        EXISTS (SELECT 1 FROM {mentorships} WHERE {pair} AND status = '{active}'),
        (SELECT COUNT(*) FROM {mentorships} WHERE mentee_id = %(mentee)s AND status = '{active}'),
        (SELECT responded_at FROM {requests} WHERE {pair} AND status = '{withdrawn}' AND close_reason = ''
            AND responded_at IS NOT NULL ORDER BY responded_at DESC LIMIT 1)"""


def request_list_for(*, user: User) -> QuerySet[MentorshipRequest]:
    if user.is_program_admin:
        requests = MentorshipRequest.objects.all()
    elif user.is_mentor:
        requests = MentorshipRequest.objects.filter(mentor=user)
    else:
        requests = MentorshipRequest.objects.filter(mentee=user)
    return requests.select_related("mentee", "mentor", "mentorship").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.only("id", "title", "mentee_id"))
    )


def mentorships_visible_to(*, user: User) -> QuerySet[Mentorship]:
    if user.is_program_admin:
        return Mentorship.objects.all()
    return Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user))


def mentorship_list_for(*, user: User) -> QuerySet[Mentorship]:
    # An aggregate drops Meta.ordering, so the order is said again.
    return (
        mentorships_visible_to(user=user)
        .select_related("mentee", "mentor")
        .annotate(session_count=Count("sessions"))
        .order_by("-started_at", "-id")
    )


def session_list(*, mentorship: Mentorship) -> QuerySet[Session]:
    return (
        Session.objects.filter(mentorship=mentorship)
        .select_related("feedback")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.only("id", "title", "mentee_id")))
    )


def goals_visible_to(*, user: User) -> QuerySet[Goal]:
    """A mentee's own goals; for a mentor, the goals of the mentees they mentor now; admins see all."""
    if user.is_program_admin:
        return Goal.objects.all()
    if user.is_mentor:
        return Goal.objects.filter(mentee__in=Mentorship.objects.active().filter(mentor=user).values("mentee_id"))
    return Goal.objects.filter(mentee=user)


def goal_list_for(*, user: User) -> QuerySet[Goal]:
    """The goals `user` may see, with their skills: a mentee's own goals with their suggestions too, anyone
    else's (a mentor's mentees') with approved skills only."""
    skills = Skill.objects.all() if user.is_mentee or user.is_program_admin else Skill.objects.approved()
    return (
        goals_visible_to(user=user)
        .with_progress()
        .select_related("mentee")
        .prefetch_related(Prefetch("skills", queryset=skills), "milestones")
        .order_by("-created_at", "-id")
    )


def milestone_list(*, goal: Goal) -> QuerySet[Milestone]:
    return Milestone.objects.filter(goal=goal)
