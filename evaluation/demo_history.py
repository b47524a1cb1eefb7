"""A past published round of the main demo program, and how its pairs fared: so that the weights page has a
history to fit to and the round's page shows its pairs by score band.

The round is a real run of the matcher over the program's people (excluding pairs that already met or asked one
another), published seven months ago. Each pair's fate is drawn from a logistic model of its block
similarities in which shared skills matter most and goal words and industry little: the fitted weights put
skills first and rank the pairs better, held out, than the program's default weights (which count goal words as
much as skills). Written in bulk with past dates.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.demo import DemoPeople
from matching import engine, selectors
from matching.models import MatchProposal, MatchRound
from mentorship.models import Feedback, Mentorship, MentorshipMember, MentorshipRequest, Session
from programs.demo import DemoPrograms
from programs.models import Membership

HISTORY_ROUND = "Spring matching (demo history)"
MAX_PAIRS = 120
SLOTS_PER_MENTOR = 2
PUBLISHED_DAYS_AGO = 210
# The history's "truth": log-odds of a good outcome from each block's similarity (0..1). A round's pairs are its
# best, so their similarities vary little (skills: 0.58 ± 0.14 in the demo): strong effects, for outcomes that
# still differ. About half the labelled pairs come out good.
TRUE_EFFECTS = {"skills": 10.0, "industry": 0.5, "goals": 1.0}
BASELINE = -6.3
UNLABELLED_SHARE = 0.12  # withdrawn requests and middling mentorships: neither good nor poor
SESSION_NOTES = [
    "Went through the goal plan and picked the next step.",
    "Practised the conversation the mentee is dreading.",
    "Reviewed a piece of work together and wrote down what to change.",
    "Talked through the options for the next role.",
]


@dataclass
class _Fate:
    answer: str  # the request's status
    sessions: int = 0
    ratings: tuple[int, ...] = ()  # the mentee's, per session


@transaction.atomic
def demo_history_build(*, people: DemoPeople, programs: DemoPrograms, seed: int = 2026) -> MatchRound | None:
    """The history round of `programs.main` (None when the demo is too small to propose anyone)."""
    rng = random.Random(seed)
    program = programs.main
    demo_mentee, demo_mentor = people.mentees[0], people.mentors[0]
    members = Membership.objects.in_program(program).active()
    mentee_ids = sorted(set(members.mentees().values_list("user_id", flat=True)) - {demo_mentee.pk})
    mentor_ids = sorted(set(members.mentors().values_list("user_id", flat=True)) - {demo_mentor.pk})
    met = set(MentorshipRequest.objects.in_program(program).values_list("mentee_id", "mentor_id"))
    mentors, _ = selectors.mentor_pool(program, dict.fromkeys(mentor_ids, SLOTS_PER_MENTOR))
    weights = dict(program.default_weights)
    result = engine.match(
        selectors.mentee_pool(program, mentee_ids),
        mentors,
        [SLOTS_PER_MENTOR] * len(mentors),
        weights=engine.Weights(**weights),
        options=engine.Options(),
        excluded=met,
    )
    proposals = sorted(result.proposals, key=lambda p: (-p.score, p.mentee_id))[:MAX_PAIRS]
    if not proposals:
        return None

    published = timezone.now() - dt.timedelta(days=PUBLISHED_DAYS_AGO)
    match_round = MatchRound.objects.create(
        program=program,
        name=HISTORY_ROUND,
        weights=weights,
        status=MatchRound.Status.PUBLISHED,
        progress=1.0,
        stats={**result.stats, "published": len(proposals), "skipped": 0, "skipped_reasons": {}},
        created_by=people.admin,
        started_at=published - dt.timedelta(days=1),
        finished_at=published - dt.timedelta(days=1),
        published_at=published,
        published_by=people.admin,
    )
    MatchRound.objects.filter(pk=match_round.pk).update(created_at=published - dt.timedelta(days=1))

    total = sum(weights.values())
    fates = [_fate(rng, _similarities(p.explanation["blocks"], weights, total)) for p in proposals]
    expires = published + dt.timedelta(days=program.request_expiry_days)
    requests = [
        MentorshipRequest(
            program=program,
            mentee_id=p.mentee_id,
            mentor_id=p.mentor_id,
            origin=MentorshipRequest.Origin.MATCH_ROUND,
            status=fate.answer,
            message=f"Proposed by the program's match round “{HISTORY_ROUND}” (score {p.score:.0%}).",
            expires_at=expires,
            responded_at=expires if fate.answer == "expired" else published + dt.timedelta(days=rng.randint(1, 6)),
            decline_reason=MentorshipRequest.DeclineReason.NOT_A_FIT if fate.answer == "declined" else "",
        )
        for p, fate in zip(proposals, fates, strict=True)
    ]
    MentorshipRequest.objects.bulk_create(requests)
    MentorshipRequest.objects.filter(pk__in=[r.pk for r in requests]).update(created_at=published)
    MatchProposal.objects.bulk_create(
        [
            MatchProposal(
                round=match_round,
                mentee_id=p.mentee_id,
                mentor_id=p.mentor_id,
                score=p.score,
                explanation=p.explanation,
                request=request,
            )
            for p, request in zip(proposals, requests, strict=True)
        ]
    )
    _mentorships_write(rng, [(r, f) for r, f in zip(requests, fates, strict=True) if f.answer == "accepted"])
    return match_round


def _similarities(terms: dict, weights: dict, total: float) -> dict[str, float]:
    return {name: terms[name] / (weights[name] / total) if weights[name] else 0.0 for name in TRUE_EFFECTS}


def _fate(rng: random.Random, similarity: dict[str, float]) -> _Fate:
    if rng.random() < UNLABELLED_SHARE:
        if rng.random() < 0.5:
            return _Fate("withdrawn")
        return _Fate("accepted", sessions=4, ratings=(3, 4, 3, 4))  # completed, rated 3.5: middling
    logit = BASELINE + sum(TRUE_EFFECTS[name] * similarity[name] for name in TRUE_EFFECTS)
    if rng.random() < 1 / (1 + math.exp(-logit)):
        sessions = rng.randint(3, 8)
        return _Fate("accepted", sessions=sessions, ratings=tuple(rng.choice((4, 5, 5)) for _ in range(sessions)))
    kind = rng.random()
    if kind < 0.35:
        return _Fate("declined")
    if kind < 0.55:
        return _Fate("expired")
    if kind < 0.8:  # ended early
        sessions = rng.randint(1, 2)
        return _Fate("accepted", sessions=sessions, ratings=tuple(rng.choice((2, 3, 4)) for _ in range(sessions)))
    sessions = rng.randint(3, 6)  # met, but it did not work
    return _Fate("accepted", sessions=sessions, ratings=tuple(rng.choice((1, 2, 2, 3)) for _ in range(sessions)))


def _mentorships_write(rng: random.Random, accepted: list[tuple[MentorshipRequest, _Fate]]) -> None:
    """Each accepted request's mentorship, completed, with its sessions: both people at each, the mentee rating it."""
    mentorships = []
    for request, fate in accepted:
        started = request.responded_at
        mentorships.append(
            Mentorship(
                program_id=request.program_id,
                format=Mentorship.Format.ONE_ON_ONE,
                mentor_id=request.mentor_id,
                request=request,
                started_at=started,
                status=Mentorship.Status.COMPLETED,
                ended_at=started + dt.timedelta(days=14 * max(fate.sessions, 1) + rng.randint(3, 20)),
                ended_by_id=request.mentee_id,
            )
        )
    Mentorship.objects.bulk_create(mentorships)
    MentorshipMember.objects.bulk_create(
        [
            MentorshipMember(
                mentorship=m,
                program_id=m.program_id,
                mentor_id=m.mentor_id,
                user_id=m.request.mentee_id,
                status=MentorshipMember.Status.ENDED,
                joined_at=m.started_at,
                left_at=m.ended_at,
                request=m.request,
            )
            for m in mentorships
        ]
    )
    sessions, ratings = [], []
    for mentorship, (_, fate) in zip(mentorships, accepted, strict=True):
        for index in range(fate.sessions):
            sessions.append(
                Session(
                    mentorship=mentorship,
                    date=(mentorship.started_at + dt.timedelta(days=14 * index + rng.randint(1, 10))).date(),
                    duration_minutes=rng.choice((45, 60)),
                    notes=rng.choice(SESSION_NOTES),
                )
            )
            ratings.append(fate.ratings[index])
    Session.objects.bulk_create(sessions)
    Session.attendees.through.objects.bulk_create(
        [
            Session.attendees.through(session_id=s.pk, user_id=person)
            for s in sessions
            for person in (s.mentorship.request.mentee_id, s.mentorship.mentor_id)
        ]
    )
    # The mentees rate, as in the rest of the demo (its mentors log sessions, their mentees rate them).
    Feedback.objects.bulk_create(
        [
            Feedback(session=s, author_id=s.mentorship.request.mentee_id, rating=rating)
            for s, rating in zip(sessions, ratings, strict=True)
        ]
    )
