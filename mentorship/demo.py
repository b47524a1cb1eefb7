"""The demo programs' history: goals with milestones, requests in every state, mentorships with sessions and
feedback, most of it in `main` and some in the cohort and the reverse-mentoring program; circles in the group
program and pairs in the peer program. Written in bulk with past dates (a service would stamp everything "now"),
keeping every invariant the services keep, per program: a mentor's capacity there (a circle's members), the
program's mentee limit (a peer's partners), one circle per mentor, one pending request per pair, sessions within
the mentorship and attended by its members of the day, ratings by those who came.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts.demo import DemoPeople
from accounts.models import User
from mentorship.models import Feedback, Goal, Mentorship, MentorshipMember, MentorshipRequest, Milestone, Session
from programs.demo import DemoPrograms
from programs.models import Membership, Program

GOAL_TEMPLATES = [
    ("Get confident at {skill}", ["Find a course or a book on {skill}", "Practise {skill} weekly", "Ask for feedback"]),
    ("Lead a project that uses {skill}", ["Pitch the project", "Plan milestones with the team", "Deliver and review"]),
    ("Move into a role that needs {skill}", ["List the roles I want", "Close my biggest gap", "Apply to three roles"]),
    ("Present my work on {skill}", ["Choose a topic", "Draft the talk", "Rehearse with my mentor", "Give the talk"]),
]
SESSION_NOTES = [
    "Reviewed progress on the goals and agreed on next steps.",
    "Role-played a difficult conversation; practised staying calm and specific.",
    "Went through a real example from this week and what to try differently.",
    "Mapped the skills the next role needs against today's strengths.",
    "Prepared for an upcoming interview: stories, questions, follow-up.",
]
TOPICS = ["career planning", "feedback", "confidence", "networking", "prioritisation", "interviews", "delegation"]
FEEDBACK_COMMENTS = ["Very helpful, thank you!", "Clear next steps.", "Good session.", "Eye-opening.", ""]
CIRCLE_NOTES = [
    "Each member brought a situation from their team; the circle suggested a first step for each.",
    "Practised giving feedback in pairs, then shared what felt hard.",
    "Delegating without losing track: two members showed the checklists they use.",
    "One member's difficult one-to-one, role-played by the circle.",
    "Planned the quarter: each member named one habit to build before the next session.",
]
CIRCLE_TOPICS = ["feedback", "delegation", "one-to-ones", "hiring", "prioritisation", "difficult conversations"]
PEER_NOTES = [
    "Half an hour on each other's goal, with one thing to try before next time.",
    "Reviewed each other's work and wrote down what to change.",
    "Rehearsed a presentation on each other and traded notes.",
    "Shared what worked since last time and what did not.",
]
Role = Membership.Role


@transaction.atomic
def demo_lifecycle_build(
    *, people: DemoPeople, programs: DemoPrograms, seed: int = 2026, progress: Callable[[int], None] = lambda n: None
) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    main = programs.main
    demo_mentor, demo_mentee = people.mentors[0], people.mentees[0]
    # The seniors of the reverse-mentoring program are mentees there: they have goals too.
    learners = [*people.mentees, *people.mentors[: people.both_sides]]
    learners = list(User.objects.filter(pk__in=[u.pk for u in learners]).prefetch_related("profile__wanted_skills"))
    learners.sort(key=lambda u: u.pk)
    goals_of = _goals(rng, learners, today, now)
    progress(1)

    mentee_ids = {u.pk for u in people.mentees}
    mentees = [u for u in learners if u.pk in mentee_ids]
    mentors = list(
        Membership.objects.in_program(main).mentors().select_related("user").order_by("user_id")
    )  # capacity and accepting are the membership's
    demo_membership = next(m for m in mentors if m.user_id == demo_mentor.pk)

    # Who is mentored by whom in main: the demo mentee is left free to browse and ask; the demo mentor has one
    # mentee now and room for more. Everyone else: about half of the mentees, within every mentor's capacity.
    slots = {m.user_id: m.capacity for m in mentors}
    slots[demo_mentor.pk] = 1
    others = [m for m in mentees if m.pk != demo_mentee.pk]
    mentorships: list[Mentorship] = []
    requests: list[MentorshipRequest] = []
    with_room = [m for m in mentors if slots[m.user_id] > 0]  # kept in order as mentors fill up
    for index, mentee in enumerate(others):
        if index == 0:
            mentor = demo_membership
        elif rng.random() < 0.55 and with_room:
            mentor = rng.choice(with_room)
        else:
            continue
        started = now - dt.timedelta(days=rng.randint(20, 150))
        completed = index > 0 and rng.random() < 0.15
        _pair(main, mentee, mentor.user, started, goals_of, requests, mentorships, rng=rng, completed=completed)
        if not completed:
            slots[mentor.user_id] -= 1
            if slots[mentor.user_id] == 0 and mentor in with_room:
                with_room.remove(mentor)

    # Mentees with no mentor now: requests that went nowhere, and a pending one for a third of them.
    mentored = {m.demo_mentee.pk for m in mentorships if m.status == "active"}
    free = [m for m in others if m.pk not in mentored]
    not_demo = [m for m in mentors if m is not demo_membership]
    for mentee in free:
        tried = rng.sample(not_demo, k=2)
        outcomes = rng.sample(["declined", "withdrawn", "expired"], k=rng.randint(0, 2))
        for mentor, status in zip(tried, outcomes, strict=False):  # as many as there are outcomes
            sent = now - dt.timedelta(days=rng.randint(15, 90))
            request = _request(main, mentee, mentor.user, status, sent, goals_of)
            request.responded_at = sent + dt.timedelta(days=main.request_expiry_days if status == "expired" else 2)
            if status == "declined":
                request.decline_reason = rng.choice(MentorshipRequest.DeclineReason.values)
            requests.append(request)
    asking = rng.sample(free[2:], k=len(free[2:]) // 3)
    open_mentors = [m for m in mentors if slots[m.user_id] > 0 and m.accepting_requests and m is not demo_membership]
    for mentee in asking:
        sent = now - dt.timedelta(days=rng.randint(0, 10))
        requests.append(_request(main, mentee, rng.choice(open_mentors).user, "pending", sent, goals_of))
    for mentee in free[:2]:  # the demo mentor has requests to answer
        requests.append(_request(main, mentee, demo_mentor, "pending", now - dt.timedelta(days=1), goals_of))
    progress(1)

    _other_programs(rng, people, programs, goals_of, requests, mentorships, now)
    _bulk_create_dated(MentorshipRequest, requests)
    MentorshipRequest.goals.through.objects.bulk_create(
        [
            MentorshipRequest.goals.through(mentorshiprequest_id=r.pk, goal_id=goals_of[r.mentee_id][0].pk)
            for r in requests
        ]
    )
    accepted = {(r.program_id, r.mentee_id, r.mentor_id): r for r in requests if r.status == "accepted"}
    for mentorship in mentorships:
        mentorship.request = accepted[(mentorship.program_id, mentorship.demo_mentee.pk, mentorship.mentor_id)]
        mentorship.created_at = mentorship.started_at
    _bulk_create_dated(Mentorship, mentorships)
    MentorshipMember.objects.bulk_create(
        [
            MentorshipMember(
                mentorship=m,
                program_id=m.program_id,
                mentor_id=m.mentor_id,
                user=m.demo_mentee,
                status="active" if m.status == "active" else "ended",
                joined_at=m.started_at,
                left_at=m.ended_at,
                request=m.request,
            )
            for m in mentorships
        ]
    )
    progress(1)

    _sessions(rng, mentorships, goals_of, today)
    progress(1)

    _group_history(rng, people, programs.group, goals_of, now, today)
    _peer_history(rng, people, programs.peer, goals_of, now, today)
    progress(1)


def _other_programs(rng, people: DemoPeople, programs: DemoPrograms, goals_of, requests, mentorships, now) -> None:
    """A little history outside main: in the cohort, a mentorship of the demo mentor's and a request of the demo
    mentee's waiting; in reverse mentoring, the demo mentor asking the demo mentee, and other pairs at work."""
    cohort_mentors = _members(programs.cohort, Membership.Role.MENTOR)
    cohort_mentees = _members(programs.cohort, Membership.Role.MENTEE)
    demo_mentor, demo_mentee = people.mentors[0], people.mentees[0]
    others = [u for u in cohort_mentors if u.pk != demo_mentor.pk]
    if others:
        sent = now - dt.timedelta(days=2)
        requests.append(_request(programs.cohort, demo_mentee, others[0], "pending", sent, goals_of))
    for mentee in [u for u in cohort_mentees if u.pk != demo_mentee.pk][:1]:
        started = max(now - dt.timedelta(days=14), _midnight(programs.cohort.starts_on))
        _pair(programs.cohort, mentee, demo_mentor, started, goals_of, requests, mentorships, rng=rng)

    # The demo mentee has a request to answer as a mentor there; other early-career people are at work.
    sent = now - dt.timedelta(days=3)
    requests.append(_request(programs.reverse, demo_mentor, demo_mentee, "pending", sent, goals_of))
    pairs = list(zip(people.mentees[: people.both_sides], people.mentors[: people.both_sides], strict=True))
    for junior, senior in pairs[1::2]:
        started = now - dt.timedelta(days=rng.randint(20, 60))
        _pair(programs.reverse, senior, junior, started, goals_of, requests, mentorships, rng=rng)


