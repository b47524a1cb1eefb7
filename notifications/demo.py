"""The demo's inbox: a few notices of the kinds the platform sends, dated in the past and already "emailed" (the
demo sends no email), so that the demo people's inboxes are not empty. Callers pass notify()'s arguments plus how
long ago each notice came and whether it was read."""

import datetime as dt
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import Notification
from notifications.services import absolute_url


def demo_notices_write(*, notices: Iterable[dict], now: dt.datetime | None = None) -> int:
    """Write each notice ({recipient_id, kind, subject, template, context, link, ago: timedelta, read: bool}) as
    notify() would, without sending anything. Returns how many were written."""
    now = now or timezone.now()
    written = 0
    for notice in notices:
        created = now - notice["ago"]
        body = render_to_string(notice["template"], {**notice["context"], "link": absolute_url(notice["link"])})
        row = Notification.objects.create(
            recipient_id=notice["recipient_id"],
            kind=notice["kind"],
            subject=notice["subject"],
            body=body,
            link=notice["link"],
            emailed_at=created,
            read_at=created + dt.timedelta(hours=2) if notice["read"] else None,
        )
        # auto_now_add stamped "now": the demo's history is in the past.
        Notification.objects.filter(pk=row.pk).update(created_at=created)
        written += 1
    return written
