"""Programs and who is in them: a program is how an organisation runs mentoring (a cohort with dates, an
always-on program, a reverse-mentoring program, a peer circle); a membership is one person's role in one program.

Nobody has a global role: a person may mentor in one program, be mentored in another, and hold several roles in one.
"""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import MAX_CAPACITY, EmailedLink, Skill, TimeStampedModel
from config.inputs import validate_multi_line, validate_single_line

DEFAULT_PROGRAM_SLUG = "main"
DEFAULT_ROUND_WEIGHTS = {"skills": 1.0, "industry": 0.5, "goals": 1.0}
MAX_MENTEE_LIMIT = 20
MAX_REQUEST_EXPIRY_DAYS = 365
MAX_CADENCE_DAYS = 365
INVITATION_DAYS = 14  # how long the link emailed to an invited person works


def default_round_weights() -> dict:
    return dict(DEFAULT_ROUND_WEIGHTS)


class ProgramQuerySet(models.QuerySet):
    def default(self) -> "Program":
        """The program every flat v1 call acts on: `main`, made by the migrations (programs.0002), and made again
        as it was should a database have lost it (a flushed test database does)."""
        return self.get_or_create(
            slug=DEFAULT_PROGRAM_SLUG,
            defaults={
                "name": "Mentoring program",
                "description": "The organisation's always-on one-on-one mentoring program.",
            },
        )[0]


class Program(TimeStampedModel):
    class Format(models.TextChoices):
        ONE_ON_ONE = "one_on_one", "One-on-one"
        GROUP = "group", "Group circles"
        PEER = "peer", "Peer pairs"

    class Kind(models.TextChoices):
        EVERGREEN = "evergreen", "Always on"
        COHORT = "cohort", "Cohort with dates"

    class Enrollment(models.TextChoices):
        OPEN = "open", "Anyone may join"
        INVITE = "invite", "By invitation"
        CLOSED = "closed", "Closed"

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=4000, validators=[validate_multi_line])
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.ONE_ON_ONE)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EVERGREEN)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    enrollment = models.CharField(max_length=8, choices=Enrollment.choices, default=Enrollment.OPEN)
    mentor_approval = models.BooleanField(
        default=False, help_text="New mentors wait (`pending`) until a program admin approves them."
    )
    session_cadence_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_DAYS)]
    )
    mentee_limit = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MENTEE_LIMIT)],
        help_text="How many active mentorships one mentee (or peer) may have in this program.",
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REQUEST_EXPIRY_DAYS)],
        help_text="A request nobody answered expires after this many days.",
    )
    default_weights = models.JSONField(default=default_round_weights, help_text="A new round's weights.")

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="evergreen") | Q(kind="cohort", starts_on__isnull=False, ends_on__isnull=False),
                name="program_cohort_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="program_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(mentee_limit__gte=1), name="program_mentee_limit_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.COHORT:
            for name in ("starts_on", "ends_on"):
                if getattr(self, name) is None:
                    errors[name] = ["A cohort needs its dates."]
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = ["A program cannot end before it starts."]
        if errors:
            raise ValidationError(errors)

    @property
    def is_default(self) -> bool:
        return self.slug == DEFAULT_PROGRAM_SLUG

    def has_ended(self, today: dt.date | None = None) -> bool:
        """A cohort after its `ends_on`: its data stays readable, but it takes no new requests, joins or rounds."""
        if self.kind != self.Kind.COHORT or self.ends_on is None:
            return False
        return (today or timezone.localdate()) > self.ends_on