def _members(program: Program, role: str) -> list[User]:
    rows = Membership.objects.in_program(program).filter(role=role).active().select_related("user")
    return [m.user for m in rows.order_by("user_id")]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _pair(program, mentee, mentor, started, goals_of, requests, mentorships, *, rng, completed=False) -> None:
    """An accepted request and the mentorship it began (completed a few weeks later when `completed`)."""
    request = _request(program, mentee, mentor, "accepted", started - dt.timedelta(days=rng.randint(1, 6)), goals_of)
    request.responded_at = started
    requests.append(request)
    mentorship = Mentorship(
        program=program,
        format=program.format,
        mentor=mentor,
        started_at=started,
        status="completed" if completed else "active",
        ended_at=started + dt.timedelta(days=rng.randint(15, 19)) if completed else None,
        ended_by=mentee if completed else None,
    )
    mentorship.demo_mentee = mentee  # its one member, written once the mentorships have ids
    mentorships.append(mentorship)


def _request(
    program: Program, mentee: User, mentor: User, status: str, sent: dt.datetime, goals_of, *, peer: bool = False
) -> MentorshipRequest:
    """`mentee` asks `mentor` (a peer asks a peer, when `peer`)."""
    goal = goals_of[mentee.pk][0].title.lower()
    request = MentorshipRequest(
        program=program,
        mentee=mentee,
        mentor=mentor,
        status=status,
        message=(
            f"Hello {mentor.get_short_name()}, shall we pair up? I want to {goal}, and I am glad to help you too."
            if peer
            else f"Hello {mentor.get_short_name()}, I would love your help to {goal}."
        ),
        expires_at=sent + dt.timedelta(days=program.request_expiry_days),
    )
    request.created_at = sent
    return request


