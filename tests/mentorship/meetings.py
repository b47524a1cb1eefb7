"""Helpers of the meeting tests: calls that run the after-commit sends (the invitations), and the invitations read
back from the emails with icalendar."""

from django.core import mail
from icalendar import Calendar

from tests.conftest import client_for


def meetings_url(mentorship, meeting=None, action: str = "") -> str:
    url = f"/api/v1/mentorships/{mentorship.pk}/meetings/"
    if meeting is not None:
        url += f"{meeting if isinstance(meeting, int) else meeting['id']}/"
    return url + (f"{action}/" if action else "")


def call(capture, user, method: str, url: str, body=None):
    with capture(execute=True):
        return getattr(client_for(user), method)(url, body, format="json")


def set_zone(user, zone: str) -> None:
    user.profile.timezone = zone
    user.profile.save(update_fields=["timezone", "updated_at"])


def invitations(to: str | None = None) -> list[tuple[str, Calendar]]:
    """Every calendar attached to the emails sent so far (to `to` only when given): (the attachment's mimetype,
    the parsed calendar), oldest first."""
    found = []
    for message in mail.outbox:
        if to is not None and to not in message.to:
            continue
        for filename, content, mimetype in message.attachments:
            assert filename == "invite.ics"
            found.append((mimetype, Calendar.from_ical(content)))
    return found


def event_of(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event
