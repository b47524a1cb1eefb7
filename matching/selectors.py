"""Reads for matching: the pool a round draws from, turned into the engine's plain columns.

At 100k people the database code matters more than the algorithm: everything here is a handful of flat
`values_list` queries over the whole pool, grouped in Python, never a query per person.
"""

import datetime as dt
from collections import defaultdict
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile, User
from matching.engine import Participants
from matching.models import MatchProposal, MatchRound
from mentorship.models import Goal, Mentorship, MentorshipRequest
from mentorship.selectors import mentor_directory


def waiting_mentees() -> QuerySet[User]:
    """Mentees with no active mentorship and no pending request: the ones a round should find a mentor for."""
    return User.objects.filter(role=User.Role.MENTEE, is_active=True).filter(
        ~Exists(Mentorship.objects.active().filter(mentee=OuterRef("pk"))),
        ~Exists(MentorshipRequest.objects.pending().filter(mentee=OuterRef("pk"))),
    )


def available_mentors() -> QuerySet[MentorProfile]:
    """Mentors accepting requests with a slot open now (capacity less mentees and pending program offers)."""
    return mentor_directory().filter(accepting_requests=True, open_slots__gt=0)


@cache
def _utc_offset_hours(zone: str, day: dt.date) -> float | None:
    try:
        offset = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(zone)).utcoffset()
    except (KeyError, ValueError):
        return None
    return offset.total_seconds() / 3600 if offset is not None else None


def mentee_pool(mentees: QuerySet[User] | None = None) -> Participants:
    """The waiting mentees (or the ones given) as the engine's columns, by id."""
    mentees = waiting_mentees() if mentees is None else mentees
    rows = list(
        MenteeProfile.objects.filter(user__in=mentees)
        .order_by("user_id")
        .values_list("user_id", "industry__name", "bio", "timezone")
    )
    skills = _grouped(
        MenteeProfile.skills.through.objects.filter(menteeprofile__user__in=mentees), "menteeprofile__user_id"
    )
    open_goals = Goal.objects.filter(mentee__in=mentees, status=Goal.Status.OPEN)
    goal_skills = _grouped(Goal.skills.through.objects.filter(goal__in=open_goals), "goal__mentee_id")
    goal_text: dict[int, list[str]] = defaultdict(list)
    for mentee_id, title, description in open_goals.values_list("mentee_id", "title", "description"):
        goal_text[mentee_id] += [title, description]
    today = timezone.localdate()
    return Participants(
        ids=[r[0] for r in rows],
        skills=[skills.get(r[0], []) + goal_skills.get(r[0], []) for r in rows],
        industry=[r[1] for r in rows],
        text=[" ".join([*goal_text.get(r[0], []), r[2]]) for r in rows],
        utc_offset_hours=[_utc_offset_hours(r[3], today) for r in rows],
    )


def mentor_pool(mentors: QuerySet[MentorProfile] | None = None) -> tuple[Participants, list[int]]:
    """The mentors as the engine's columns, and their open slots."""
    mentors = available_mentors() if mentors is None else mentors
    rows = list(
        mentors.order_by("user_id").values_list(
            "user_id", "industry__name", "headline", "bio", "timezone", "open_slots"
        )
    )
    skills = _grouped(
        MentorProfile.skills.through.objects.filter(mentorprofile__in=mentors.values("pk")), "mentorprofile__user_id"
    )
    today = timezone.localdate()
    participants = Participants(
        ids=[r[0] for r in rows],
        skills=[skills.get(r[0], []) for r in rows],
        industry=[r[1] for r in rows],
        text=[f"{r[2]} {r[3]}" for r in rows],
        utc_offset_hours=[_utc_offset_hours(r[4], today) for r in rows],
    )
    return participants, [r[5] for r in rows]


def excluded_pairs(mentee_ids: QuerySet | list[int]) -> set[tuple[int, int]]:
    """Pairs never to propose: they had a mentorship before, or the mentor declined the mentee."""
    past = Mentorship.objects.filter(mentee__in=mentee_ids).values_list("mentee_id", "mentor_id")
    declined = MentorshipRequest.objects.filter(
        mentee__in=mentee_ids, status=MentorshipRequest.Status.DECLINED
    ).values_list("mentee_id", "mentor_id")
    return set(past) | set(declined)


def _grouped(through: QuerySet, owner: str) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in through.values_list(owner, "skill__name"):
        grouped[owner_id].append(name)
    return grouped


def round_list() -> QuerySet[MatchRound]:
    return MatchRound.objects.select_related("created_by", "published_by")


def proposal_list(*, round_id: int) -> QuerySet[MatchProposal]:
    return (
        MatchProposal.objects.filter(round_id=round_id)
        .select_related("mentee", "mentor", "proposed_mentor")
        .order_by("-score", "id")
    )


def pool_is_empty() -> bool:
    return not waiting_mentees().exists() or not available_mentors().exists()
