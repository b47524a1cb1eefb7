"""Meetings API: a mentorship's planned meetings (its participants only: anyone else gets a 404), recording what
happened at one, and each person's calendar feed (no sign-in: the secret in its address is the key)."""

import re

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import StrictInputSerializer
from accounts.models import Profile, validate_timezone
from config.api import ErrorsAsJSONMixin, IdField, MultiLineField, SingleLineField
from config.schema import ConflictDetail, ErrorDetail
from mentorship import calendar, meetings, participants
from mentorship.api.serializers import MAX_GOALS_PER_ITEM, PersonOutput, SessionOutput
from mentorship.models import MAX_MEETING_MINUTES, MAX_SESSION_MINUTES, Meeting, MentorshipMember
from mentorship.models.meetings import validate_web_link
from mentorship.selectors import session_list

CONFLICT = {409: ConflictDetail}


@extend_schema_field(OpenApiTypes.DATETIME)
class LocalOrAwareDateTimeField(serializers.Field):
    """An ISO 8601 date and time, with an offset (`2027-04-01T10:00:00+01:00`) or without one (read in the zone
    `timezone` names); kept naive when it comes naive, for the service to place in its zone."""

    default_error_messages = {"invalid": "A date and time such as 2027-04-01T10:00 or 2027-04-01T10:00:00+01:00."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 40:
            self.fail("invalid")
        try:
            value = parse_datetime(data.strip())
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        return value

    def to_representation(self, value):
        return value.isoformat()


class TimezoneField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=64, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            validate_timezone(value)
        except Exception:
            raise serializers.ValidationError(f"“{value}” is not a time zone (an IANA name: Europe/London).") from None
        return value


class WebLinkField(serializers.URLField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value:
            try:
                validate_web_link(value)
            except Exception:
                raise serializers.ValidationError("Give a link that starts with https:// (or http://).") from None
        return value


class MeetingInput(StrictInputSerializer):
    starts_at = LocalOrAwareDateTimeField(
        help_text="With an offset, or without one: then read in `timezone`. A local time the clocks skip is a 400."
    )
    timezone = TimezoneField(
        required=False, help_text="IANA zone the meeting is planned in (default: your profile's `timezone`)."
    )
    duration_minutes = serializers.IntegerField(min_value=1, max_value=MAX_MEETING_MINUTES)
    location = SingleLineField(max_length=200, allow_blank=True, required=False, default="")
    video_url = WebLinkField(max_length=500, allow_blank=True, required=False, default="")
    agenda = MultiLineField(max_length=10000, allow_blank=True, required=False, default="")
    attendees = serializers.ListField(
        child=IdField(),
        max_length=200,
        required=False,
        help_text="User ids of the people invited (everyone in the mentorship now when omitted).",
    )


class MeetingRecordInput(StrictInputSerializer):
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=MAX_SESSION_MINUTES, required=False, help_text="Default: the meeting's."
    )
    notes = MultiLineField(max_length=10000, allow_blank=True, required=False, default="")
    topics = serializers.ListField(child=SingleLineField(max_length=80), max_length=20, required=False, default=list)
    goals = serializers.ListField(
        child=IdField(), max_length=MAX_GOALS_PER_ITEM, required=False, default=list, help_text="Goals worked on."
    )
    attendees = serializers.ListField(
        child=IdField(),
        max_length=200,
        required=False,
        help_text="User ids of the people who came (default: its attendees still in the mentorship).",
    )


class MeetingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mentorship = serializers.IntegerField(source="mentorship_id")
    organiser = PersonOutput()
    starts_at = serializers.SerializerMethodField(help_text="ISO 8601 in the meeting's `timezone`, with its offset.")
    ends_at = serializers.SerializerMethodField(help_text="ISO 8601 in the meeting's `timezone`, with its offset.")
    timezone = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    location = serializers.CharField()
    video_url = serializers.CharField()
    agenda = serializers.CharField()
    attendees = PersonOutput(many=True, source="attendees.all")
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    sequence = serializers.IntegerField(help_text="Rises with each change; the invitations' SEQUENCE.")
    uid = serializers.CharField(help_text="The invitations' UID: the same for the meeting's life.")
    session = serializers.IntegerField(source="session_id", allow_null=True, help_text="Once recorded.")
    can_edit = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at(self, meeting) -> str:
        return meetings.local_time(meeting.starts_at, meeting.timezone).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at(self, meeting) -> str:
        return meetings.local_time(meeting.ends_at, meeting.timezone).isoformat()

    def get_can_edit(self, meeting) -> bool:
        return meetings.can_edit(meeting, self.context["request"].user, mentorship=self.context.get("mentorship"))


class MeetingRecordOutput(serializers.Serializer):
    meeting = MeetingOutput()
    session = SessionOutput()


class MeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A mentorship's meetings: its people plan, change, cancel and record them; nobody else learns of them (404),
    program admins included."""

    queryset = Meeting.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = MeetingOutput
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def mentorship(self):
        if getattr(self, "_mentorship", None) is not None:
            return self._mentorship
        mine = (
            participants.mentorships_participating(self.request.user)
            .select_related("program", "mentor")
            .prefetch_related(Prefetch("members", queryset=MentorshipMember.objects.select_related("user")))
        )
        self._mentorship = get_object_or_404(mine, pk=self.kwargs["mentorship_pk"])
        return self._mentorship

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "mentorship_pk" in self.kwargs:
            context["mentorship"] = self.mentorship()
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        return meetings.meeting_list(mentorship=self.mentorship())

    def _respond(self, meeting_id: int, code: int = status.HTTP_200_OK) -> Response:
        meeting = self.get_queryset().get(pk=meeting_id)
        return Response(self.get_serializer(meeting).data, status=code)

    @extend_schema(request=MeetingInput, responses={201: MeetingOutput, **CONFLICT})
    def create(self, request, mentorship_pk=None):
        """Plan a meeting; every attendee gets an invitation with an iCalendar attachment (METHOD:REQUEST). 400
        naming `starts_at` for a past time or one the clocks skip in its zone, `duration_minutes` beyond 480,
        `attendees` naming someone not in it; 409 `mentorship_ended`."""
        mentorship = self.mentorship()
        data = MeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        meeting = meetings.meeting_create(
            mentorship=mentorship,
            organiser=request.user,
            timezone_name=fields.pop("timezone", None),
            attendee_ids=fields.pop("attendees", None),
            **fields,
        )
        return self._respond(meeting.pk, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingInput(partial=True), responses={200: MeetingOutput, **CONFLICT})
    def partial_update(self, request, mentorship_pk=None, pk=None):
        """Change a planned meeting; the invitation goes out again with the same UID and a higher SEQUENCE (409
        `not_planned` once cancelled or held)."""
        meeting = self.get_object()
        data = MeetingInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        meetings.meeting_update(meeting_id=meeting.pk, user=request.user, changes=dict(data.validated_data))
        return self._respond(meeting.pk)

    @extend_schema(request=None, responses={200: MeetingOutput, **CONFLICT})
    def destroy(self, request, mentorship_pk=None, pk=None):
        """Cancel it: it stays, `cancelled`, and its attendees get METHOD:CANCEL."""
        meetings.meeting_cancel(meeting_id=self.get_object().pk, user=request.user)
        return self._respond(pk)

    @extend_schema(request=MeetingRecordInput, responses={201: MeetingRecordOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def record(self, request, mentorship_pk=None, pk=None):
        """What happened: the meeting becomes the mentorship's session (the rules of logging one apply) and is
        `held`. 409 `meeting_not_started` before its start, `already_recorded` the second time."""
        meeting = self.get_object()
        data = MeetingRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        meeting = meetings.meeting_record(
            meeting_id=meeting.pk,
            user=request.user,
            goal_ids=fields.pop("goals"),
            attendee_ids=fields.pop("attendees", None),
            **fields,
        )
        session = session_list(mentorship=meeting.mentorship).get(pk=meeting.session_id)
        body = {
            "meeting": self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data,
            "session": SessionOutput(session).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ICalendarRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode() if isinstance(data, str) else data


SECRET = re.compile(r"[A-Za-z0-9_-]{20,64}")


class CalendarFeedView(ErrorsAsJSONMixin, APIView):
    """A person's meetings as a calendar to subscribe to: the secret in the address is the only key."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    renderer_classes = [ICalendarRenderer]

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiResponse(str), (404, "application/json"): ErrorDetail},
        description="Your meetings (METHOD:PUBLISH) from 30 days ago on, for Google, Outlook or Apple calendars to "
        "subscribe to; its address is `calendar_url` in `GET /me/`. No sign-in. A wrong secret, or one replaced by "
        "`POST /me/calendar/reset/`, is a 404.",
    )
    def get(self, request, secret: str):
        if not SECRET.fullmatch(secret):
            raise Http404
        profile = Profile.objects.select_related("user").filter(calendar_secret=secret).first()
        if profile is None or not profile.user.is_active:
            raise Http404
        now = timezone.now()
        user = profile.user
        text = calendar.feed(
            meetings.feed_meetings(user=user, now=now), name=f"Mentoring: {user.full_name or user.username}", now=now
        )
        return Response(text, headers={"Cache-Control": "private, max-age=300"})
