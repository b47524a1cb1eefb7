"""Meetings as iCalendar (RFC 5545, with iTIP's methods of RFC 5546), built with the `icalendar` library: the
invitation a change re-sends (REQUEST, same UID, higher SEQUENCE), the cancellation (CANCEL), and a person's feed
(PUBLISH) that calendar programs subscribe to."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from mentorship.models import Meeting

PRODID = "-//Mentorship program//Meetings//EN"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def _address(user, *, role: str = "REQ-PARTICIPANT", partstat: str = "NEEDS-ACTION", rsvp: bool = True):
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(user.full_name or user.username)
    address.params["ROLE"] = vText(role)
    address.params["PARTSTAT"] = vText(partstat)
    address.params["RSVP"] = vText("TRUE" if rsvp else "FALSE")
    return address


def mentorship_link(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("mentorship-page", args=[meeting.mentorship_id])


def meeting_event(meeting: Meeting, *, attendees: Iterable, cancelled: bool = False, now: dt.datetime) -> Event:
    """One VEVENT: its times in the meeting's own zone (TZID), so that a calendar moves it with that zone's
    clocks; `attendees` are users."""
    zone = ZoneInfo(meeting.timezone)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting_summary(meeting))
    link = mentorship_link(meeting)
    event.add("description", f"{meeting.agenda}\n\n{link}" if meeting.agenda else link)
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.video_url:
        event.add("url", meeting.video_url)
        if not meeting.location:
            event.add("location", meeting.video_url)
    organiser = meeting.organiser
    event.add("organizer", _address(organiser, role="CHAIR", partstat="ACCEPTED", rsvp=False))
    for person in attendees:
        if person.pk == organiser.pk:
            event.add("attendee", _address(person, role="CHAIR", partstat="ACCEPTED", rsvp=False))
        else:
            event.add("attendee", _address(person))
    event.add("status", "CANCELLED" if cancelled or meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def meeting_summary(meeting: Meeting) -> str:
    """One text for every attendee's calendar: the mentorship's name as outsiders read it."""
    return f"Check-in: {meeting.mentorship.label}"


def _calendar(method: str, events: list[Event], *, name: str = "") -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    if events:
        # The zones' rules over the span the events need (the whole tz database would be tens of kilobytes each).
        starts = [event.decoded("dtstart").date() for event in events]
        year = dt.timedelta(days=366)
        calendar.add_missing_timezones(first_date=min(starts) - year, last_date=max(starts) + year)
    return calendar.to_ical().decode()


def invitation(meeting: Meeting, *, attendees: Iterable, now: dt.datetime | None = None) -> str:
    """METHOD:REQUEST: the first invitation and every update (same UID, the meeting's current SEQUENCE)."""
    return _calendar(REQUEST, [meeting_event(meeting, attendees=attendees, now=now or timezone.now())])


def cancellation(meeting: Meeting, *, attendees: Iterable, now: dt.datetime | None = None) -> str:
    """METHOD:CANCEL, STATUS:CANCELLED: the attendees' calendars drop the event with this UID."""
    event = meeting_event(meeting, attendees=attendees, cancelled=True, now=now or timezone.now())
    return _calendar(CANCEL, [event])


def feed(meetings: Iterable[Meeting], *, name: str, now: dt.datetime | None = None) -> str:
    """METHOD:PUBLISH: a person's meetings, as a subscribed calendar reads them (cancelled ones say so)."""
    now = now or timezone.now()
    events = [meeting_event(m, attendees=m.attendees.all(), now=now) for m in meetings]
    return _calendar(PUBLISH, events, name=name)
