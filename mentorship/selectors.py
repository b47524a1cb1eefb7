"""Reads of the mentorship lifecycle, scoped to who may see what: a row the caller may not see is simply not
in their queryset, so the API answers 404 for it without revealing that it exists."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
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
    """One query: the mentor's page asks it on every view, and every request sent asks it again."""
    pair_requests = MentorshipRequest.objects.filter(mentee_id=OuterRef("pk"), mentor_id=mentor_id)
    active = Mentorship.objects.active().filter(mentee_id=OuterRef("pk"))
    active_count = active.order_by().values("mentee_id").annotate(n=Count("pk")).values("n")
    # Withdrawn by the mentee themselves: a request closed because they found a mentor (`close_reason`) is not.
    withdrawn = pair_requests.filter(
        status=MentorshipRequest.Status.WITHDRAWN, close_reason="", responded_at__isnull=False
    ).order_by("-responded_at")
    row = (
        User.objects.filter(pk=mentee_id)
        .values_list(
            Exists(pair_requests.filter(status=MentorshipRequest.Status.PENDING)),
            Exists(active.filter(mentor_id=mentor_id)),
            Coalesce(Subquery(active_count, output_field=IntegerField()), Value(0)),
            Subquery(withdrawn.values("responded_at")[:1]),
        )
        .get()
    )
    return MenteeStanding(*row)


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
