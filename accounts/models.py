"""People: the user and their one profile (what they can teach and what they want to grow), the shared skill and
industry taxonomy, and what waits for an emailed link: self-registrations, changes of address and their undoing.

Nobody has a global role: what a person does in a program is their membership there (programs.Membership)."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property

from config.inputs import validate_multi_line, validate_single_line

MAX_CAPACITY = 50
MAX_YEARS_EXPERIENCE = 70
TERM_MAX_LENGTH = 80
MAX_LANGUAGES = 10
LANGUAGE_MAX_LENGTH = 40


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def validate_timezone(value: str) -> None:
    if value not in _known_timezones():
        raise ValidationError(f'Unknown time zone "{value}"; use an IANA name such as "Europe/Berlin".')


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


class User(AbstractUser):
    """A person on the platform. What they do (mentor, mentee, peer, program admin) is per program: their
    memberships. `is_staff` marks site staff, who create programs and manage all of them."""

    first_name = None
    last_name = None
    # Names go into email headers ("Maya accepted your request"): one line, no control character.
    full_name = models.CharField(max_length=150, validators=[validate_single_line])
    email = models.EmailField("email address")
    session_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised to end every session of the account at once (see get_session_auth_hash).",
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            # "Alice" and "alice" are one person to the people who type them.
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique"),
        ]
        # The mentor directory lists by name: a page walks this index instead of sorting every mentor.
        indexes = [models.Index(fields=["full_name", "id"], name="user_by_name")]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        """A new account comes with its empty profile (bulk imports make theirs themselves)."""
        creating = self._state.adding
        super().save(*args, **kwargs)
        if creating:
            Profile.objects.get_or_create(user=self)

    def get_full_name(self) -> str:
        return self.full_name

    def get_session_auth_hash(self) -> str:
        return self._with_session_generation(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for password_hmac in super().get_session_auth_fallback_hash():
            yield self._with_session_generation(password_hmac)

    def _with_session_generation(self, password_hmac: str) -> str:
        """Every request of a session is checked against this value (Django keeps it in the session at sign-in),
        so changing it ends every session of the account, whatever the session engine: Django's own is an HMAC of
        the password's hash, so that a new password does it; raising `session_generation` does it without one.
        Generation 0 keeps Django's value, so that sessions open before the generation existed stay valid. The
        HMAC holds the secret key: a hash of it and the generation cannot be forged without the key either."""
        if not self.session_generation:
            return password_hmac
        return hashlib.sha256(f"{password_hmac}:{self.session_generation}".encode()).hexdigest()

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    @cached_property
    def is_program_admin(self) -> bool:
        """Site staff, or an active admin of at least one program: they review the shared taxonomy. What they may
        do in a program is asked of that program (programs.selectors.is_program_admin)."""
        if self.is_staff:
            return True
        return self.memberships.filter(role="admin", status="active").exists()


class TaxonomyTerm(models.Model):
    """A named term shared by all profiles, unique whatever its case. The taxonomy is curated: people pick its
    terms (see accounts.taxonomy for how a new name becomes a suggestion, or is refused)."""

    name = models.CharField(max_length=TERM_MAX_LENGTH, validators=[validate_single_line])

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SkillQuerySet(models.QuerySet):
    def approved(self) -> "SkillQuerySet":
        return self.filter(status=Skill.Status.APPROVED)

    def suggestions(self) -> "SkillQuerySet":
        return self.filter(status=Skill.Status.SUGGESTED)

    def visible_to(self, user: "User") -> "SkillQuerySet":
        """What `user` may see of the taxonomy: the approved skills and their own suggestions; admins see all."""
        if user.is_program_admin:
            return self
        return self.filter(models.Q(status=Skill.Status.APPROVED) | models.Q(suggested_by=user))


class Skill(TaxonomyTerm):
    """A skill of the taxonomy. A name nobody used before, given by a participant, is a suggestion: it stays on
    their profile or goal, shown to them and to program admins only, until an admin approves it, merges it into
    an approved skill, or rejects it. Only approved skills are shown to others and count in matching."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        SUGGESTED = "suggested", "Suggested, waiting for review"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    suggested_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skill_suggestions",
        help_text="Who first named it, when a participant did.",
    )
    suggested_at = models.DateTimeField(null=True, blank=True)

    objects = SkillQuerySet.as_manager()

    class Meta(TaxonomyTerm.Meta):
        constraints = [
            models.UniqueConstraint(Lower("name"), name="skill_name_ci_unique"),
            models.CheckConstraint(condition=models.Q(status__in=["approved", "suggested"]), name="skill_status_valid"),
        ]
        # The admins' queue: the few suggestions, oldest first, without reading the whole taxonomy.
        indexes = [
            models.Index(
                fields=["suggested_at", "id"], condition=models.Q(status="suggested"), name="skill_suggestions"
            )
        ]

    @property
    def is_suggestion(self) -> bool:
        return self.status == self.Status.SUGGESTED

    @classmethod
    def links(cls) -> list["SkillLink"]:
        """Every many-to-many relation that names skills (profiles, goals, …): what a merge moves and a rejection
        removes. A relation of another kind to skills would need its own rule, so none may exist unseen."""
        found = []
        for relation in cls._meta.related_objects:
            if not relation.many_to_many:
                raise TypeError(f"{relation} names skills without a many-to-many field: give it a merge rule.")
            field = relation.field
            found.append(SkillLink(field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()))
        return found