def _bulk_create_dated(model, rows: list) -> None:
    """bulk_create, keeping the past `created_at` each row was given (auto_now_add would stamp it now)."""
    wanted = [row.created_at for row in rows]
    model.objects.bulk_create(rows)
    for row, created_at in zip(rows, wanted, strict=True):
        row.created_at = created_at
    model.objects.bulk_update(rows, ["created_at"], batch_size=500)


def _goals(rng: random.Random, mentees: list[User], today: dt.date, now: dt.datetime) -> dict[int, list[Goal]]:
    goals: list[Goal] = []
    skills_of: list[list] = []
    milestone_titles: list[list[str]] = []
    for mentee in mentees:
        wanted = list(mentee.profile.wanted_skills.all())
        for skill in rng.sample(wanted, k=min(len(wanted), rng.randint(1, 3))):
            title, steps = rng.choice(GOAL_TEMPLATES)
            goals.append(
                Goal(
                    mentee=mentee,
                    title=title.format(skill=skill.name.lower()),
                    description=f"By the target date I want to show concrete progress in {skill.name.lower()}.",
                    target_date=today + dt.timedelta(days=rng.randint(30, 240)),
                    status=rng.choices(["open", "achieved", "dropped"], weights=[8, 2, 1])[0],
                )
            )
            skills_of.append([skill])
            milestone_titles.append([step.format(skill=skill.name.lower()) for step in steps])
    Goal.objects.bulk_create(goals)
    Goal.skills.through.objects.bulk_create(
        [
            Goal.skills.through(goal_id=g.pk, skill_id=s.pk)
            for g, skills in zip(goals, skills_of, strict=True)
            for s in skills
        ]
    )
    milestones = []
    for goal, titles in zip(goals, milestone_titles, strict=True):
        done_count = len(titles) if goal.status == "achieved" else rng.randint(0, len(titles) - 1)
        for index, title in enumerate(titles):
            done = index < done_count
            milestones.append(
                Milestone(
                    goal=goal,
                    title=title,
                    due_date=goal.target_date - dt.timedelta(days=20 * (len(titles) - index)),
                    done=done,
                    done_at=now - dt.timedelta(days=rng.randint(1, 60)) if done else None,
                )
            )
    Milestone.objects.bulk_create(milestones)
    by_mentee: dict[int, list[Goal]] = {m.pk: [] for m in mentees}
    for goal in goals:
        by_mentee[goal.mentee_id].append(goal)
    for mentee in mentees:  # a mentee with no wanted skill still has a goal to talk about
        if not by_mentee[mentee.pk]:
            by_mentee[mentee.pk].append(Goal.objects.create(mentee=mentee, title="Find my next career step"))
    return by_mentee


