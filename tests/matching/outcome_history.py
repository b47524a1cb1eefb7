"""Published rounds whose proposed pairs have a history: their requests answered, their mentorships held sessions
and rated them. For the outcome, round-band and weight-fitting tests, in each of the three formats."""

import datetime as dt

import numpy as np
from django.utils import timezone

from mentorship.models import Feedback, Mentorship
from tests.factories import (
    MatchProposalFactory,
    MatchRoundFactory,
    MemberFactory,
    MembershipFactory,
    MentorshipFactory,
    RequestFactory,
    SessionFactory,
    UserFactory,
)


def published_round(program, **fields):
    return MatchRoundFactory(program=program, status="published", published_at=timezone.now(), **fields)


def proposed_pair(
    match_round,
    *,
    mentee=None,
    mentor=None,
    score: float = 0.5,
    blocks: dict | None = None,
    answer: str | None = "accepted",
    sessions: int = 0,
    rating: int | None = None,
    stay: str = "ended",
    circle: Mentorship | None = None,
):
    """A proposal of `match_round` (in its program's format) that became a request answered `answer` (None: no
    request, a skipped proposal); when accepted, a stay (`stay`: active, left or ended) in a new mentorship (a
    circle: `circle` when given) with `sessions` sessions the two came to, each rated `rating` by both."""
    program = match_round.program
    peer = program.format == "peer"
    mentee = mentee or _member_of(program, "peer" if peer else "mentee")
    mentor = mentor or _member_of(program, "peer" if peer else "mentor")
    proposal = MatchProposalFactory(
        round=match_round,
        mentee=mentee,
        mentor=mentor,
        score=score,
        explanation=_explanation(blocks or {"skills": 0.2, "industry": 0.1, "goals": 0.2}, peer=peer),
    )
    if answer is None:
        return proposal
    request = RequestFactory(program=program, mentee=mentee, mentor=mentor, origin="match_round", status=answer)
    proposal.request = request
    proposal.save(update_fields=["request"])
    if answer != "accepted":
        return proposal
    started = timezone.now() - dt.timedelta(days=120)
    mentorship = circle or MentorshipFactory(
        program=program,
        mentor=None if peer else mentor,
        mentee=None,
        request=request,
        started_at=started,
        **({"status": "completed", "ended_at": timezone.now()} if stay == "ended" else {}),
    )
    for person in [mentee, mentor] if peer else [mentee]:
        MemberFactory(
            mentorship=mentorship,
            user=person,
            request=request,
            status=stay,
            joined_at=started,
            left_at=None if stay == "active" else timezone.now(),
        )
    for day in range(sessions):
        session = SessionFactory(
            mentorship=mentorship, date=started.date() + dt.timedelta(days=7 * day), attendees=[mentee, mentor]
        )
        if rating is not None:
            Feedback.objects.bulk_create(
                [Feedback(session=session, author=person, rating=rating) for person in (mentee, mentor)]
            )
    return proposal


def _explanation(blocks: dict, *, peer: bool) -> dict:
    """In the shape the engine writes (matching.engine.explain, peer_explain), with `blocks` as given."""
    one_way = {"blocks": blocks, "shared_skills": [], "shared_goal_words": []}
    if peer:
        return {"blocks": blocks, "industry": None, "shared_languages": [], "a_helps_b": one_way, "b_helps_a": one_way}
    return {**one_way, "industry": None}


def _member_of(program, role: str):
    user = UserFactory()
    MembershipFactory(user=user, program=program, role=role, **({"capacity": 5} if role == "mentor" else {}))
    return user


def history_where_skills_tell(program, *, pairs: int = 48, seed: int = 0, weights: dict | None = None):
    """A published round of `program` whose `pairs` proposals alternate good (completed, 3 sessions rated 5) and
    poor (declined), with a skills similarity that mostly tells them apart (high for most good pairs, low for
    most poor ones) and industry and goal similarities that are noise. `weights`: the round's."""
    rng = np.random.default_rng(seed)
    weights = weights or {"skills": 1.0, "industry": 0.5, "goals": 1.0}
    total = sum(weights.values())
    match_round = published_round(program, weights=weights)
    for i in range(pairs):
        good = i % 2 == 0
        telling = rng.uniform() < 0.85
        skills = rng.uniform(0.5, 1) if good == telling else rng.uniform(0, 0.5)
        similarity = {"skills": skills, "industry": float(rng.integers(0, 2)), "goals": rng.uniform(0, 1)}
        terms = {name: weights[name] / total * value for name, value in similarity.items()}
        history = {"sessions": 3, "rating": 5} if good else {"answer": "declined"}
        proposed_pair(match_round, score=sum(terms.values()), blocks=terms, **history)
    return match_round
