"""The one place that sends email. Callers pass plain data (ids, text, a rendered context), never their models'
rules: notifications uses no other app of the platform.

`notify` writes the inbox row in the caller's transaction and, as the recipient chose for that kind of notice,
sends the email after it commits (from a task that claims the row first, so a retried task or a second worker
never sends it twice), holds it for their daily or weekly digest, or never emails it. Digests claim their rows the
same way (notifications.digests)."""

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.tasks import task_send
from notifications.kinds import KINDS
from notifications.models import DIGESTS, Delivery, Notification, NotificationSetting

log = logging.getLogger(__name__)

SECURITY_ALWAYS_SENT = "Security notices are always emailed at once: they cannot be held for a digest or turned off."
UNKNOWN_KIND = "There is no such kind of notice."


def absolute_url(path: str, *, site_url: str = "") -> str:
    """A link for an email: the site's address (`site_url`, else SITE_URL) before a path on it."""
    if not path or "://" in path:
        return path
    return (site_url or settings.SITE_URL).rstrip("/") + path


def delivery_for(*, recipient_id: int, kind: str) -> str:
    """How the person wants notices of `kind`: their setting, `immediately` without one, and always `immediately`
    for a security kind (a row left from before a kind became one changes nothing)."""
    if KINDS[kind].security:
        return Delivery.IMMEDIATELY
    chosen = NotificationSetting.objects.filter(user_id=recipient_id, kind=kind).values_list("delivery", flat=True)
    return chosen.first() or Delivery.IMMEDIATELY


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
    site_url: str = "",
) -> Notification | None:
    """Tell one person something: an inbox row now and, as they chose for `kind`, an email after commit, a place
    in their next digest, or no email. The email is rendered from `template`, a text template that receives
    `context` plus `link` as an absolute URL. With `once_key`, a second call with the same key for the same person
    does nothing and returns None: reminders rely on it to be sent once. `site_url` ("https://host", the address
    the person used, when a request caused this) starts the email's link instead of SITE_URL; the inbox keeps
    the path."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    body = render_to_string(template, {**(context or {}), "link": absolute_url(link, site_url=site_url)})
    notification = Notification(
        recipient_id=recipient_id,
        kind=kind,
        subject=" ".join(subject.split())[:300],  # one line: it becomes an email's header
        body=body,
        link=link,
        delivery=delivery_for(recipient_id=recipient_id, kind=kind),
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
    if notification.delivery == Delivery.IMMEDIATELY:
        notification_id = notification.pk
        from notifications import tasks

        transaction.on_commit(lambda: task_send(tasks.send_notification_email, notification_id, required=False))
    return notification


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email, once: the row is claimed (emailed_at set) before the email leaves, in a
    statement no other worker can win at the same time. Returns whether this call sent it. A notice held for a
    digest or kept to the inbox is not sent here."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, delivery=Delivery.IMMEDIATELY, emailed_at__isnull=True
    ).update(emailed_at=now)
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
        # Unclaim, so that the task's retry can send it after all.
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        raise
    return True


def email_send(*, to: str, subject: str, template: str, context: dict) -> None:
    """An email to an address that may have no account yet, or not this account's (a sign-up link, a
    confirmation to a new address, a password reset): security mail, sent at once, with no inbox row (its link
    holds a secret that must not be kept)."""
    EmailMessage(subject=" ".join(subject.split()), body=render_to_string(template, context), to=[to]).send()


def notifications_mark_read(*, recipient_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notices read: the given ids (others' ids are ignored), or all when `ids` is None.
    Returns how many were unread and now are read."""
    unread = Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_settings_update(*, user_id: int, changes: Mapping[str, object]) -> None:
    """Set how the person gets each kind named in `changes` ({kind: delivery}). All or nothing: an unknown kind,
    an unknown delivery, or a security kind held or turned off is a 400 naming the kind.

    Notices already waiting for a digest follow the new choice: turned off, they are never emailed; moved to the
    other digest, they wait for that one; set to `immediately`, they go with the next daily digest (the soonest
    one) rather than as a burst of single emails."""
    errors: dict[str, list[str]] = {}
    for kind, delivery in changes.items():
        if kind not in KINDS:
            errors[kind] = [UNKNOWN_KIND]
        elif not isinstance(delivery, str) or delivery not in Delivery.values:
            errors[kind] = [f"One of: {', '.join(Delivery.values)}."]
        elif KINDS[kind].security and delivery != Delivery.IMMEDIATELY:
            errors[kind] = [SECURITY_ALWAYS_SENT]
    if errors:
        raise ValidationError(errors)
    chosen = {kind: delivery for kind, delivery in changes.items() if not KINDS[kind].security}
    rows = [NotificationSetting(user_id=user_id, kind=kind, delivery=delivery) for kind, delivery in chosen.items()]
    for row in rows:
        row.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
        row.updated_at = timezone.now()
    # One statement per person and kind that two requests at once cannot both insert.
    NotificationSetting.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["delivery", "updated_at"]
    )
    for kind, delivery in chosen.items():
        held = Notification.objects.filter(recipient_id=user_id, kind=kind, delivery__in=DIGESTS)
        held.filter(emailed_at__isnull=True).update(
            delivery=Delivery.DAILY if delivery == Delivery.IMMEDIATELY else delivery
        )
