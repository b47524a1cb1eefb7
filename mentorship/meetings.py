"""Planned meetings (check-ins): who may see them, every write (plan, change, cancel, record what happened), the
invitations each write sends, and what the mentorship page shows of them.

A meeting is planned for an instant (UTC) and keeps the organiser's zone: the invitations are written in that zone,
so that a calendar keeps the meeting at its local time across a change of the clocks, and each person reads it in
their own zone on the page and in their email."""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict
from mentorship import calendar, relationships
from mentorship.models import MAX_MEETING_MINUTES, Meeting, Mentorship, MentorshipMember
from mentorship.participants import require_participant, require_running
from notifications.services import notify

Status = Meeting.Status
EDITABLE = ("starts_at", "timezone", "duration_minutes", "location", "video_url", "agenda", "attendees")


# --- Reads ------------------------------------------------------------------------------------------------


def meeting_list(*, mentorship: Mentorship) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(mentorship=mentorship)
        .select_related("organiser", "organiser__profile", "mentorship")
        .prefetch_related(Prefetch("attendees", queryset=User.objects.select_related("profile").order_by("pk")))
    )


def feed_meetings(*, user: User, now: dt.datetime) -> QuerySet[Meeting]:
    """What a person's calendar feed lists: their meetings from 30 days ago on, cancelled ones included (so that a
    subscribed calendar drops them)."""
    return (
        Meeting.objects.filter(attendees=user, starts_at__gte=now - dt.timedelta(days=30))
        .select_related("organiser", "mentorship", "mentorship__mentor")
        .prefetch_related(
            "attendees", Prefetch("mentorship__members", queryset=MentorshipMember.objects.select_related("user"))
        )
        .order_by("starts_at", "id")
    )


def upcoming_for(*, user: User, now: dt.datetime) -> QuerySet[Meeting]:
    """A person's next planned meetings in the mentorships they are still in, soonest first (the home page)."""
    return (
        Meeting.objects.planned()
        .filter(attendees=user, starts_at__gte=now, mentorship__status=Mentorship.Status.ACTIVE)
        .order_by("starts_at", "id")
    )


def can_edit(meeting: Meeting, user: User, *, mentorship: Mentorship | None = None) -> bool:
    """Anyone in the mentorship changes or cancels a planned meeting of a running mentorship. Pass `mentorship`
    with its members read (a list of meetings asks once for all)."""
    mentorship = mentorship or meeting.mentorship
    return meeting.status == Status.PLANNED and mentorship.is_active and mentorship.side_of(user) is not None


# --- Times ------------------------------------------------------------------------------------------------


def start_in_utc(value: dt.datetime, zone_name: str) -> dt.datetime:
    """The instant a `starts_at` names: as given when it carries an offset, else the wall time in `zone_name`. A
    wall time the clocks skip (the hour they go forward) is a 400 on `starts_at`; one they pass twice (the hour
    they go back) is its first passing."""
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    zone = ZoneInfo(zone_name)
    first = value.replace(tzinfo=zone, fold=0)
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise ValidationError(
            {
                "starts_at": [
                    f"{value:%Y-%m-%d %H:%M} does not exist in {zone_name}: the clocks go forward at that time. "
                    "Choose another time."
                ]
            }
        )
    return first.astimezone(dt.UTC)


def zone_of(user: User, given: str | None) -> str:
    if given:
        return given
    return getattr(getattr(user, "profile", None), "timezone", None) or "UTC"


