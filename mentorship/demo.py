"""The demo program's history: goals with milestones, requests in every state, mentorships with sessions and
feedback. Written in bulk with past dates (a service would stamp everything "now"), keeping every invariant the
services keep: capacity, one mentor per mentee, one pending request per pair, sessions within the mentorship.
"""

import datetime as dt
import random
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_MENTEE, DEMO_MENTOR
from accounts.models import MentorProfile, User
from mentorship.models import Feedback, Goal, Mentorship, MentorshipRequest, Milestone, Session

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


@transaction.atomic
def demo_lifecycle_build(*, seed: int = 2026, progress: Callable[[int], None] = lambda n: None) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    mentees = list(User.objects.filter(role=User.Role.MENTEE).prefetch_related("mentee_profile__skills").order_by("pk"))
    mentors = list(MentorProfile.objects.select_related("user").order_by("user_id"))
    demo_mentee = next(m for m in mentees if m.username == DEMO_MENTEE)
    demo_mentor = next(m for m in mentors if m.user.username == DEMO_MENTOR)
    demo_mentor.capacity, demo_mentor.accepting_requests = 3, True
    demo_mentor.save(update_fields=["capacity", "accepting_requests"])

    goals_of = _goals(rng, mentees, today, now)
    progress(1)

    # Who is mentored by whom: the demo mentee is left free to browse and ask; the demo mentor has one mentee
    # now and room for more. Everyone else: about half of the mentees, within every mentor's capacity.
    slots = {m.user_id: m.capacity for m in mentors}
    slots[demo_mentor.user_id] = 1
    others = [m for m in mentees if m is not demo_mentee]
    mentorships: list[Mentorship] = []
    requests: list[MentorshipRequest] = []
    with_room = [m for m in mentors if slots[m.user_id] > 0]  # kept in order as mentors fill up
    for index, mentee in enumerate(others):
        if index == 0:
            mentor = demo_mentor
        elif rng.random() < 0.55 and with_room:
            mentor = rng.choice(with_room)
        else:
            continue
        started = now - dt.timedelta(days=rng.randint(20, 150))
        completed = index > 0 and rng.random() < 0.15
        request = _request(mentee, mentor.user, "accepted", started - dt.timedelta(days=rng.randint(1, 6)), goals_of)
        request.responded_at = started
        requests.append(request)
        mentorships.append(
            Mentorship(
                mentee=mentee,
                mentor=mentor.user,
                started_at=started,
                status="completed" if completed else "active",
                ended_at=started + dt.timedelta(days=rng.randint(15, 19)) if completed else None,
                ended_by=mentee if completed else None,
            )
        )
        if not completed:
            slots[mentor.user_id] -= 1
            if slots[mentor.user_id] == 0 and mentor in with_room:
                with_room.remove(mentor)

    # Mentees with no mentor now: requests that went nowhere, and a pending one for a third of them.
    mentored = {m.mentee_id for m in mentorships if m.status == "active"}
    free = [m for m in others if m.pk not in mentored]
    not_demo = [m for m in mentors if m is not demo_mentor]
    for mentee in free:
        tried = rng.sample(not_demo, k=2)
        outcomes = rng.sample(["declined", "withdrawn", "expired"], k=rng.randint(0, 2))
        for mentor, status in zip(tried, outcomes, strict=False):  # as many as there are outcomes
            sent = now - dt.timedelta(days=rng.randint(15, 90))
            request = _request(mentee, mentor.user, status, sent, goals_of)
            request.responded_at = sent + dt.timedelta(days=settings.REQUEST_EXPIRY_DAYS if status == "expired" else 2)
            if status == "declined":
                request.decline_reason = rng.choice(MentorshipRequest.DeclineReason.values)
            requests.append(request)
    asking = rng.sample(free[2:], k=len(free[2:]) // 3)
    open_mentors = [m for m in mentors if slots[m.user_id] > 0 and m.accepting_requests and m is not demo_mentor]
    for mentee in asking:
        sent = now - dt.timedelta(days=rng.randint(0, 10))
        requests.append(_request(mentee, rng.choice(open_mentors).user, "pending", sent, goals_of))
    for mentee in free[:2]:  # the demo mentor has requests to answer
        requests.append(_request(mentee, demo_mentor.user, "pending", now - dt.timedelta(days=1), goals_of))
    progress(1)

    _bulk_create_dated(MentorshipRequest, requests)
    MentorshipRequest.goals.through.objects.bulk_create(
        [
            MentorshipRequest.goals.through(mentorshiprequest_id=r.pk, goal_id=goals_of[r.mentee_id][0].pk)
            for r in requests
        ]
    )
    accepted = {(r.mentee_id, r.mentor_id): r for r in requests if r.status == "accepted"}
    for mentorship in mentorships:
        mentorship.request = accepted[(mentorship.mentee_id, mentorship.mentor_id)]
        mentorship.created_at = mentorship.started_at
    _bulk_create_dated(Mentorship, mentorships)
    progress(1)

    _sessions(rng, mentorships, goals_of, today)
    progress(1)


def _request(mentee: User, mentor: User, status: str, sent: dt.datetime, goals_of) -> MentorshipRequest:
    request = MentorshipRequest(
        mentee=mentee,
        mentor=mentor,
        status=status,
        message=f"Hello {mentor.get_short_name()}, I would love your help to {goals_of[mentee.pk][0].title.lower()}.",
        expires_at=sent + dt.timedelta(days=settings.REQUEST_EXPIRY_DAYS),
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
        wanted = list(mentee.mentee_profile.skills.all())
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
        [Session.goals.through(session_id=s.pk, goal_id=goals_of[s.mentorship.mentee_id][0].pk) for s in sessions]
    )
    Feedback.objects.bulk_create(
        [
            Feedback(
                session=s,
                rating=rng.choices([5, 4, 3, 2], weights=[6, 4, 1, 0.3])[0],
                comment=rng.choice(FEEDBACK_COMMENTS),
            )
            for s in sessions
            if rng.random() < 0.7
        ]
    )