class MembershipQuerySet(models.QuerySet):
    def in_program(self, program: Program | int) -> "MembershipQuerySet":
        return self.filter(program=program)

    def active(self) -> "MembershipQuerySet":
        return self.filter(status=Membership.Status.ACTIVE, user__is_active=True)

    def mentors(self) -> "MembershipQuerySet":
        return self.filter(role=Membership.Role.MENTOR)

    def mentees(self) -> "MembershipQuerySet":
        return self.filter(role=Membership.Role.MENTEE)

    def admins(self) -> "MembershipQuerySet":
        return self.filter(role=Membership.Role.ADMIN)

    def peers(self) -> "MembershipQuerySet":
        return self.filter(role=Membership.Role.PEER)

    def accepting(self) -> "MembershipQuerySet":
        return self.filter(accepting_requests=True)

    # The words below count a membership's mentorships and requests in its program. Those models live in
    # `mentorship`, which imports this app: they are looked up by name when a query is built, so that imports keep
    # pointing one way (accounts <- programs <- mentorship).

    def listed(self) -> "MembershipQuerySet":
        """Memberships whose person's profile has the minimum a mentee needs to choose them: a headline or a bio,
        at least one approved skill, an industry. An empty profile is in no directory."""
        approved_skill = Skill.teaching_profiles.through.objects.filter(
            profile_id=OuterRef("user__profile__id"), skill__status=Skill.Status.APPROVED
        )
        return self.filter(
            Q(user__profile__headline__gt="") | Q(user__profile__bio__gt=""),
            Exists(approved_skill),
            user__profile__industry__isnull=False,
        )

    def with_open_slots(self) -> "MembershipQuerySet":
        """Annotate `open_slots`: a mentor's capacity in the program less the people they mentor there now (the
        mentees of their one-on-ones, the members of their circle) and the pending match-round offers holding a
        slot there, never below 0.

        The two counts are aliases, not columns: each is one index-only look-up per row (partial indexes
        `active_members_by_mentor`, `offers_held_by_mentor`), and selecting them as well would run them twice."""
        if "open_slots" in self.query.annotations:
            return self
        mentored = apps.get_model("mentorship", "MentorshipMember").objects.active()
        offers = apps.get_model("mentorship", "MentorshipRequest").objects.offers_held()
        return self.alias(
            active_mentees=_count_per_membership(mentored, "mentor_id"),
            offers_held=_count_per_membership(offers, "mentor_id"),
        ).annotate(open_slots=Greatest(Value(0), F("capacity") - F("active_mentees") - F("offers_held")))

    def accepting_with_open_slot(self) -> "MembershipQuerySet":
        """Mentors who take a request now: accepting, with a slot open (see with_open_slots)."""
        return self.with_open_slots().accepting().filter(open_slots__gt=0)

    def with_partners(self) -> "MembershipQuerySet":
        """Annotate `partners`: the active mentorships the person is a member of in the program (a peer's partners,
        a mentee's mentors), and `open_slots`: how many more the program's `mentee_limit` allows, never below 0."""
        if "partners" in self.query.annotations:
            return self
        members = apps.get_model("mentorship", "MentorshipMember").objects.active()
        return self.annotate(partners=_count_per_membership(members, "user_id")).annotate(
            open_slots=Greatest(Value(0), F("program__mentee_limit") - F("partners"))
        )

    def waiting(self) -> "MembershipQuerySet":
        """People still waiting for a mentor (mentees) or a partner (peers) in their program: room under its
        `mentee_limit` and no pending request there, neither sent nor, for a peer, received (a pending request may
        yet give them one; a round finds them one)."""
        members = apps.get_model("mentorship", "MentorshipMember").objects.active()
        pending = apps.get_model("mentorship", "MentorshipRequest").objects.pending()
        sent = pending.filter(mentee_id=OuterRef("user_id"), program_id=OuterRef("program_id"))
        received = pending.filter(mentor_id=OuterRef("user_id"), program_id=OuterRef("program_id"))
        return self.alias(mentored_by=_count_per_membership(members, "user_id")).filter(
            ~Exists(sent),
            ~(Q(role=Membership.Role.PEER) & Exists(received)),
            mentored_by__lt=F("program__mentee_limit"),
        )


def _count_per_membership(queryset: models.QuerySet, person: str) -> Coalesce:
    """How many rows of `queryset` name the outer membership's person (as `person`) in its program."""
    counted = queryset.filter(**{person: OuterRef("user_id")}, program_id=OuterRef("program_id")).order_by()
    counted = counted.values(person).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class Membership(TimeStampedModel):
    """One person's role in one program: (user, program, role) is unique; a person may hold several roles.

    A mentor's `capacity` and `accepting_requests` live here, per program. The services take a row lock on a
    membership before counting the mentorships it holds (capacity, the mentee limit)."""

    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"
        PEER = "peer", "Peer"
        ADMIN = "admin", "Program admin"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        PENDING = "pending", "Waiting for approval"
        ACTIVE = "active", "Active"
        LEFT = "left", "Left"
        REMOVED = "removed", "Removed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=Role.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    capacity = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(MAX_CAPACITY)],
        help_text="How many mentees this mentor takes at once in this program.",
    )
    accepting_requests = models.BooleanField(default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["program__name", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "role"], name="one_membership_per_role"),
            models.CheckConstraint(
                condition=Q(capacity__gte=0, capacity__lte=MAX_CAPACITY), name="membership_capacity_range"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["mentor", "mentee", "peer", "admin"]), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "pending", "active", "left", "removed"]),
                name="membership_status_valid",
            ),
        ]
        # The directory and a round's pool: a program's active people of one role.
        indexes = [models.Index(fields=["program", "role", "status"], name="membership_by_program_role")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()} in {self.program})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class AdminAction(models.Model):
    """What a program admin did to their program (or site staff to the site): who, when, what. Written in the
    same transaction as the act."""

    class Kind(models.TextChoices):
        ROUND_CREATE = "round_create", "Ran a match round"
        ROUND_CANCEL = "round_cancel", "Cancelled a match round"
        ROUND_PUBLISH = "round_publish", "Published a match round"
        PROPOSAL_OVERRIDE = "proposal_override", "Overrode a proposal"
        PARTICIPANTS_IMPORT = "participants_import", "Imported participants"
        PROGRAM_CREATE = "program_create", "Created the program"
        PROGRAM_UPDATE = "program_update", "Changed the program's settings"
        MEMBER_ADD = "member_add", "Added a member"
        MEMBER_INVITE = "member_invite", "Invited someone"
        MEMBER_UPDATE = "member_update", "Changed a membership"
        SKILL_REVIEW = "skill_review", "Reviewed a skill suggestion"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    program = models.ForeignKey(
        Program,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="admin_actions",
        help_text="null: site-wide.",
    )
    target = models.CharField(max_length=120, blank=True, help_text='What it acted on, e.g. "match round 12".')
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'the command line'}: {self.get_kind_display()} {self.target}"


class Invitation(EmailedLink):
    """The link emailed to someone a program admin invited who had no account: following it, they choose a
    password, their membership becomes active and they are signed in. Only the token's digest is stored; the link
    works once (accepting deletes it) and for INVITATION_DAYS; resending replaces it."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")

    def __str__(self) -> str:
        return f"Invitation of {self.membership.user} to {self.membership.program}"

    @classmethod
    def lifetime(cls) -> dt.timedelta:
        return dt.timedelta(days=INVITATION_DAYS)
