"""Reads for matching: the pool a round draws from, turned into the engine's plain columns.

At 100k people the database code matters more than the algorithm: everything here is a handful of flat
`values_list` queries over the whole pool, grouped in Python, never a query per person.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile, Skill, User
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


# Pools are read without nested subqueries: a freshly imported program has no planner statistics yet, and
# PostgreSQL then nests loops over subqueries into minutes. A few people are read by id; a whole pool by one plain
# scan of each table, filtered here (faster than long IN lists, and never a bad plan).
IN_LIST_MAX = 2_000
# Skills count once approved. A suggestion is seen by its author and admins only, and a pair's explanation names its
# shared skills to the other side; nor should a term nobody has reviewed steer who is paired. Approving or merging
# one moves the profiles' `updated_at`, so the recommendations refit.
APPROVED = Skill.Status.APPROVED


def _rows_of(query: QuerySet, owner: str, ids: list[int]) -> list[tuple]:
    """Rows of a values_list() query whose first column is `owner`, for the given owners only."""
    if len(ids) <= IN_LIST_MAX:
        return list(query.filter(**{f"{owner}__in": ids}))
    wanted = set(ids)
    return [row for row in query.iterator(chunk_size=20_000) if row[0] in wanted]


def waiting_mentee_ids() -> list[int]:
    return sorted(waiting_mentees().values_list("pk", flat=True))


def mentee_pool(mentee_ids: list[int] | None = None) -> Participants:
    """The waiting mentees (or the ones given) as the engine's columns, by id."""
    ids = waiting_mentee_ids() if mentee_ids is None else sorted(set(mentee_ids))
    profiles = MenteeProfile.objects.values_list("user_id", "industry__name", "bio", "timezone")
    rows = sorted(_rows_of(profiles, "user_id", ids))
    wanted = MenteeProfile.skills.through.objects.filter(skill__status=APPROVED).values_list(
        "menteeprofile__user_id", "skill__name"
    )
    skills = _grouped(_rows_of(wanted, "menteeprofile__user_id", ids))
    open_goals = Goal.objects.filter(status=Goal.Status.OPEN)
    goal_skills = _grouped(
        _rows_of(
            Goal.skills.through.objects.filter(goal__status=Goal.Status.OPEN, skill__status=APPROVED).values_list(
                "goal__mentee_id", "skill__name"
            ),
            "goal__mentee_id",
            ids,
        )
    )
    goal_text: dict[int, list[str]] = defaultdict(list)
    goals = open_goals.order_by("pk").values_list("mentee_id", "title", "description")
    for mentee_id, title, description in _rows_of(goals, "mentee_id", ids):
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
    """The mentors (available ones by default) as the engine's columns, and their open slots."""
    mentors = available_mentors() if mentors is None else mentors
    rows = list(
        mentors.order_by("user_id").values_list(
            "user_id", "industry__name", "headline", "bio", "timezone", "open_slots"
        )
    )
    skills = _grouped(
        _rows_of(
            MentorProfile.skills.through.objects.filter(skill__status=APPROVED).values_list(
                "mentorprofile__user_id", "skill__name"
            ),
            "mentorprofile__user_id",
            [r[0] for r in rows],
        )
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


def excluded_pairs(mentee_ids: list[int]) -> set[tuple[int, int]]:
    """Pairs never to propose: they had a mentorship before, or the mentor declined the mentee."""
    past = _rows_of(Mentorship.objects.values_list("mentee_id", "mentor_id"), "mentee_id", mentee_ids)
    declined = _rows_of(
        MentorshipRequest.objects.filter(status=MentorshipRequest.Status.DECLINED).values_list(
            "mentee_id", "mentor_id"
        ),
        "mentee_id",
        mentee_ids,
    )
    return set(past) | set(declined)


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in sorted(pairs):
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
