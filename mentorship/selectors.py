"""Reads of the mentorship lifecycle, scoped to who may see what: a row the caller may not see is simply not
in their queryset, so the API answers 404 for it without revealing that it exists."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Skill, User
from mentorship.models import (
    Feedback,
    Goal,
    Mentorship,
    MentorshipMember,
    MentorshipRequest,
    Milestone,
    ProgressRating,
    Session,
)
from programs.models import Membership, Program


def mentor_offers_held(*, mentor_id: int, program: Program, excluding_request_id: int | None = None) -> int:
    """Pending offers a match round made on this mentor's behalf in `program`: they hold a slot until answered."""
    offers = MentorshipRequest.objects.offers_held().in_program(program).filter(mentor_id=mentor_id)
    if excluding_request_id is not None:
        offers = offers.exclude(pk=excluding_request_id)
    return offers.count()


def mentor_seats(program: Program) -> QuerySet[Membership]:
    """Every active mentor of `program` (their membership, with user and profile) and their `open_slots` there,
    whether or not their profile is complete enough to be listed: whom a mentee may ask. Pending, invited, departed
    and removed mentors, and deactivated accounts, are not here."""
    return (
        Membership.objects.in_program(program)
        .mentors()
        .active()
        .with_open_slots()
        .select_related("user", "user__profile", "user__profile__industry", "program")
    )


def mentor_directory(program: Program) -> QuerySet[Membership]:
    """The mentors `program` lists: its active mentors whose profile has the minimum a mentee needs to choose
    (Membership.objects.listed()), with `open_slots`, ready to render in a constant number of queries (memberships
    with user, profile and industry, then their skills). Shown to everyone: only approved skills (a mentor's
    suggestions wait for an admin, and their own page shows them)."""
    return (
        mentor_seats(program)
        .listed()
        .prefetch_related(Prefetch("user__profile__skills", queryset=Skill.objects.approved()))
    )


def mentor_directory_listing(program: Program) -> QuerySet[Membership]:
    """The directory as the API and the page list it: by name, then id (index `user_by_name`)."""
    return mentor_directory(program).order_by("user__full_name", "user_id")


def mentors_accepting(program: Program) -> QuerySet[Membership]:
    """The listed mentors of `program` who take a request now: accepting, with an open slot."""
    return mentor_directory(program).accepting_with_open_slot()


def waiting_mentees(program: Program) -> QuerySet[Membership]:
    """The mentee memberships of `program` still waiting for a mentor: active, with room under the program's
    `mentee_limit` and no pending request there (Membership.objects.waiting())."""
    return Membership.objects.in_program(program).mentees().active().waiting()


def peer_directory(program: Program, *, viewer: User) -> QuerySet[Membership]:
    """The active peers of `program` but `viewer`, by name: their profile (both sides' skills, approved ones only),
    their `partners` there and `open_slots` under the program's `mentee_limit`, whether each is the viewer's partner
    now (`paired_with_viewer`) and whether a request between the two is pending, either way (`pending_with_viewer`).
    A constant number of queries: memberships with user, profile and industry, then each side's skills."""
    partners_of_viewer = MentorshipMember.objects.active().filter(mentorship__in=mentorships_in(viewer, program))
    between = MentorshipRequest.objects.pending().in_program(program)
    approved = Skill.objects.approved()
    return (
        Membership.objects.in_program(program)
        .peers()
        .active()
        .exclude(user=viewer)
        .with_partners()
        .annotate(
            paired_with_viewer=Exists(partners_of_viewer.filter(user_id=OuterRef("user_id"))),
            pending_with_viewer=Exists(
                between.filter(
                    Q(mentee_id=OuterRef("user_id"), mentor=viewer) | Q(mentor_id=OuterRef("user_id"), mentee=viewer)
                )
            ),
        )
        .select_related("user", "user__profile", "user__profile__industry")
        .prefetch_related(
            Prefetch("user__profile__skills", queryset=approved),
            Prefetch("user__profile__wanted_skills", queryset=approved),
        )
        .order_by("user__full_name", "user_id")
    )


@dataclass(frozen=True)
class MenteeStanding:
    """Where a mentee stands with one mentor: what decides whether they may ask them now."""

    pending_request: bool
    mentored: bool
    active_mentorships: int
    last_withdrawn_at: dt.datetime | None


def mentee_standing(*, mentee_id: int, mentor_id: int, program: Program) -> MenteeStanding:
    """One query: the mentor's page asks it on every view, and every request sent asks it again.

    Written out, as the token check is (config/authentication.py): the ORM spent ~2 ms building this query of four
    subqueries, which PostgreSQL answers in 0.1 ms (bench/load.py's mentor page).
    """
    params = {"mentee": mentee_id, "mentor": mentor_id, "program": program.pk}
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
    requests, members = MentorshipRequest._meta.db_table, MentorshipMember._meta.db_table
    pending, withdrawn = MentorshipRequest.Status.PENDING, MentorshipRequest.Status.WITHDRAWN
    active = MentorshipMember.Status.ACTIVE
    pair = "program_id = %(program)s AND mentee_id = %(mentee)s AND mentor_id = %(mentor)s"
    member = f"program_id = %(program)s AND user_id = %(mentee)s AND status = '{active}'"
    # Withdrawn by the mentee themselves: a request closed because they found a mentor (`close_reason`) is not.
    return f"""SELECT
        EXISTS (SELECT 1 FROM {requests} WHERE {pair} AND status = '{pending}'),
        EXISTS (SELECT 1 FROM {members} WHERE {member} AND mentor_id = %(mentor)s),
        (SELECT COUNT(*) FROM {members} WHERE {member}),
        (SELECT responded_at FROM {requests} WHERE {pair} AND status = '{withdrawn}' AND close_reason = ''
            AND responded_at IS NOT NULL ORDER BY responded_at DESC LIMIT 1)"""