@dataclass(frozen=True)
class SkillLink:
    """One many-to-many relation to skills: its table (`through`), the column of the thing that names the skill
    (`owner`, e.g. "goal") and the skill's column."""

    through: type[models.Model]
    owner: str
    skill: str

    @property
    def owner_model(self) -> type[models.Model]:
        return self.through._meta.get_field(self.owner).related_model


class Industry(TaxonomyTerm):
    """An industry: a picklist that only program admins extend (participants pick one)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name_plural = "industries"
        constraints = [models.UniqueConstraint(Lower("name"), name="industry_name_ci_unique")]


def validate_languages(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give the languages as a list of names.")
    if len(value) > MAX_LANGUAGES:
        raise ValidationError(f"At most {MAX_LANGUAGES} languages.")
    for item in value:
        validate_single_line(item)
        if not item.strip() or len(item) > LANGUAGE_MAX_LENGTH:
            raise ValidationError(f"A language is a name of 1 to {LANGUAGE_MAX_LENGTH} characters.")


def calendar_secret_new() -> str:
    """The key of a person's calendar feed URL: whoever holds it reads their meetings, so it is long and random."""
    return secrets.token_urlsafe(32)


class ProfileQuerySet(models.QuerySet):
    def complete(self, side: str) -> "ProfileQuerySet":
        """Profiles complete enough to be matched on `side` ("teaching": a mentor's, "learning": a mentee's,
        "either": a peer's): what the matcher reads, an industry and at least one skill on that side (taught skills
        for teaching, wanted skills for learning, either kind for a peer); a headline helps people, not the matcher,
        so it is not asked for. The program report's funnel counts these."""
        taught = Exists(Profile.skills.through.objects.filter(profile_id=OuterRef("pk")))
        wanted = Exists(Profile.wanted_skills.through.objects.filter(profile_id=OuterRef("pk")))
        skilled = {"teaching": taught, "learning": wanted, "either": taught | wanted}[side]
        return self.filter(skilled, industry__isnull=False)


