"""Match rounds: a program admin asks the matcher for proposals, reviews them, and publishes them once."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import TimeStampedModel
from config.inputs import validate_single_line
from mentorship.models import MentorshipRequest
from programs.models import Program


class MatchRound(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PROPOSED = "proposed", "Proposed"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Mode(models.TextChoices):
        OPTIMAL = "optimal", "Best total score"
        STABLE = "stable", "Stable pairs"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="match_rounds")
    name = models.CharField(max_length=120, validators=[validate_single_line])
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.OPTIMAL)
    weights = models.JSONField(help_text='{"skills": 1.0, "industry": 0.5, "goals": 1.0}')
    top_k = models.PositiveSmallIntegerField(default=50)
    min_score = models.FloatField(default=0.0)
    same_industry = models.BooleanField(default=False)
    max_timezone_hours = models.FloatField(null=True, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=1), name="round_progress_0_to_1"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="published"), name="round_published_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class MatchProposal(TimeStampedModel):
    """One proposed pair of a round, with its score and why."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    explanation = models.JSONField(default=dict)
    proposed_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The matcher's choice, when an admin overrode it.",
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request = models.OneToOneField(
        MentorshipRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
        help_text="The pending request that publishing made of this proposal.",
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "mentee"], name="one_proposal_per_mentee_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.score:.2f})"


class UnmatchedMentee(TimeStampedModel):
    """A mentee of a round's pool whom it proposed nobody to, and why (matching.engine.unmatched), as of the run."""

    class Reason(models.TextChoices):
        NO_MENTOR = "no_mentor", "No mentor had room"
        EXCLUDED = "excluded", "Every mentor with room is or was their mentor, or declined them"
        SAME_INDUSTRY = "same_industry", "No mentor with room in their industry"
        TIMEZONE_GAP = "timezone_gap", "No mentor with room close enough in time zone"
        NO_COMMON_GROUND = "no_common_ground", "Nothing in common with any mentor with room"
        BELOW_MIN_SCORE = "below_min_score", "No pair reaches the round's minimum score"
        MENTORS_FULL = "mentors_full", "Every mentor who fits them was given to others"

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="unmatched")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.JSONField(default=dict, blank=True, help_text="The counts behind the reason.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "mentee"], name="one_unmatched_row_per_mentee_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} ({self.reason})"
