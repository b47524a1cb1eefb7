"""The demo's relationships between sessions (issue 14): for each active mentorship of the demo mentor and the demo
mentee, an agreement, a meeting held and one coming up, a conversation and action items, so that the mentorship
page shows all it can. Rows are written directly, as the rest of the demo: nobody is sent an invitation."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from mentorship.models import (
    ActionItem,
    Agreement,
    AgreementConfirmation,
    ConversationRead,
    Meeting,
    Mentorship,
    Message,
)

EXPECTATIONS = (
    "Goals for our time together: the goals shared on this page, reviewed at every meeting.\n"
    "How we meet: a video call at the cadence above, 45 minutes; whoever cannot make it says so a day before.\n"
    "Between meetings: messages here; answers within two working days.\n"
    "Feedback: a rating after each session, and an honest word at the mid-point.\n"
    "Confidentiality: what we discuss stays between us unless we agree otherwise."
)
CONVERSATION = [
    (0, "Thanks for today. I've put the two things we agreed on as action items."),
    (1, "Thank you! I started on the first one: a draft is in our shared folder."),
    (0, "Good start. One idea: open with the decision you need, then the background."),
    (1, "That reads much better. Can we look at the second part next time?"),
    (0, "Yes, I've put it on the agenda for our next meeting. See you then."),
]


def demo_relationships_build(*, demo_mentor: User, demo_mentee: User) -> int:
    """Returns how many mentorships were given their relationship."""
    mentorships = (
        Mentorship.objects.active()
        .filter(
            Q(mentor=demo_mentor)
            | Q(members__user=demo_mentee, members__status="active")
            | Q(members__user=demo_mentor, members__status="active")
        )
        .select_related("program", "mentor__profile")
        .prefetch_related("members__user__profile", "sessions")
        .distinct()
        .order_by("pk")
    )
    built = 0
    for mentorship in mentorships:
        people = mentorship.people()
        if len(people) < 2:
            continue
        _relationship(mentorship, people, waiting_for=demo_mentee if mentorship.is_peer else None)
        built += 1
    return built


def _relationship(mentorship: Mentorship, people: list[User], *, waiting_for: User | None) -> None:
    now = timezone.now()
    today = timezone.localdate()
    # Whoever leads writes the agreement and plans the meetings; in a peer pair, the demo mentee's partner does.
    lead, other = (people[1], people[0]) if people[0] == waiting_for else (people[0], people[1])
    zone = lead.profile.timezone or "UTC"

    agreement = Agreement.objects.create(
        mentorship=mentorship,
        cadence_days=mentorship.program.session_cadence_days,
        channel=Agreement.Channel.VIDEO,
        meeting_link="https://meet.example.org/mentoring-demo",
        expectations=EXPECTATIONS,
        ends_on=today + dt.timedelta(days=120),
        edited_by=lead,
    )
    # A peer pair's agreement waits for the demo mentee: something for them to do.
    AgreementConfirmation.objects.bulk_create(
        AgreementConfirmation(agreement=agreement, user=person, version=agreement.version, confirmed_at=now)
        for person in people
        if person != waiting_for
    )

    last = max(mentorship.sessions.all(), key=lambda s: (s.date, s.pk), default=None)
    if last is not None:
        held = _meeting(mentorship, lead, zone, last.date, hour=17, people=people, agenda="Review the first draft")
        held.status, held.session = Meeting.Status.HELD, last
        held.save(update_fields=["status", "session"])
    _meeting(
        mentorship,
        lead,
        zone,
        today + dt.timedelta(days=3),
        hour=16,
        people=people,
        agenda="1. What went well since last time\n2. The second part of the plan\n3. Next steps",
    )

    messages = Message.objects.bulk_create(
        Message(mentorship=mentorship, author=people[side], body=body) for side, body in CONVERSATION
    )
    for index, message in enumerate(messages):  # a conversation over the last days, not all at once
        Message.objects.filter(pk=message.pk).update(created_at=now - dt.timedelta(hours=6 * (len(messages) - index)))
    # Everyone has read all but the last message: it waits unread for whoever did not write it.
    ConversationRead.objects.bulk_create(
        ConversationRead(
            mentorship=mentorship,
            user=person,
            last_read_id=messages[-1].pk if person == messages[-1].author else messages[-2].pk,
            read_at=now,
        )
        for person in people
    )

    ActionItem.objects.bulk_create(
        [
            ActionItem(
                mentorship=mentorship,
                title="Draft the project proposal",
                owner=other,
                due_on=today - dt.timedelta(days=10),
                done=True,
                done_at=now - dt.timedelta(days=11),
                created_by=lead,
                session=last,
            ),
            ActionItem(
                mentorship=mentorship,
                title="Ask two colleagues for feedback on the draft",
                owner=other,
                due_on=today - dt.timedelta(days=2),
                created_by=lead,
                session=last,
            ),
            ActionItem(
                mentorship=mentorship,
                title="Share an example of a good proposal",
                owner=lead,
                due_on=today + dt.timedelta(days=5),
                created_by=lead,
            ),
        ]
    )


def _meeting(mentorship, organiser, zone, day: dt.date, *, hour: int, people, agenda: str) -> Meeting:
    starts_at = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(zone))
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        organiser=organiser,
        starts_at=starts_at,
        timezone=zone,
        duration_minutes=45,
        video_url="https://meet.example.org/mentoring-demo",
        agenda=agenda,
    )
    meeting.attendees.set(people)
    return meeting
