"""Match rounds: a program admin asks the matcher for proposals, reviews them, and publishes them once."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import MAX_CAPACITY, TimeStampedModel
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
    min_group_size = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text="Group programs: a circle (its members and those proposed) smaller than this is not proposed.",
    )

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
            models.CheckConstraint(condition=Q(min_group_size__gte=1), name="round_min_group_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def publishable_until(self) -> dt.datetime | None:
        """A proposed round may be published until its program's request expiry has passed since it ran: by then
        the people in it have moved on (and its offers would have expired unanswered). Reads `program`."""
        if self.status != self.Status.PROPOSED:
            return None
        return (self.finished_at or self.created_at) + dt.timedelta(days=self.program.request_expiry_days)

    @property
    def is_stale(self) -> bool:
        """Proposed, but too old to publish: to be run again (round_publish answers 409 `round_stale`)."""
        until = self.publishable_until
        return until is not None and until <= timezone.now()


class MatchProposal(TimeStampedModel):
    """One proposed pair of a round, with its score and why; once the round is published, the request it became
    or why it was skipped (publishing checks each proposal against the state of the day)."""

    class SkipReason(models.TextChoices):
        MENTEE_LEFT = "mentee_left", "The mentee left the program"
        MENTEE_MATCHED = "mentee_matched", "The mentee has as many mentors as the program allows"
        MENTEE_ASKED = "mentee_asked", "The mentee has a request pending"
        PAIR_EXCLUDED = "pair_excluded", "The mentor declined this mentee, or they were paired before"
        MENTOR_LEFT = "mentor_left", "The mentor left the program"
        MENTOR_NOT_ACCEPTING = "mentor_not_accepting", "The mentor stopped accepting requests"
        MENTOR_FULL = "mentor_full", "The mentor has no slot left"
        CIRCLE_TOO_SMALL = "circle_too_small", "The circle would be below the round's minimum size"
        PEER_LEFT = "peer_left", "One of the peers left the program"
        PEER_UNAVAILABLE = "peer_unavailable", "One of the peers has a partner or a request pending now"

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
    skip_reason = models.CharField(
        max_length=20, choices=SkipReason.choices, blank=True, help_text="Why publishing did not make a request."
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
        CIRCLES_TOO_SMALL = "circles_too_small", "The circles that fit them stayed under the smallest size"
        # Peer rounds (matching.engine.peers.unmatched); `excluded` too
        NO_CANDIDATE = "no_candidate", "No peer they may pair with fits them"
        LEFT_OVER = "left_over", "The peers who fit them were paired with others"

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
