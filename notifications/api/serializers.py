from rest_framework import serializers

from config.api import IdField
from notifications.kinds import KINDS
from notifications.models import Delivery
from notifications.services import SECURITY_ALWAYS_SENT, UNKNOWN_KIND

MAX_IDS = 1000


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="A key of the kinds listed by `me/notification-settings/`.")
    subject = serializers.CharField()
    body = serializers.CharField(help_text="The text of the email the notice was (or would be) sent as.")
    link = serializers.CharField(help_text="A path on this site: the thing the notice is about (may be empty).")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class MarkReadInput(serializers.Serializer):
    ids = serializers.ListField(
        child=IdField(),
        max_length=MAX_IDS,
        required=False,
        help_text="The notices to mark read; others' ids are ignored. Leave out to mark every notice read.",
    )

    def to_internal_value(self, data):
        unknown = sorted(set(data) - {"ids"}) if isinstance(data, dict) else []
        if unknown:
            raise serializers.ValidationError({name: ["This field is not accepted here."] for name in unknown})
        return super().to_internal_value(data)


class MarkReadOutput(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notices this call marked read.")
    unread = serializers.IntegerField(help_text="How many are still unread.")


class NotificationSettingOutput(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    changeable = serializers.BooleanField(help_text="False for security notices: they are always emailed at once.")


def _delivery_field(kind) -> serializers.ChoiceField:
    if kind.security:
        return serializers.ChoiceField(
            choices=Delivery.choices,
            required=False,
            help_text=f"{kind.name}. Always `immediately`: {SECURITY_ALWAYS_SENT}",
        )
    return serializers.ChoiceField(choices=Delivery.choices, required=False, help_text=kind.name)


class NotificationSettingsInput(serializers.Serializer):
    """{kind: delivery} for the kinds to change; one field per kind of KINDS (built when this module loads, so a
    kind added there is a field here)."""

    def get_fields(self):
        return {key: _delivery_field(kind) for key, kind in KINDS.items()}

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, dict):
            errors = {name: [UNKNOWN_KIND] for name in data if name not in KINDS}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **errors}) from None
            raise
        errors |= {
            key: [SECURITY_ALWAYS_SENT]
            for key, delivery in value.items()
            if KINDS[key].security and delivery != Delivery.IMMEDIATELY
        }
        if errors:
            raise serializers.ValidationError(errors)
        return value