def _check_start(starts_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at <= now:
        raise ValidationError({"starts_at": ["This time has passed: plan a meeting in the future."]})


def _check_duration(minutes: int) -> None:
    if not 1 <= minutes <= MAX_MEETING_MINUTES:
        raise ValidationError({"duration_minutes": [f"From 1 to {MAX_MEETING_MINUTES} minutes (8 hours)."]})


def _attendees(mentorship: Mentorship, attendee_ids: Iterable[int] | None) -> list[User]:
    people = {person.pk: person for person in mentorship.people()}
    if attendee_ids is None:
        return list(people.values())
    chosen = list(dict.fromkeys(attendee_ids))
    strangers = [pk for pk in chosen if pk not in people]
    if strangers:
        raise ValidationError({"attendees": [f"{pk} is not in this mentorship." for pk in strangers]})
    if not chosen:
        raise ValidationError({"attendees": ["Invite at least one person."]})
    return [people[pk] for pk in chosen]


def _require_planned(meeting: Meeting) -> None:
    if meeting.status != Status.PLANNED:
        raise Conflict(f"This meeting is {meeting.get_status_display().lower()} already.", code="not_planned")


def _lock(meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("mentorship", "organiser", "organiser__profile")
        .get(pk=meeting_id)
    )


# --- Writes -----------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    mentorship: Mentorship,
    organiser: User,
    starts_at: dt.datetime,
    timezone_name: str | None = None,
    duration_minutes: int,
    location: str = "",
    video_url: str = "",
    agenda: str = "",
    attendee_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Plan a meeting and invite its attendees (everyone in the mentorship when not named). A naive `starts_at` is
    read in `timezone_name`, by default the organiser's profile zone."""
    now = now or timezone.now()
    require_participant(mentorship, organiser, doing="plan its meetings")
    require_running(mentorship)
    zone = zone_of(organiser, timezone_name)
    start = start_in_utc(starts_at, zone)
    _check_start(start, now)
    _check_duration(duration_minutes)
    attendees = _attendees(mentorship, attendee_ids)
    meeting = Meeting(
        mentorship=mentorship,
        organiser=organiser,
        starts_at=start,
        timezone=zone,
        duration_minutes=duration_minutes,
        location=location,
        video_url=video_url,
        agenda=agenda,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    _invite(meeting, attendees, kind="planned")
    return meeting


@transaction.atomic
def meeting_update(*, meeting_id: int, user: User, changes: dict, now: dt.datetime | None = None) -> Meeting:
    """Change a planned meeting: its invitation is sent again (same UID, the next SEQUENCE) to its attendees, and a
    cancellation to anyone no longer invited. `changes` holds any of EDITABLE (`attendees` as ids); a `starts_at`
    without an offset is read in `timezone` when given, else in the meeting's zone."""
    now = now or timezone.now()
    meeting = _lock(meeting_id)
    mentorship = meeting.mentorship
    require_participant(mentorship, user, doing="plan its meetings")
    require_running(mentorship)
    _require_planned(meeting)
    if changes.get("timezone"):
        meeting.timezone = changes["timezone"]
    if changes.get("starts_at") is not None:
        meeting.starts_at = start_in_utc(changes["starts_at"], meeting.timezone)
        _check_start(meeting.starts_at, now)
    if "duration_minutes" in changes:
        _check_duration(changes["duration_minutes"])
        meeting.duration_minutes = changes["duration_minutes"]
    for field in ("location", "video_url", "agenda"):
        if field in changes:
            setattr(meeting, field, changes[field])
    before = list(meeting.attendees.all())
    attendees = _attendees(mentorship, changes["attendees"]) if "attendees" in changes else before
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    dropped = [person for person in before if person not in attendees]
    if "attendees" in changes:
        meeting.attendees.set(attendees)
    _invite(meeting, attendees, kind="changed")
    if dropped:
        _cancel_for(meeting, dropped, attendees)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting_id: int, user: User) -> Meeting:
    """Cancel a planned meeting: the row stays (status `cancelled`), its attendees get METHOD:CANCEL."""
    meeting = _lock(meeting_id)
    require_participant(meeting.mentorship, user, doing="plan its meetings")
    _require_planned(meeting)
    meeting.status = Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    attendees = list(meeting.attendees.all())
    _cancel_for(meeting, attendees, attendees, by=user)
    return meeting


@transaction.atomic
def meeting_record(
    *,
    meeting_id: int,
    user: User,
    notes: str = "",
    topics: Iterable[str] = (),
    goal_ids: Iterable[int] = (),
    attendee_ids: Iterable[int] | None = None,
    duration_minutes: int | None = None,
    now: dt.datetime | None = None,
):
    """What happened at a meeting whose start has passed becomes its session (by relationships.session_log, so
    the rules of logging one apply: who logs, who came, which goals), and the meeting is `held`. Who came defaults
    to its attendees still in the mentorship."""
    now = now or timezone.now()
    meeting = _lock(meeting_id)
    mentorship = meeting.mentorship
    require_participant(mentorship, user, doing="plan its meetings")
    if meeting.status == Status.HELD:
        raise Conflict("What happened at this meeting is recorded already.", code="already_recorded")
    _require_planned(meeting)
    if meeting.starts_at > now:
        raise Conflict("This meeting has not started yet: record it once it has.", code="meeting_not_started")
    require_running(mentorship)
    if attendee_ids is None:
        people = {person.pk for person in mentorship.people()}
        attendee_ids = [person.pk for person in meeting.attendees.all() if person.pk in people]
    session = relationships.session_log(
        mentorship=mentorship,
        author=user,
        date=timezone.localtime(meeting.starts_at).date(),
        duration_minutes=duration_minutes or meeting.duration_minutes,
        notes=notes,
        topics=topics,
        goal_ids=goal_ids,
        attendee_ids=attendee_ids,
    )
    meeting.session = session
    meeting.status = Status.HELD
    meeting.save(update_fields=["session", "status", "updated_at"])
    return meeting


# --- Invitations ------------------------------------------------------------------------------------------


def local_time(moment: dt.datetime, zone_name: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone_name or "UTC"))


def when_for(meeting: Meeting, person: User) -> str:
    """The meeting's time as `person` reads it, in their own zone: "Thursday 1 April 2027, 10:00–11:00
    (Europe/London)"."""
    zone = zone_of(person, None)
    start, end = local_time(meeting.starts_at, zone), local_time(meeting.ends_at, zone)
    ends = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%A} {end.day} {end:%B %Y, %H:%M}"
    return f"{start:%A} {start.day} {start:%B %Y, %H:%M}–{ends} ({zone})"