def _sessions(rng: random.Random, mentorships: list[Mentorship], goals_of, today: dt.date) -> None:
    sessions: list[Session] = []
    for mentorship in mentorships:
        start = mentorship.started_at.date()
        end = mentorship.ended_at.date() if mentorship.ended_at else today
        days = (end - start).days
        for offset in sorted(rng.sample(range(1, max(days, 2)), k=min(rng.randint(1, 6), max(days - 1, 1)))):
            sessions.append(
                Session(
                    mentorship=mentorship,
                    date=start + dt.timedelta(days=offset),
                    duration_minutes=rng.choice([30, 45, 45, 60, 60, 90]),
                    notes=rng.choice(SESSION_NOTES),
                    topics=rng.sample(TOPICS, k=2),
                )
            )
    for session in sessions:
        session.created_at = dt.datetime.combine(session.date, dt.time(18), tzinfo=dt.UTC)
    _bulk_create_dated(Session, sessions)
    Session.goals.through.objects.bulk_create(
        [Session.goals.through(session_id=s.pk, goal_id=goals_of[s.mentorship.demo_mentee.pk][0].pk) for s in sessions]
    )
    Session.attendees.through.objects.bulk_create(
        [
            Session.attendees.through(session_id=s.pk, user_id=person)
            for s in sessions
            for person in (s.mentorship.mentor_id, s.mentorship.demo_mentee.pk)
        ]
    )
    Feedback.objects.bulk_create(
        [
            Feedback(
                session=s,
                author=s.mentorship.demo_mentee,
                rating=rng.choices([5, 4, 3, 2], weights=[6, 4, 1, 0.3])[0],
                comment=rng.choice(FEEDBACK_COMMENTS),
            )
            for s in sessions
            if rng.random() < 0.7
        ]
    )


@dataclass
class _Together:
    """A mentorship being written in bulk, with its member rows (which need its id)."""

    mentorship: Mentorship
    members: list[MentorshipMember]


