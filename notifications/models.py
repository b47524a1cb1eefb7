from django.conf import settings
from django.db import models
from django.db.models import Q


class Delivery(models.TextChoices):
    """How a person's notices of one kind reach them besides the inbox."""

    IMMEDIATELY = "immediately", "Immediately"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest (Mondays)"
    OFF = "off", "Off (inbox only)"


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def awaiting_digest(self, delivery: str) -> "NotificationQuerySet":
        """Notices held for a digest (`daily` or `weekly`) that no digest has claimed yet."""
        return self.filter(delivery=delivery, emailed_at__isnull=True)


class Notification(models.Model):
    """One notice to one person: the inbox row, and the email it becomes (at once, in a digest, or never)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # A key of notifications.kinds.KINDS, checked by notify(). No `choices` here: each app adds its kinds to KINDS,
    # and a kind added should not need a migration of this app.
    kind = models.CharField(max_length=24)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)  # a path on this site ("/mentorships/4/")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # How this notice is emailed, fixed from the recipient's setting when it is made (and moved along when they
    # change the setting while it waits for a digest). `emailed_at` is the claim: set before the email leaves.
    delivery = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # iCalendar invitations and the like: [[filename, content, mimetype], ...], sent with the email only.
    attachments = models.JSONField(default=list, blank=True)
    # Set by a sender that must never send twice (a reminder run by two beat processes, a retried task): the
    # database refuses a second row with the same key.
    once_key = models.CharField(max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # What a digest run looks for: few rows, among many already emailed.
            models.Index(
                fields=["delivery", "recipient"], condition=Q(emailed_at__isnull=True), name="notification_held_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "once_key"], condition=~Q(once_key=""), name="notification_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id}: {self.subject}"

    @property
    def local_link(self) -> str:
        """The link as a page may show it: a path on this site, or nothing (never another site or scheme)."""
        return self.link if self.link.startswith("/") and not self.link.startswith("//") else ""


class NotificationSetting(models.Model):
    """A person's choice for one kind of notice. No row means `immediately`; security kinds have none (they are
    always sent at once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings")
    kind = models.CharField(max_length=24)  # a key of KINDS, checked by the service (see Notification.kind)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_notification_setting_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"
