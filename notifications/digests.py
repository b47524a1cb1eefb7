"""Daily and weekly digests: one email per person listing their notices held for it (subject and link each).

Each person's digest claims its rows (sets `emailed_at`) in a transaction before the email leaves, so that two
beat processes, a retried task or an overlapping run never send the same notice twice; an email that fails to
leave gives its rows back for the retry."""

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.tasks import task_send
from notifications.models import DIGESTS, Delivery, Notification
from notifications.services import absolute_url

TITLES = {Delivery.DAILY: "daily", Delivery.WEEKLY: "weekly"}


def digests_send(*, delivery: str) -> int:
    """Send one task per person with notices held for the `delivery` digest (daily or weekly), each retried on
    its own. Returns how many were sent to the queue."""
    if delivery not in DIGESTS:
        raise ValueError(f"Not a digest: {delivery!r}")
    from notifications import tasks

    recipient_ids = list(
        Notification.objects.awaiting_digest(delivery)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for recipient_id in recipient_ids:
        task_send(tasks.send_digest, recipient_id, delivery, required=False)
    return len(recipient_ids)


def _claim(*, recipient_id: int, delivery: str, now) -> list[int]:
    """The person's held notices, claimed for this digest. Rows another run holds locked are skipped: that run
    sends them."""
    with transaction.atomic():
        ids = list(
            Notification.objects.awaiting_digest(delivery)
            .filter(recipient_id=recipient_id)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(emailed_at=now)
    return ids


def digest_send(*, recipient_id: int, delivery: str) -> bool:
    """Email the person their `delivery` digest: every notice held for it that no digest has claimed yet. Returns
    whether this call sent one (nothing to send, or another run sent it: False)."""
    now = timezone.now()
    ids = _claim(recipient_id=recipient_id, delivery=delivery, now=now)
    if not ids:
        return False
    notices = list(Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("created_at", "id"))
    recipient = notices[0].recipient
    if not recipient.email:
        return False
    title = TITLES[delivery]
    context = {
        "recipient": recipient,
        "title": title,
        "notices": [{"subject": n.subject, "link": absolute_url(n.link)} for n in notices],
        "inbox_link": absolute_url(reverse("notification-list-page")),
        "settings_link": absolute_url(reverse("notification-settings-page")),
    }
    count = len(notices)
    subject = f"Your {title} digest: {count} notice{'' if count == 1 else 's'}"
    message = EmailMessage(subject=subject, body=render_to_string("emails/digest.txt", context), to=[recipient.email])
    for notice in notices:
        for filename, content, mimetype in notice.attachments:
            message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        # Give the rows back, so that the task's retry (or the next digest) sends them after all.
        Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)
        raise
    return True
