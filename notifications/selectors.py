"""Reads of the inbox and of the delivery settings."""

from notifications.kinds import KINDS
from notifications.models import Delivery, Notification, NotificationQuerySet, NotificationSetting


def notification_list(*, recipient_id: int, unread: bool | None = None) -> NotificationQuerySet:
    """The person's notices, newest first; only the unread ones with `unread=True`, only the read ones with False."""
    notices = Notification.objects.filter(recipient_id=recipient_id).order_by("-created_at", "-id")
    if unread is not None:
        notices = notices.filter(read_at__isnull=unread)
    return notices


def unread_count(*, recipient_id: int) -> int:
    return Notification.objects.filter(recipient_id=recipient_id).unread().count()


def notification_settings_of(*, user_id: int) -> list[dict]:
    """Every kind with the person's choice for it (`immediately` without one) and whether they may change it."""
    chosen = dict(NotificationSetting.objects.filter(user_id=user_id).values_list("kind", "delivery"))
    return [
        {
            "kind": kind.key,
            "name": kind.name,
            "delivery": Delivery.IMMEDIATELY if kind.security else chosen.get(kind.key, Delivery.IMMEDIATELY),
            "changeable": not kind.security,
        }
        for kind in KINDS.values()
    ]