def _group_history(rng, people: DemoPeople, program: Program, goals_of, now, today) -> None:
    """The group program's circles: each mentor's circle of three to six (the demo mentor's with room for the
    request waiting for them; the demo mentee in another mentor's), a member who left, a circle closed before its
    mentor's present one, mentees still waiting; sessions not every member came to, rated by some of those who
    came; a shared goal or two."""
    demo_mentor, demo_mentee = people.mentors[0], people.mentees[0]
    mentors = Membership.objects.in_program(program).mentors().active().select_related("user")
    mentors = sorted(mentors, key=lambda m: (m.user_id != demo_mentor.pk, m.user_id))
    queue = [u for u in _members(program, Role.MENTEE) if u.pk != demo_mentee.pk]
    requests: list[MentorshipRequest] = []
    circles: list[_Together] = []

    def circle(mentor: User, members: list[User], started: dt.datetime, ended: dt.datetime | None = None):
        mentorship = Mentorship(
            program=program,
            format=Program.Format.GROUP,
            mentor=mentor,
            started_at=started,
            status="completed" if ended else "active",
            ended_at=ended,
            ended_by=mentor if ended else None,
        )
        span = ((ended or now) - started).days
        rows = []
        for index, user in enumerate(members):  # three start it, the others join as it goes
            joined = started if index < 3 else started + dt.timedelta(days=rng.randint(7, max(7, span - 14)))
            request = _request(
                program, user, mentor, "accepted", joined - dt.timedelta(days=rng.randint(1, 5)), goals_of
            )
            request.responded_at = joined
            requests.append(request)
            rows.append(
                MentorshipMember(
                    program=program,
                    mentor=mentor,
                    user=user,
                    role=MentorshipMember.Role.MENTEE,
                    status="ended" if ended else "active",
                    joined_at=joined,
                    left_at=ended,
                    request=request,
                )
            )
        circles.append(_Together(mentorship, rows))
        return rows

    if len(mentors) > 1 and len(queue) >= 12:  # a circle that met for three months and closed
        started = now - dt.timedelta(days=rng.randint(170, 200))
        circle(mentors[-1].user, [queue.pop() for _ in range(3)], started, started + dt.timedelta(days=90))
    for index, mentor in enumerate(mentors):
        if mentor.user_id == demo_mentor.pk:
            size = mentor.capacity - 1
        else:
            size = min(mentor.capacity, max(3, rng.choice([mentor.capacity, mentor.capacity, mentor.capacity - 1])))
        members = [demo_mentee] if index == 1 or len(mentors) == 1 else []
        members += [queue.pop(0) for _ in range(min(size - len(members), len(queue)))]
        if not members:
            continue
        rows = circle(mentor.user, members, now - dt.timedelta(days=rng.randint(60, 150)))
        if index == 2 and queue:  # someone who came for a while, then left the circle
            leaver = queue.pop(0)
            joined = rows[0].joined_at
            request = _request(program, leaver, mentor.user, "accepted", joined - dt.timedelta(days=2), goals_of)
            request.responded_at = joined
            requests.append(request)
            rows.append(
                MentorshipMember(
                    program=program,
                    mentor=mentor.user,
                    user=leaver,
                    role=MentorshipMember.Role.MENTEE,
                    status="left",
                    joined_at=joined,
                    left_at=now - dt.timedelta(days=rng.randint(15, 30)),
                    request=request,
                )
            )

    # Still waiting: one asks the demo mentor (their circle has room for one), one asked a full mentor and was
    # turned down; the others wait for a match round.
    members_of = Counter(m.mentor.pk for c in circles for m in c.members if m.status == "active")
    if queue and any(m.user_id == demo_mentor.pk and m.capacity > members_of[m.user_id] for m in mentors):
        requests.append(_request(program, queue[0], demo_mentor, "pending", now - dt.timedelta(days=1), goals_of))
    full = [m.user for m in mentors if members_of[m.user_id] >= m.capacity]
    if len(queue) > 1 and full:
        sent = now - dt.timedelta(days=rng.randint(10, 30))
        declined = _request(program, queue[1], full[0], "declined", sent, goals_of)
        declined.responded_at, declined.decline_reason = sent + dt.timedelta(days=1), "no_capacity"
        requests.append(declined)

    _together_write(requests, circles, goals_of)
    planned = []
    for together in circles:
        came_often = rng.uniform(0.55, 0.95)  # some circles come more faithfully than others
        for day in _meeting_days(rng, together.mentorship, today, every=(12, 16)):
            here = [m for m in together.members if _member_on(m, day)]
            if not here:
                continue
            came = [m.user_id for m in here if rng.random() < came_often] or [rng.choice(here).user_id]
            planned.append((together.mentorship, day, rng.choice(CIRCLE_NOTES), rng.sample(CIRCLE_TOPICS, k=2), came))
    _sessions_write(rng, planned, goals_of)

    # Shared with the circle: the demo mentee's first goal and one of a member of the demo mentor's circle.
    shared = [goals_of[demo_mentee.pk][0].pk]
    demo_circle = next((c for c in circles if c.mentorship.mentor_id == demo_mentor.pk and c.members), None)
    if demo_circle is not None:
        shared.append(goals_of[demo_circle.members[0].user_id][0].pk)
    Goal.objects.filter(pk__in=shared).update(shared=True)