def programs_administered(user: User) -> QuerySet[Membership]:
    """The ids (`program_id`) of the programs `user` is an active admin of, as a subquery: a list reads them in the
    same query as its rows."""
    return Membership.objects.filter(user=user).admins().active().values("program_id")


def _in_my_programs(user: User) -> Q:
    return Q(program_id__in=programs_administered(user))


def requests_visible_to(*, user: User) -> QuerySet[MentorshipRequest]:
    """A person's requests, sent or received, in every program; a program admin's programs' too; site staff all."""
    if user.is_staff:
        return MentorshipRequest.objects.all()
    return MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user) | _in_my_programs(user))


def request_list_for(*, user: User) -> QuerySet[MentorshipRequest]:
    return (
        requests_visible_to(user=user)
        .select_related("mentee", "mentor", "program")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("id", "title", "mentee_id")),
            Prefetch("members", queryset=MentorshipMember.objects.only("id", "request_id", "mentorship_id")),
        )
    )


def mentorships_visible_to(*, user: User) -> QuerySet[Mentorship]:
    """A person's mentorships, any side (a circle they left too), in every program; a program admin's programs' too;
    site staff all."""
    if user.is_staff:
        return Mentorship.objects.all()
    mine = MentorshipMember.objects.filter(user=user).values("mentorship_id")
    return Mentorship.objects.filter(Q(mentor=user) | Q(pk__in=mine) | _in_my_programs(user))


def mentorships_in(user: User, program: Program) -> QuerySet[MentorshipMember]:
    """The ids (`mentorship_id`) of the active mentorships `user` is a member of in `program` (as a mentee or a
    peer), as a subquery."""
    return MentorshipMember.objects.active().in_program(program).filter(user=user).values("mentorship_id")


def _members():
    return Prefetch("members", queryset=MentorshipMember.objects.select_related("user", "user__profile"))


def mentorship_list_for(*, user: User) -> QuerySet[Mentorship]:
    # An aggregate drops Meta.ordering, so the order is said again.
    return (
        mentorships_visible_to(user=user)
        .select_related("mentor", "mentor__profile", "program")
        .prefetch_related(_members())
        .annotate(session_count=Count("sessions"))
        .order_by("-started_at", "-id")
    )


def session_list(*, mentorship: Mentorship) -> QuerySet[Session]:
    return (
        Session.objects.filter(mentorship=mentorship)
        .select_related("mentorship")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("id", "title", "mentee_id")),
            Prefetch("feedback", queryset=Feedback.objects.select_related("author")),
            Prefetch("progress_ratings", queryset=ProgressRating.objects.select_related("goal")),
            Prefetch("mentorship__members", queryset=MentorshipMember.objects.only("id", "user_id", "mentorship_id")),
            "attendees",
        )
    )


def goals_visible_to(*, user: User) -> QuerySet[Goal]:
    """A person's own goals (in no program: they travel with the person); the goals of the people they mentor now,
    in any program; the goals shared (`shared`) by the people in a circle or peer pair with them now; a program
    admin's, those of the people in their programs; site staff, all."""
    if user.is_staff:
        return Goal.objects.all()
    active = MentorshipMember.objects.active()
    mentored = active.filter(mentor=user).values("user_id")
    together = active.filter(mentorship__in=active.filter(user=user).values("mentorship_id")).values("user_id")
    in_my_programs = Membership.objects.filter(program_id__in=programs_administered(user)).values("user_id")
    return Goal.objects.filter(
        Q(mentee=user) | Q(mentee__in=mentored) | Q(mentee__in=in_my_programs) | Q(shared=True, mentee__in=together)
    )


def goal_list_for(*, user: User) -> QuerySet[Goal]:
    """The goals `user` may see, with their approved skills and, on a person's own goals, their suggestions too
    (a suggestion is shown to its author, and to site staff, until an admin reviews it)."""
    skills = (
        Skill.objects.all()
        if user.is_staff
        else Skill.objects.filter(Q(status=Skill.Status.APPROVED) | Q(suggested_by=user))
    )
    return (
        goals_visible_to(user=user)
        .with_progress()
        .select_related("mentee")
        .prefetch_related(Prefetch("skills", queryset=skills), "milestones")
        .order_by("-created_at", "-id")
    )


def milestone_list(*, goal: Goal) -> QuerySet[Milestone]:
    return Milestone.objects.filter(goal=goal)
