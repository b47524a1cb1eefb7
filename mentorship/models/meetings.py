"""Planned meetings (check-ins): a time, a place or a link, an agenda and who is invited; each one is also an
iCalendar event (`uid`, `sequence`) in its attendees' calendars, and becomes a Session once recorded."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.models import TimeStampedModel, validate_timezone
from config.inputs import validate_multi_line, validate_single_line
from mentorship.models.core import Mentorship, Session

MAX_MEETING_MINUTES = 480


def meeting_uid() -> str:
    """A calendar event's identity: random, and named after the site so that no other calendar's clashes."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{uuid.uuid4()}@{host}"


def validate_web_link(value: str) -> None:
    """Only http and https links are offered to be opened (a `javascript:` one would run in the page)."""
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValidationError("Give a link that starts with https:// (or http://).")


class MeetingQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=Meeting.Status.PLANNED)


class Meeting(TimeStampedModel):
    """planned → held (recorded as a Session) | cancelled. Every change of what the attendees' calendars show
    raises `sequence`, so that a re-sent invitation replaces the one before."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetings_organised")
    starts_at = models.DateTimeField(db_index=True, help_text="UTC.")
    timezone = models.CharField(
        max_length=64, validators=[validate_timezone], help_text="The organiser's zone: invitations are written in it."
    )
    duration_minutes = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    video_url = models.URLField(max_length=500, blank=True, validators=[validate_web_link])
    agenda = models.TextField(blank=True, max_length=10000, validators=[validate_multi_line])
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="meetings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    sequence = models.PositiveIntegerField(default=0)
    uid = models.CharField(max_length=200, unique=True, default=meeting_uid, editable=False)
    session = models.OneToOneField(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting", help_text="Once recorded."
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_MEETING_MINUTES),
                name="meeting_minutes_1_to_480",
            ),
            models.CheckConstraint(
                condition=Q(video_url="") | Q(video_url__istartswith="http://") | Q(video_url__istartswith="https://"),
                name="meeting_video_url_is_a_web_link",
            ),
            # A session deleted later leaves the meeting held without it; a planned one never has one.
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(status="held"), name="meeting_session_only_when_held"
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.uid} at {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.status})"

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)