class Profile(TimeStampedModel):
    """A person's one profile, both sides: what they can teach (`skills`) and what they want to grow
    (`wanted_skills`). Every account has one (made with the account)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    headline = models.CharField(max_length=160, blank=True, validators=[validate_single_line])
    bio = models.TextField(blank=True, max_length=4000, validators=[validate_multi_line])
    industry = models.ForeignKey(Industry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    languages = models.JSONField(default=list, blank=True, validators=[validate_languages])
    years_experience = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(MAX_YEARS_EXPERIENCE)])
    skills = models.ManyToManyField(Skill, blank=True, related_name="teaching_profiles", help_text="Can teach.")
    wanted_skills = models.ManyToManyField(
        Skill, blank=True, related_name="learning_profiles", help_text="Wants to grow."
    )
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Name and taught (approved) skills, then industry: what the directory's search matches besides "
        "headline and bio. Kept by accounts.search.profile_search_refresh.",
    )
    search_document = SearchVectorField(
        null=True,
        editable=False,
        help_text="The weighted full-text document of name, skills, headline, industry and bio (PostgreSQL only). "
        "Kept by accounts.search.profile_search_refresh.",
    )
    calendar_secret = models.CharField(
        max_length=64,
        unique=True,
        default=calendar_secret_new,
        editable=False,
        help_text="The key in the address of the person's calendar feed; a new one makes the old address fail.",
    )

    objects = ProfileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class EmailedLinkQuerySet(models.QuerySet):
    def _cutoff(self) -> dt.datetime:
        return timezone.now() - self.model.lifetime()

    def valid(self) -> "EmailedLinkQuerySet":
        """Those whose link still works (younger than the model's lifetime())."""
        return self.filter(created_at__gte=self._cutoff())

    def expired(self) -> "EmailedLinkQuerySet":
        return self.filter(created_at__lt=self._cutoff())

    def for_token(self, token: str) -> "EmailedLinkQuerySet":
        return self.filter(token_digest=EmailedLink.digest_of(token))


class EmailedLink(models.Model):
    """Something waiting for the owner of an address to follow the link emailed to it. Only the SHA-256 digest of
    the link's token is stored: someone who reads the table cannot follow the link."""

    token_digest = models.CharField(max_length=64, unique=True, help_text="sha256 hex of the emailed token.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = EmailedLinkQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def lifetime(cls) -> dt.timedelta:
        """How long the link works: SIGNUP_CONFIRM_HOURS, unless the model says otherwise."""
        return dt.timedelta(hours=settings.SIGNUP_CONFIRM_HOURS)


class SignUp(EmailedLink):
    """A self-registration waiting for its owner to follow the emailed link: no account exists until then, so
    signing up says nothing about who is registered.

    Only the password's hash and the link token's digest are stored: someone who reads the table can neither sign
    in as the person nor confirm the sign-up.
    """

    email = models.EmailField("email address", max_length=254)
    username = models.CharField(max_length=150)
    full_name = models.CharField(max_length=150, validators=[validate_single_line])
    role = models.CharField(
        max_length=10, blank=True, help_text="The role to join `program` in when the link is followed (optional)."
    )
    program = models.SlugField(max_length=50, blank=True, help_text="The program's slug; the default one if blank.")
    password = models.CharField(max_length=128, help_text="The password's hash (make_password), never the password.")

    class Meta:
        # Confirming one sign-up removes every other one of that address.
        indexes = [models.Index(Lower("email"), name="signup_email_ci")]

    def __str__(self) -> str:
        return f"Sign-up of {self.email}"


class EmailChange(EmailedLink):
    """A new address a person asked for, waiting for the link emailed to it: the account keeps its address until
    then, so that a password reset never goes to an address nobody has proven to own.

    It is stored whether or not the address belongs to another account (that address gets a warning instead of a
    link), so that asking tells nobody who is registered. One per person: asking again replaces it.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="pending_email_change")
    email = models.EmailField("new email address", max_length=254)

    def __str__(self) -> str:
        return f"Change of {self.user} to {self.email}"


class EmailRevert(EmailedLink):
    """A confirmed change of address that the old address may undo. Its owner is sent a link (valid
    EMAIL_REVERT_DAYS) that brings the address back and ends every session and API token of the account: whoever
    moved the account to an address of theirs, with a stolen session and password, loses it again.

    Kept when the address changes again or the password is reset (through the new address), so that neither can
    take the way back from the old address; undoing removes every one of the account's.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_reverts")
    email = models.EmailField("address to go back to", max_length=254)

    def __str__(self) -> str:
        return f"Undoing of {self.user}'s change of address (back to {self.email})"

    @classmethod
    def lifetime(cls) -> dt.timedelta:
        return dt.timedelta(days=settings.EMAIL_REVERT_DAYS)