def _peer_history(rng, people: DemoPeople, program: Program, goals_of, now, today) -> None:
    """The peer program's pairs: the demo mentee with a partner (and a request from another peer to answer), most
    peers in one pair, a few in two (the program's limit), two pairs that ended, a pair too new to have met, two
    peers not paired yet (one of them turned down); sessions rated by one, both or neither of the peers."""
    demo_mentee = people.mentees[0]
    others = [u for u in _members(program, Role.PEER) if u.pk != demo_mentee.pk]
    unpaired = others[-2:] if len(others) >= 6 else []
    rest = others[1 : len(others) - len(unpaired)]
    # Who asked whom, when it started, when it ended.
    current = [(demo_mentee, others[0])] if others else []
    current += list(zip(rest[0::2], rest[1::2], strict=False))
    current += [(rest[i], rest[i + 2]) for i in (0, 4) if i + 3 < len(rest)]  # a second partner for these four
    couples = [(a, b, now - dt.timedelta(days=rng.randint(30, 120)), None) for a, b in current[:-1]]
    couples += [(a, b, now - dt.timedelta(days=3), None) for a, b in current[-1:]]  # too new to have met
    for i in (1, 5):
        if i + 2 < len(rest):
            started = now - dt.timedelta(days=rng.randint(100, 140))
            couples.append((rest[i], rest[i + 2], started, started + dt.timedelta(days=45)))
    requests: list[MentorshipRequest] = []
    pairs: list[_Together] = []
    for asker, asked, started, ended in couples:
        request = _request(
            program, asker, asked, "accepted", started - dt.timedelta(days=rng.randint(1, 4)), goals_of, peer=True
        )
        request.responded_at = started
        requests.append(request)
        mentorship = Mentorship(
            program=program,
            format=Program.Format.PEER,
            mentor=None,
            started_at=started,
            status="completed" if ended else "active",
            ended_at=ended,
            ended_by=asked if ended else None,
        )
        members = [
            MentorshipMember(
                program=program,
                mentor=None,
                user=user,
                role=MentorshipMember.Role.PEER,
                status="ended" if ended else "active",
                joined_at=started,
                left_at=ended,
                request=request,
            )
            for user in (asker, asked)
        ]
        pairs.append(_Together(mentorship, members))
    if unpaired:  # the demo mentee has room for a second partner: someone asks
        sent = now - dt.timedelta(days=2)
        requests.append(_request(program, unpaired[-1], demo_mentee, "pending", sent, goals_of, peer=True))
        if rest:
            sent = now - dt.timedelta(days=rng.randint(10, 30))
            declined = _request(program, unpaired[0], rest[0], "declined", sent, goals_of, peer=True)
            declined.responded_at, declined.decline_reason = sent + dt.timedelta(days=1), "no_capacity"
            requests.append(declined)

    _together_write(requests, pairs, goals_of)
    planned = []
    for pair in pairs:
        both = [m.user_id for m in pair.members]
        for day in _meeting_days(rng, pair.mentorship, today, every=(10, 24)):
            planned.append((pair.mentorship, day, rng.choice(PEER_NOTES), rng.sample(TOPICS, k=2), both))
    _sessions_write(rng, planned, goals_of)
    if others:  # the demo mentee's partner shares a goal with them
        Goal.objects.filter(pk=goals_of[others[0].pk][0].pk).update(shared=True)


def _member_on(member: MentorshipMember, day: dt.date) -> bool:
    """In the mentorship on `day`: joined by then, not left before."""
    return member.joined_at.date() <= day and (member.left_at is None or member.left_at.date() >= day)


