"""The one place that sends email. Callers pass plain data (ids, text, a rendered context), never their models'
rules: notifications uses no other app of the platform.

`notify` writes the inbox row in the caller's transaction and sends the email after it commits, from a task that
claims the row first, so a retried task or a second worker never sends it twice."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.tasks import task_send
from notifications.kinds import KINDS
from notifications.models import Notification

log = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link for an email: the site's address (SITE_URL) before a path on it."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def notify(
    *,
    recipient_id: int,
    kind: str,
    subject: str,
    template: str,
    context: dict | None = None,
    link: str = "",
    attachments: Iterable[tuple[str, str, str]] = (),
    once_key: str = "",
) -> Notification | None:
    """Tell one person something: an inbox row now, an email after commit (rendered from `template`, a text
    template that receives `context` plus `link` as an absolute URL). With `once_key`, a second call with the same
    key for the same person does nothing and returns None: reminders rely on it to be sent once."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    body = render_to_string(template, {**(context or {}), "link": absolute_url(link)})
    notification = Notification(
        recipient_id=recipient_id,
        kind=kind,
        subject=subject[:300],
        body=body,
        link=link,
        attachments=[list(item) for item in attachments],
        once_key=once_key,
    )
    if once_key:
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives a duplicate
                notification.save()
        except IntegrityError:
            return None
    else:
        notification.save()
    notification_id = notification.pk
    from notifications import tasks

    transaction.on_commit(lambda: task_send(tasks.send_notification_email, notification_id, required=False))
    return notification


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email, once: the row is claimed (emailed_at set) before the email leaves, in a
    statement no other worker can win at the same time. Returns whether this call sent it."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = notification.recipient.email
    if not address:
        return False
    message = EmailMessage(subject=notification.subject, body=notification.body, to=[address])
    for filename, content, mimetype in notification.attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        # Unclaim, so that the task's retry (or a later digest) can send it after all.
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        raise
    return True


def email_send(*, to: str, subject: str, template: str, context: dict) -> None:
    """An email to an address that may have no account yet (a sign-up link, a confirmation to a new address):
    security mail, sent at once, with no inbox row."""
    EmailMessage(subject=subject, body=render_to_string(template, context), to=[to]).send()


def notifications_mark_read(*, recipient_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notices read: the given ids (others' ids are ignored), or all when `ids` is None."""
    unread = Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