def _mail_context(meeting: Meeting, person: User, **extra) -> dict:
    return {
        "name": person.get_short_name() or person.username,
        "organiser": meeting.organiser.full_name or meeting.organiser.username,
        "when": when_for(meeting, person),
        "meeting": meeting,
        **extra,
    }


def _page(meeting: Meeting) -> str:
    return reverse("mentorship-page", args=[meeting.mentorship_id])


def _invite(meeting: Meeting, attendees: list[User], *, kind: str) -> None:
    text = calendar.invitation(meeting, attendees=attendees)
    verb = "Meeting planned" if kind == "planned" else "Meeting changed"
    for person in attendees:
        notify(
            recipient_id=person.pk,
            kind="meeting",
            subject=f"{verb}: {when_for(meeting, person)}",
            template="emails/meeting_invitation.txt",
            context=_mail_context(meeting, person, changed=kind != "planned"),
            link=_page(meeting),
            attachments=[("invite.ics", text, "text/calendar; method=REQUEST")],
        )


@transaction.atomic
def meetings_withdraw(*, mentorship: Mentorship, by: User, leaving: User | None = None) -> int:
    """No planned meeting outlives a person's place in it. When a mentorship ends (`leaving` None) each of its
    planned meetings is cancelled, its attendees sent METHOD:CANCEL; when `leaving` leaves a circle, they are taken
    off each one it goes on with, and sent the cancellation. Returns how many meetings changed."""
    changed = 0
    for meeting in Meeting.objects.planned().filter(mentorship=mentorship).select_for_update():
        attendees = list(meeting.attendees.all())
        if leaving is not None and leaving not in attendees:
            continue
        meeting.sequence += 1
        if leaving is None:
            meeting.status = Status.CANCELLED
            meeting.save(update_fields=["status", "sequence", "updated_at"])
            _cancel_for(meeting, attendees, attendees, by=by)
        else:
            meeting.save(update_fields=["sequence", "updated_at"])
            meeting.attendees.remove(leaving)
            _cancel_for(meeting, [leaving], [person for person in attendees if person != leaving])
        changed += 1
    return changed


def _cancel_for(meeting: Meeting, recipients: list[User], listed: list[User], *, by: User | None = None) -> None:
    """A cancellation to `recipients`; the event lists `listed` (the meeting's attendees, or those still invited
    when someone is taken off it)."""
    text = calendar.cancellation(meeting, attendees=listed or recipients)
    for person in recipients:
        notify(
            recipient_id=person.pk,
            kind="meeting",
            subject=f"Meeting cancelled: {when_for(meeting, person)}",
            template="emails/meeting_cancelled.txt",
            context=_mail_context(meeting, person, by=(by.full_name or by.username) if by else ""),
            link=_page(meeting),
            attachments=[("invite.ics", text, "text/calendar; method=CANCEL")],
        )


# --- The mentorship page ----------------------------------------------------------------------------------


def web_link(url: str) -> str:
    """The link when it is an http(s) one, else "" (shown as text, never as something to click)."""
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


def page_context(mentorship, viewer) -> dict:
    """What the mentorship page shows of its meetings to `viewer`: the planned ones, in the viewer's own zone,
    upcoming and (once started) waiting to be recorded. Meetings are the participants' business alone."""
    if mentorship.side_of(viewer) is None:
        return {"meetings_shown": False}
    now = timezone.now()
    zone = zone_of(viewer, None)
    upcoming, to_record = [], []
    for meeting in meeting_list(mentorship=mentorship).filter(status=Status.PLANNED):
        meeting.local_start = local_time(meeting.starts_at, zone)
        meeting.local_end = local_time(meeting.ends_at, zone)
        meeting.local_input = meeting.local_start.strftime("%Y-%m-%dT%H:%M")
        meeting.link = web_link(meeting.video_url)
        meeting.editable = can_edit(meeting, viewer, mentorship=mentorship)
        meeting.invited = list(meeting.attendees.all())
        meeting.edit_prefix, meeting.record_prefix = f"m{meeting.pk}-", f"r{meeting.pk}-"  # ids of its forms
        (upcoming if meeting.starts_at > now else to_record).append(meeting)
    local_now = local_time(now, zone)
    suggested = (local_now + dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "meetings_shown": True,
        "upcoming_meetings": upcoming,
        "meetings_to_record": to_record,
        "can_plan_meeting": mentorship.is_active,
        "can_record_meeting": relationships.can_log_sessions(mentorship, viewer),
        "viewer_zone": zone,
        "meeting_min": local_now.strftime("%Y-%m-%dT%H:%M"),
        "meeting_suggested": suggested.strftime("%Y-%m-%dT%H:%M"),
        "max_meeting_minutes": MAX_MEETING_MINUTES,
        "meeting_people": mentorship.people(),
    }