def _meeting_days(rng, mentorship: Mentorship, today: dt.date, *, every: tuple[int, int]) -> list[dt.date]:
    """Days it met: a few days after it started, then every so often, until it ended (or yesterday)."""
    last = mentorship.ended_at.date() if mentorship.ended_at else today - dt.timedelta(days=1)
    day = mentorship.started_at.date() + dt.timedelta(days=rng.randint(4, 10))
    days = []
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=rng.randint(*every))
    return days


def _together_write(requests: list[MentorshipRequest], together: list[_Together], goals_of) -> None:
    """The requests, then the mentorships they started (each the request of its first member), then the members."""
    _bulk_create_dated(MentorshipRequest, requests)
    MentorshipRequest.goals.through.objects.bulk_create(
        [
            MentorshipRequest.goals.through(mentorshiprequest_id=r.pk, goal_id=goals_of[r.mentee_id][0].pk)
            for r in requests
        ]
    )
    for item in together:
        item.mentorship.request = item.members[0].request
        item.mentorship.created_at = item.mentorship.started_at
    _bulk_create_dated(Mentorship, [item.mentorship for item in together])
    rows = []
    for item in together:
        for member in item.members:
            member.mentorship = item.mentorship
            rows.append(member)
    MentorshipMember.objects.bulk_create(rows)


def _sessions_write(rng, planned: list[tuple], goals_of) -> None:
    """Sessions (mentorship, day, notes, topics, the members who came), each attended by its mentor (if any) and
    those members, touching a goal of up to two of them, rated by some of them."""
    sessions = [
        Session(
            mentorship=mentorship,
            date=day,
            duration_minutes=rng.choice([45, 60, 60, 90]),
            notes=notes,
            topics=topics,
        )
        for mentorship, day, notes, topics, _ in planned
    ]
    for session in sessions:
        session.created_at = dt.datetime.combine(session.date, dt.time(18), tzinfo=dt.UTC)
    _bulk_create_dated(Session, sessions)
    attendees, goals, feedback = [], [], []
    for session, (mentorship, _, _, _, came) in zip(sessions, planned, strict=True):
        people = ([mentorship.mentor_id] if mentorship.mentor_id else []) + came
        attendees += [Session.attendees.through(session_id=session.pk, user_id=person) for person in people]
        goals += [
            Session.goals.through(session_id=session.pk, goal_id=goals_of[person][0].pk)
            for person in rng.sample(came, k=min(2, len(came)))
        ]
        feedback += [
            Feedback(
                session=session,
                author_id=person,
                rating=rng.choices([5, 4, 3, 2], weights=[6, 4, 1, 0.3])[0],
                comment=rng.choice(FEEDBACK_COMMENTS),
            )
            for person in came
            if rng.random() < 0.65
        ]
    Session.attendees.through.objects.bulk_create(attendees)
    Session.goals.through.objects.bulk_create(goals)
    Feedback.objects.bulk_create(feedback)


def demo_memberships_backdate(*, seed: int = 2026) -> None:
    """Everyone joined their demo program before they first asked, were asked or were matched there (bulk
    writes stamped every membership "now"), by a few days to a few weeks; who has done nothing yet joined in the
    last three months. Run after every other builder: the report's time to match and its period read these."""
    rng = random.Random(seed)
    now = timezone.now()
    first: dict[tuple[int, int], dt.datetime] = {}

    def earliest(rows, person: str, at: str) -> None:
        for row in rows.values("program_id", person).annotate(at=Min(at)).order_by():
            key = (row["program_id"], row[person])
            first[key] = min(first.get(key, row["at"]), row["at"])

    earliest(MentorshipRequest.objects, "mentee_id", "created_at")
    earliest(MentorshipRequest.objects, "mentor_id", "created_at")
    earliest(MentorshipMember.objects, "user_id", "joined_at")
    earliest(Mentorship.objects.exclude(mentor=None), "mentor_id", "started_at")
    memberships = list(Membership.objects.exclude(role=Membership.Role.ADMIN).order_by("pk"))
    for membership in memberships:
        began = first.get((membership.program_id, membership.user_id))
        before = rng.randint(2, 45) if began else rng.randint(1, 90)
        membership.created_at = (began or now) - dt.timedelta(days=before, hours=rng.randint(0, 23))
    Membership.objects.bulk_update(memberships, ["created_at"], batch_size=2_000)
