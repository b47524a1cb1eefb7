"""Inbox and delivery settings API: thin views over notifications.selectors and services. Everyone sees and
changes only their own."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import selectors, services
from notifications.api import serializers as s
from notifications.models import Notification


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.TypedChoiceFilter(
        method="filter_unread",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        help_text="true: only the unread notices; false: only the read ones.",
    )

    class Meta:
        model = Notification
        fields = []

    @extend_schema_field({"type": "string", "enum": ["true", "false"]})
    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class NotificationListView(generics.ListAPIView):
    serializer_class = s.NotificationOutput
    filterset_class = NotificationFilter

    def get_queryset(self):
        return selectors.notification_list(recipient_id=self.request.user.pk)

    @extend_schema(description="My notices, newest first (`?unread=true`: only the unread ones).")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadView(APIView):
    @extend_schema(
        request=s.MarkReadInput,
        responses={200: s.MarkReadOutput},
        description="Mark my notices read: those named by `ids` (ids of others' notices are ignored), or all of "
        "them with an empty body.",
    )
    def post(self, request):
        data = s.MarkReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(recipient_id=request.user.pk, ids=data.validated_data.get("ids"))
        unread = selectors.unread_count(recipient_id=request.user.pk)
        return Response(s.MarkReadOutput({"marked": marked, "unread": unread}).data)


class NotificationSettingsView(APIView):
    def _answer(self, request) -> Response:
        settings = selectors.notification_settings_of(user_id=request.user.pk)
        return Response(s.NotificationSettingOutput(settings, many=True).data)

    @extend_schema(
        responses={200: s.NotificationSettingOutput(many=True)},
        description="How each kind of notice reaches me besides the inbox: `immediately` (an email at once), "
        "`daily` or `weekly` (in a digest at 07:00 UTC, Mondays for the weekly one), or `off` (the inbox only). "
        "Security notices are always sent at once (`changeable: false`).",
    )
    def get(self, request):
        return self._answer(request)

    @extend_schema(
        request=s.NotificationSettingsInput,
        responses={200: s.NotificationSettingOutput(many=True)},
        description="Change how some kinds reach me: `{kind: delivery}`. All or nothing: an unknown kind or "
        "delivery, or a security kind set to anything but `immediately`, is a 400 naming the kind.",
    )
    def patch(self, request):
        data = s.NotificationSettingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.notification_settings_update(user_id=request.user.pk, changes=data.validated_data)
        return self._answer(request)
