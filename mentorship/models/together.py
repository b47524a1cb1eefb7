"""What the people of a mentorship keep between meetings: their kick-off agreement (and who confirmed which version
of it), the action items they agreed on, and their conversation (with how far each person has read it)."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from accounts.models import TimeStampedModel
from config.inputs import validate_multi_line, validate_single_line
from mentorship.models.core import Mentorship, Session

MAX_TEXT = 10_000
MAX_CADENCE_DAYS = 365
# A link someone clicks from the page: only the web's own schemes (no javascript:, no file:).
validate_web_link = URLValidator(schemes=["http", "https"], message="Enter a link starting with http:// or https://.")


class Agreement(TimeStampedModel):
    """How the people of one mentorship mean to work together. Each edit raises `version`; everyone in it confirms
    the version they read (AgreementConfirmation), so that an edit asks the others to confirm again."""

    class Channel(models.TextChoices):
        VIDEO = "video", "Video call"
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="agreement")
    cadence_days = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.VIDEO)
    meeting_link = models.CharField(max_length=500, blank=True, validators=[validate_web_link])
    place = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    expectations = models.TextField(blank=True, max_length=MAX_TEXT, validators=[validate_multi_line])
    ends_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=MAX_CADENCE_DAYS), name="agreement_cadence_1_to_365"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="agreement_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"Agreement of mentorship {self.mentorship_id} (version {self.version})"


class AgreementConfirmation(models.Model):
    """One person's yes to one version of an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user", "version"], name="one_confirmation_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} confirmed version {self.version} of agreement {self.agreement_id}"


class ActionItem(TimeStampedModel):
    """Something one person of a mentorship agreed to do, by a date."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items")
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items")

    class Meta:
        ordering = ["done", models.F("due_on").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=True, done_at__isnull=False) | Q(done=False, done_at__isnull=True),
                name="action_item_done_iff_done_at",
            ),
        ]
        indexes = [  # a person's open items, for their home page
            models.Index(fields=["owner", "due_on"], condition=Q(done=False), name="open_action_items_by_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One message of a mentorship's conversation (plain text)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=MAX_TEXT, validators=[validate_multi_line])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["mentorship", "id"], name="message_by_conversation")]

    def __str__(self) -> str:
        return f"Message {self.pk} in mentorship {self.mentorship_id}"


class ConversationRead(models.Model):
    """How far one person has read a mentorship's conversation: every message up to `last_read_id` (ids only grow,
    so a number is enough and unread counts are one comparison)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mentorship", "user"], name="one_read_marker_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} read mentorship {self.mentorship_id} up to {self.last_read_id}"
