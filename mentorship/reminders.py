"""Meeting reminders, 24 hours and 1 hour before: run by celery beat every few minutes, each reminder sent once
per person and version of the meeting (notify's `once_key`), however often or however many times at once the run
happens. A rescheduled meeting has a new `sequence`, so it reminds again."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mentorship.meetings import local_time, when_for, zone_of
from mentorship.models import Meeting, Mentorship
from notifications.services import notify

# (label in the once_key, how long before the start, what the email says)
REMINDERS = (("24h", dt.timedelta(hours=24), "tomorrow"), ("1h", dt.timedelta(hours=1), "in an hour"))


def _due(now: dt.datetime, before: dt.timedelta, later: dt.timedelta | None):
    """Planned meetings of running mentorships whose reminder `before` the start is due at `now`: its time has
    come and the next, closer reminder's (`later`) has not. A meeting planned (or last changed) after the 24-hour
    mark gets no 24-hour reminder: its invitation has just told them."""
    due = Meeting.objects.planned().filter(
        mentorship__status=Mentorship.Status.ACTIVE, starts_at__gt=now, starts_at__lte=now + before
    )
    if later is not None:
        due = due.filter(starts_at__gt=now + later, updated_at__lte=F("starts_at") - before)
    return due.select_related("mentorship", "mentorship__mentor").prefetch_related(
        "attendees__profile", "mentorship__members"
    )


@transaction.atomic
def meeting_reminders_send(now: dt.datetime | None = None) -> int:
    """Send the reminders due at `now`; returns how many were sent by this run."""
    now = now or timezone.now()
    sent = 0
    for index, (label, before, soon) in enumerate(REMINDERS):
        later = REMINDERS[index + 1][1] if index + 1 < len(REMINDERS) else None
        for meeting in _due(now, before, later):
            people = {person.pk for person in meeting.mentorship.people()}
            for person in meeting.attendees.all():
                if person.pk not in people:
                    continue  # left the circle since it was planned
                start = local_time(meeting.starts_at, zone_of(person, None))
                notice = notify(
                    recipient_id=person.pk,
                    kind="meeting",
                    subject=f"Reminder: meeting {soon}, {start:%H:%M} ({zone_of(person, None)})",
                    template="emails/meeting_reminder.txt",
                    context={
                        "name": person.get_short_name() or person.username,
                        "when": when_for(meeting, person),
                        "soon": soon,
                        "meeting": meeting,
                    },
                    link=reverse("mentorship-page", args=[meeting.mentorship_id]),
                    once_key=f"meeting-{meeting.pk}-{meeting.sequence}-{label}",
                )
                sent += notice is not None
    return sent
