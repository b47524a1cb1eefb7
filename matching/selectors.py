"""Reads for matching: the pool a round draws from, turned into the engine's plain columns.

A pool is one program's: its active mentees with room under the program's mentee limit and no pending request
there, and its active mentors accepting requests with a slot open there. Features are the person's one profile:
a mentee's wanted skills (and their open goals' skills and words, and bio), a mentor's skills, headline and bio.

At 100k people the database code matters more than the algorithm: everything here is a handful of flat
`values_list` queries over the whole pool, grouped in Python, never a query per person.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import Profile, Skill, User
from matching.engine import Participants, Peers
from matching.models import MatchProposal, MatchRound, UnmatchedMentee
from mentorship.models import Goal, MentorshipMember, MentorshipRequest
from programs.models import Membership, Program


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


# --- Who is in a program's pool ---------------------------------------------------------------------------
# The rules are the Membership QuerySet's words (waiting, accepting_with_open_slot): one place for each.


def waiting_mentee_ids(program: Program) -> list[int]:
    """The program's active mentees with room under its mentee limit and no pending request there."""
    return sorted(Membership.objects.in_program(program).mentees().active().waiting().values_list("user_id", flat=True))


def mentor_open_slots(program: Program, mentor_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Open slots of the program's active mentors who accept requests, by user id, for those with one open: their
    capacity there less their active mentorships and the match-round offers pending there. Pending, invited,
    departed and removed mentors are never here."""
    mentors = Membership.objects.in_program(program).mentors().active().accepting_with_open_slot()
    if mentor_ids is not None:
        mentors = mentors.filter(user_id__in=list(mentor_ids))
    return dict(mentors.values_list("user_id", "open_slots"))


def pool_is_empty(program: Program) -> str | None:
    """Why a round in `program` would have nobody to match (None: it would have someone)."""
    if program.format == Program.Format.PEER:
        if len(waiting_peer_ids(program)) < 2:
            return "Fewer than two peers are waiting for a partner: the pool is empty."
        return None
    if not waiting_mentee_ids(program):
        return "No mentee is waiting for a mentor: the pool is empty."
    if not mentor_open_slots(program):
        return "No mentor is accepting requests with an open slot: the pool is empty."
    return None


# --- The engine's columns -----------------------------------------------------------------------------------


def mentee_pool(program: Program, mentee_ids: list[int] | None = None) -> Participants:
    """The program's waiting mentees (or the ones given) as the engine's columns, by id: their wanted skills and
    their open goals' skills; their goals' words and bio."""
    ids = waiting_mentee_ids(program) if mentee_ids is None else sorted(set(mentee_ids))
    profiles = Profile.objects.values_list("user_id", "industry__name", "bio", "timezone")
    rows = sorted(_rows_of(profiles, "user_id", ids))
    wanted = Profile.wanted_skills.through.objects.filter(skill__status=APPROVED).values_list(
        "profile__user_id", "skill__name"
    )
    skills = _grouped(_rows_of(wanted, "profile__user_id", ids))
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
    goals = Goal.objects.filter(status=Goal.Status.OPEN).order_by("pk").values_list("mentee_id", "title", "description")
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


def mentor_pool(program: Program, open_slots: dict[int, int] | None = None) -> tuple[Participants, list[int]]:
    """The mentors with an open slot in `program` (or those given, with their slots) as the engine's columns:
    their skills; their headline and bio. And their open slots."""
    open_slots = mentor_open_slots(program) if open_slots is None else open_slots
    ids = sorted(open_slots)
    profiles = Profile.objects.values_list("user_id", "industry__name", "headline", "bio", "timezone")
    rows = sorted(_rows_of(profiles, "user_id", ids))
    teaches = Profile.skills.through.objects.filter(skill__status=APPROVED).values_list(
        "profile__user_id", "skill__name"
    )
    skills = _grouped(_rows_of(teaches, "profile__user_id", ids))
    today = timezone.localdate()
    participants = Participants(
        ids=[r[0] for r in rows],
        skills=[skills.get(r[0], []) for r in rows],
        industry=[r[1] for r in rows],
        text=[f"{r[2]} {r[3]}" for r in rows],
        utc_offset_hours=[_utc_offset_hours(r[4], today) for r in rows],
    )
    return participants, [open_slots[r[0]] for r in rows]


def circle_sizes(program: Program, mentor_ids: Iterable[int]) -> dict[int, int]:
    """Members already in each mentor's circle in a group program, by user id (absent: none)."""
    members = MentorshipMember.objects.active().in_program(program).filter(mentor_id__in=list(mentor_ids))
    return dict(members.order_by().values("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n"))


def excluded_pairs(program: Program, mentee_ids: list[int]) -> set[tuple[int, int]]:
    """Pairs never to propose in `program`: they had a mentorship there (a circle left counts), or the mentor
    declined the mentee there; and a person with themselves (one may mentor and be mentored in the same program)."""
    past = _rows_of(
        MentorshipMember.objects.filter(program=program, mentor__isnull=False).values_list("user_id", "mentor_id"),
        "user_id",
        mentee_ids,
    )
    declined = _rows_of(
        MentorshipRequest.objects.filter(program=program, status=MentorshipRequest.Status.DECLINED).values_list(
            "mentee_id", "mentor_id"
        ),
        "mentee_id",
        mentee_ids,
    )
    return set(past) | set(declined) | {(mentee_id, mentee_id) for mentee_id in mentee_ids}


# --- Peer programs ------------------------------------------------------------------------------------------


def waiting_peer_ids(program: Program) -> list[int]:
    """The program's active peers with room for a partner under its limit and no pending request there, sent or
    received (a peer asked may yet say yes)."""
    peers = Membership.objects.in_program(program).peers().active().waiting()
    return sorted(peers.values_list("user_id", flat=True))


def peer_pool(program: Program, peer_ids: list[int] | None = None) -> Peers:
    """The program's waiting peers (or those given) as the engine's columns: each has a mentee's side (wanted
    skills, open goals' skills and words, bio) and a mentor's (skills, headline and bio), and languages."""
    ids = waiting_peer_ids(program) if peer_ids is None else sorted(set(peer_ids))
    wanting = mentee_pool(program, ids)
    offering, _ = mentor_pool(program, dict.fromkeys(ids, 1))
    languages = dict(_rows_of(Profile.objects.values_list("user_id", "languages"), "user_id", ids))
    return Peers(
        ids=list(wanting.ids),
        wanted_skills=list(wanting.skills),
        goals_text=list(wanting.text),
        skills=list(offering.skills),
        about_text=list(offering.text),
        industry=list(wanting.industry),
        languages=[languages.get(pid) or [] for pid in wanting.ids],
        utc_offset_hours=list(wanting.utc_offset_hours),
    )


def excluded_peer_pairs(program: Program, peer_ids: list[int]) -> set[tuple[int, int]]:
    """Pairs of peers never to propose in `program`: partners now or before, or one declined the other."""
    together = _rows_of(
        MentorshipMember.objects.filter(program=program, mentor__isnull=True).values_list("user_id", "mentorship_id"),
        "user_id",
        peer_ids,
    )
    by_pair: dict[int, list[int]] = defaultdict(list)
    for user_id, mentorship_id in together:
        by_pair[mentorship_id].append(user_id)
    partners = {(a, b) for people in by_pair.values() for a in people for b in people if a != b}
    declined = _rows_of(
        MentorshipRequest.objects.filter(program=program, status=MentorshipRequest.Status.DECLINED).values_list(
            "mentee_id", "mentor_id"
        ),
        "mentee_id",
        peer_ids,
    )
    return partners | set(declined)


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in sorted(pairs):
        grouped[owner_id].append(name)
    return grouped


# --- Rounds -------------------------------------------------------------------------------------------------


def round_list(program: Program) -> QuerySet[MatchRound]:
    return MatchRound.objects.filter(program=program).select_related("program", "created_by", "published_by")


def proposal_list(*, round_id: int, by_mentee: bool = False) -> QuerySet[MatchProposal]:
    """Best score first; or `by_mentee` name, an order an override does not change (the review page's)."""
    ordering = ("mentee__full_name", "id") if by_mentee else ("-score", "id")
    return (
        MatchProposal.objects.filter(round_id=round_id)
        .select_related("mentee", "mentor", "proposed_mentor")
        .order_by(*ordering)
    )


@dataclass(frozen=True)
class RoundCircle:
    """A group round's proposals to one mentor: the members it would add to their circle, and those in it now."""

    mentor: User
    joining: list[User]
    members_now: int

    @property
    def size_after(self) -> int:
        return self.members_now + len(self.joining)


def round_circles(match_round: MatchRound) -> list[RoundCircle]:
    """The circles a group round proposes members to, by mentor name, each with its proposed members by name. Two
    queries: the proposals with both people, and the circles' members now."""
    proposals = MatchProposal.objects.filter(round=match_round).select_related("mentee", "mentor")
    joining: dict[int, list[User]] = defaultdict(list)
    mentors: dict[int, User] = {}
    for proposal in proposals.order_by("mentee__full_name", "id"):
        mentors[proposal.mentor_id] = proposal.mentor
        joining[proposal.mentor_id].append(proposal.mentee)
    now = circle_sizes(match_round.program, mentors)
    circles = [RoundCircle(mentors[m], joining[m], now.get(m, 0)) for m in mentors]
    return sorted(circles, key=lambda c: (c.mentor.full_name, c.mentor.pk))


def mentor_room_after_round(
    match_round: MatchRound, *, except_proposal_id: int | None = None, mentor_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """(open slots now, open slots once this round's proposals are counted) of the round's program's mentors with a
    slot open now, by user id. A proposal being changed (`except_proposal_id`) does not count: its slot is the one
    an override moves."""
    open_now = mentor_open_slots(match_round.program, mentor_ids)
    proposals = MatchProposal.objects.filter(round=match_round).exclude(pk=except_proposal_id).order_by()
    if len(open_now) <= IN_LIST_MAX:
        proposals = proposals.filter(mentor_id__in=list(open_now))
    taken = dict(proposals.values("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n"))
    return {mentor_id: (slots, max(slots - taken.get(mentor_id, 0), 0)) for mentor_id, slots in open_now.items()}


def unmatched_list(*, round_id: int) -> QuerySet[UnmatchedMentee]:
    """The mentees a round proposed nobody to, with why, by name."""
    return (
        UnmatchedMentee.objects.filter(round_id=round_id).select_related("mentee").order_by("mentee__full_name", "id")
    )
