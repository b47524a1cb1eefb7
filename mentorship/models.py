"""The life of a mentoring relationship: goals, requests, mentorships, sessions and feedback."""

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q

from accounts.models import Skill, TimeStampedModel
from config.inputs import validate_each_single_line, validate_multi_line, validate_single_line
from programs.models import Program

MAX_SESSION_MINUTES = 600


class GoalQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate `milestone_count` and `milestones_done`, from which `Goal.progress` is derived."""
        return self.annotate(
            milestone_count=Count("milestones", distinct=True),
            milestones_done=Count("milestones", filter=Q(milestones__done=True), distinct=True),
        )


class Goal(TimeStampedModel):
    """A mentee's SMART goal. Its words feed the matcher; its milestones give its progress."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(blank=True, validators=[validate_multi_line])
    skills = models.ManyToManyField(Skill, blank=True, related_name="goals")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> float:
        """Share of milestones done, 0..1; uses the `with_progress()` annotation when present."""
        total = getattr(self, "milestone_count", None)
        done = getattr(self, "milestones_done", None)
        if total is None or done is None:
            milestones = list(self.milestones.all())
            total, done = len(milestones), sum(m.done for m in milestones)
        return round(done / total, 4) if total else 0.0


class Milestone(TimeStampedModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.title


class MentorshipRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MentorshipRequest.Status.PENDING)

    def offers_held(self):
        """Pending offers a match round made on a mentor's behalf: each holds one of the mentor's slots until
        answered (a mentee's own request holds none)."""
        return self.pending().filter(origin=MentorshipRequest.Origin.MATCH_ROUND)

    def in_program(self, program):
        return self.filter(program=program)


class MentorshipRequest(TimeStampedModel):
    """In a program, a mentee asks a mentor: pending → accepted | declined | withdrawn | expired."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    class Origin(models.TextChoices):
        SELF = "self", "Sent by the mentee"
        MATCH_ROUND = "match_round", "Proposed by a match round"

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", "I have no room for another mentee right now"
        NOT_A_FIT = "not_a_fit", "My experience is not a good fit for these goals"
        UNAVAILABLE = "unavailable", "I am not available in the coming weeks"
        OTHER = "other", "Another reason"

    class CloseReason(models.TextChoices):
        MENTEE_MATCHED = "mentee_matched", "The mentee found a mentor"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="requests")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requests_sent")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requests_received")
    message = models.TextField(blank=True, max_length=2000, validators=[validate_multi_line])
    goals = models.ManyToManyField(Goal, blank=True, related_name="requests")
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.SELF)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decline_reason = models.CharField(max_length=12, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField(blank=True, max_length=1000, validators=[validate_multi_line])
    close_reason = models.CharField(max_length=16, choices=CloseReason.choices, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = MentorshipRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee", "mentor"],
                condition=Q(status="pending"),
                name="one_pending_request_per_pair",
            ),
            models.CheckConstraint(condition=~Q(mentee=F("mentor")), name="request_not_to_oneself"),
        ]
        indexes = [  # the directory counts each listed mentor's held offers: an index-only look-up
            models.Index(
                fields=["mentor", "program"],
                condition=Q(status="pending", origin="match_round"),
                name="offers_held_by_mentor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.status})"


class MentorshipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Mentorship.Status.ACTIVE)

    def in_program(self, program):
        return self.filter(program=program)


class Mentorship(TimeStampedModel):
    """In a program, a mentor and a mentee working together: active → completed.

    A mentor's active mentorships in a program never exceed their capacity there, nor a mentee's the program's
    `mentee_limit`: the services take a row lock on the mentor's and the mentee's memberships before counting (no
    constraint can compare a count with another table's column). One active mentorship per pair and program is a
    constraint.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="mentorships")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor")
    request = models.OneToOneField(
        MentorshipRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentorship"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee", "mentor"],
                condition=Q(status="active"),
                name="one_active_mentorship_per_pair",
            ),
            models.CheckConstraint(condition=~Q(mentee=F("mentor")), name="mentorship_not_with_oneself"),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True) | Q(status="completed", ended_at__isnull=False),
                name="mentorship_ended_iff_completed",
            ),
        ]
        indexes = [  # the directory counts each listed mentor's active mentorships: an index-only look-up
            models.Index(
                fields=["mentor", "program"], condition=Q(status="active"), name="active_mentorships_by_mentor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee} ({self.status})"


class Session(TimeStampedModel):
    """A meeting of a mentorship, logged by the mentor."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True, max_length=10000, validators=[validate_multi_line])
    topics = models.JSONField(default=list, blank=True, validators=[validate_each_single_line])
    goals = models.ManyToManyField(Goal, blank=True, related_name="sessions")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_SESSION_MINUTES),
                name="session_minutes_1_to_600",
            ),
        ]

    def __str__(self) -> str:
        return f"Session on {self.date} ({self.duration_minutes} min)"


class Feedback(TimeStampedModel):
    """The mentee's rating of one session; one per session."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000, validators=[validate_multi_line])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.session}"
