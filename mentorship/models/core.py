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
    shared = models.BooleanField(
        default=False, help_text="Shown to the owner's circle or peer too; otherwise to the owner and their mentors."
    )

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
    # Its place in the goal's list, as the mentee ordered it (0 first); new milestones go last.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

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
    """In a program, a mentee asks a mentor (in a peer program, a peer asks a peer: `mentee` is the one who asks,
    `mentor` the one asked): pending → accepted | declined | withdrawn | expired."""

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
    # A match round's peer proposal starts when both peers accept: each side's yes, until the other's.
    sender_accepted_at = models.DateTimeField(null=True, blank=True)
    recipient_accepted_at = models.DateTimeField(null=True, blank=True)

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

    def of_person(self, user):
        """The mentorships `user` is in, on any side: as the mentor, or as a member (now or before)."""
        return self.filter(
            Q(mentor=user) | Q(pk__in=MentorshipMember.objects.filter(user=user).values("mentorship_id"))
        )


class Mentorship(TimeStampedModel):
    """In a program, people working together: active → completed. Its shape follows the program's format:

    - one-on-one: a mentor and one member (a mentee);
    - group: a mentor's circle, at most one active per mentor and program, of up to the mentor's capacity members;
    - peer: no mentor, two members (peers) with equal rights.

    The members are `MentorshipMember` rows. A mentor's active members in a program never exceed their capacity
    there, nor a person's active memberships the program's `mentee_limit`: the services take a row lock on the
    memberships (programs.Membership) before counting (no constraint can compare a count with another table's
    column). One active mentorship per mentor–mentee pair and program is a constraint on the member rows.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    Format = Program.Format

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="mentorships")
    format = models.CharField(max_length=12, choices=Program.Format.choices, default=Program.Format.ONE_ON_ONE)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentor",
        help_text="None for a peer pair.",
    )
    request = models.OneToOneField(
        MentorshipRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentorship",
        help_text="The request that started it.",
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
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True) | Q(status="completed", ended_at__isnull=False),
                name="mentorship_ended_iff_completed",
            ),
            models.CheckConstraint(
                condition=Q(format="peer", mentor__isnull=True) | (~Q(format="peer") & Q(mentor__isnull=False)),
                name="mentorship_has_a_mentor_unless_peer",
            ),
            models.UniqueConstraint(
                fields=["program", "mentor"],
                condition=Q(status="active", format="group"),
                name="one_active_circle_per_mentor",
            ),
        ]

    def __str__(self) -> str:
        if self.mentor_id is None:
            return f"Peer pair in {self.program_id} ({self.status})"
        return f"{self.mentor}'s {self.get_format_display().lower()} mentorship ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_circle(self) -> bool:
        return self.format == self.Format.GROUP

    @property
    def is_peer(self) -> bool:
        return self.format == self.Format.PEER

    def current_members(self) -> list["MentorshipMember"]:
        """The members still in it (all of them once it is completed: they ended together), with `user`; reads
        the prefetched `members` when present."""
        members = list(self.members.all())
        if self.is_active:
            return [m for m in members if m.status == MentorshipMember.Status.ACTIVE]
        return [m for m in members if m.status != MentorshipMember.Status.LEFT]

    @property
    def mentee(self):
        """The mentee of a one-on-one mentorship; None for a circle or a peer pair."""
        if self.format != self.Format.ONE_ON_ONE:
            return None
        members = list(self.members.all())
        return members[0].user if members else None

    @property
    def mentee_id(self) -> int | None:
        mentee = self.mentee
        return mentee.pk if mentee else None

    @property
    def label(self) -> str:
        """Its name for someone outside it (a program admin's lists): "Otto Mentor and Maya Mentee", "Otto Mentor's
        circle", "Peer pair: Ana Alvarez and Ben Brown". mentorship.naming names it to the people in it."""
        if self.is_circle:
            return f"{self.mentor}'s circle"
        if self.is_peer:
            return "Peer pair: " + " and ".join(str(m.user) for m in self.current_members())
        return " and ".join(str(person) for person in (self.mentor, self.mentee) if person is not None)

    def people(self) -> list:
        """Everyone in it now: the mentor (when there is one), then the current members."""
        return ([self.mentor] if self.mentor_id else []) + [m.user for m in self.current_members()]

    def side_of(self, user) -> str | None:
        """`mentor`, `mentee` or `peer`: the part `user` has in it now; None when they are not (or no longer) in
        it."""
        if user.pk is not None and user.pk == self.mentor_id:
            return "mentor"
        for member in self.current_members():
            if member.user_id == user.pk:
                return member.role
        return None


class MentorshipMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MentorshipMember.Status.ACTIVE)

    def in_program(self, program):
        return self.filter(program=program)


class MentorshipMember(TimeStampedModel):
    """A person in a mentorship other than its mentor: the mentee of a one-on-one, a member of a circle, or one of
    two peers. `program` and `mentor` are the mentorship's, copied so that the counts capacity and limits rest on
    (a mentor's active members, a person's active mentorships in a program) read one indexed table, and so that a
    constraint can keep one active mentorship per mentor–mentee pair.

    active → left (a member leaves a circle that goes on) | ended (the mentorship completed). A row is one stay:
    a member who leaves a circle and is accepted into it again has a second row, so that `joined_at`/`left_at`
    keep the first stay and each accepted request still names the mentorship it led to."""

    class Role(models.TextChoices):
        MENTEE = "mentee", "Mentee"
        PEER = "peer", "Peer"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LEFT = "left", "Left"
        ENDED = "ended", "Ended"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="members")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorship_memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MENTEE)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    request = models.ForeignKey(
        MentorshipRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The request that brought this member in (both peers of a pair share one).",
    )

    objects = MentorshipMemberQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            # A row per stay: who left a circle and came back has two, and each request names the stay it began.
            models.UniqueConstraint(
                fields=["mentorship", "user"], condition=Q(status="active"), name="one_active_stay_per_person"
            ),
            models.UniqueConstraint(
                fields=["program", "mentor", "user"],
                condition=Q(status="active"),
                name="one_active_mentorship_per_pair",
            ),
            models.CheckConstraint(condition=~Q(user=F("mentor")), name="mentorship_not_with_oneself"),
            models.CheckConstraint(
                condition=Q(status="active", left_at__isnull=True) | (~Q(status="active") & Q(left_at__isnull=False)),
                name="member_left_iff_not_active",
            ),
        ]
        indexes = [  # capacity and the directory count a mentor's active members: an index-only look-up
            models.Index(fields=["mentor", "program"], condition=Q(status="active"), name="active_members_by_mentor"),
            models.Index(fields=["user", "program"], condition=Q(status="active"), name="active_members_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in mentorship {self.mentorship_id} ({self.status})"


class Session(TimeStampedModel):
    """A meeting of a mentorship, logged once for everyone in it (by the mentor; in a peer pair, by either)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True, max_length=10000, validators=[validate_multi_line])
    topics = models.JSONField(default=list, blank=True, validators=[validate_each_single_line])
    goals = models.ManyToManyField(Goal, blank=True, related_name="sessions")
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sessions_attended", help_text="The people who came."
    )

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
    """A person's rating of one session they attended (a member or the mentor); one per person and session. The
    comment is confidential to its author and the program's admins unless `shared`."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000, validators=[validate_multi_line])
    shared = models.BooleanField(
        default=False,
        help_text="The author shows their comment to the others in the mentorship; otherwise only they and the "
        "program's admins read it (the rating itself is seen by all).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
            models.UniqueConstraint(fields=["session", "author"], name="one_feedback_per_person_and_session"),
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.session}"
