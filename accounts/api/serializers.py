"""Input and output shapes of the accounts API. Validation of form here; rules and writes in services."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import (
    LANGUAGE_MAX_LENGTH,
    MAX_CAPACITY,
    MAX_LANGUAGES,
    MAX_YEARS_EXPERIENCE,
    TERM_MAX_LENGTH,
    Skill,
    User,
)
from accounts.selectors import calendar_feed_url, mentoring_in_default_program, role_in_default_program
from accounts.services import SIGNUP_ROLES
from config.api import MultiLineField, SingleLineField
from config.inputs import clean_term, parse_id

MAX_SKILLS_PER_PROFILE = 30


def suggested_skill_names(skills) -> list[str]:
    """The names of the suggestions among `skills` (already read: no query)."""
    return [skill.name for skill in skills if skill.is_suggestion]


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that names the fields it does not know instead of silently dropping them (nested
    ones too)."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        errors = {name: ["This field is not accepted here."] for name in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **errors}) from None
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "maxLength": TERM_MAX_LENGTH}]})
class TaxonomyRefField(serializers.Field):
    """A skill or industry named by id (an integer) or by name (a string, any case; new names are created).

    Ids and names are read as everywhere else (config.inputs): an id past 64 bits or a name with a NUL is a 400.
    """

    default_error_messages = {
        "invalid": "Give an id (integer) or a name (text).",
        "blank": "A name cannot be blank.",
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            return parse_id(data)
        if isinstance(data, str):
            name = clean_term(data, max_length=TERM_MAX_LENGTH)
            if not name:
                self.fail("blank")
            return name
        self.fail("invalid")

    def to_representation(self, value):
        return value.name


class RegisterInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    email = serializers.EmailField(max_length=254)
    # Checked here without the user too, so that a weak password is reported with the other fields' errors.
    password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, validators=[validate_password]
    )
    full_name = SingleLineField(max_length=150)
    role = serializers.ChoiceField(
        choices=SIGNUP_ROLES,
        required=False,
        help_text="Join `program` in this role once the account is made (optional; more roles and programs are "
        "joined later).",
    )
    program = serializers.SlugField(
        max_length=50,
        required=False,
        help_text="The program to join (its slug): the default program when omitted. One that takes members by "
        "invitation only is not joined (the account is made). 400 when no program has this slug.",
    )


class RegisterOutput(serializers.Serializer):
    detail = serializers.CharField(help_text="The same answer whoever is registered: the next step is in the email.")


class RegisterConfirmInput(StrictInputSerializer):
    token = serializers.CharField(max_length=100, help_text="The token of the emailed link /signup/confirm/<token>/.")
    username = serializers.CharField(
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
        help_text="Replaces the username chosen at sign-up (when that one is taken).",
    )
    password = serializers.CharField(
        max_length=128,
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text="The password chosen at sign-up: with it, a call from our pages also signs the browser in.",
    )


class EmailChangeConfirmInput(StrictInputSerializer):
    token = serializers.CharField(
        max_length=100, help_text="The token of the link /account/email/confirm/<token>/ emailed to the new address."
    )


class EmailRevertInput(StrictInputSerializer):
    token = serializers.CharField(
        max_length=100, help_text="The token of the link /account/email/revert/<token>/ emailed to the old address."
    )


class TokenInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`. Only its digest is stored.")
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


class TermOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SkillOutput(TermOutput):
    status = serializers.ChoiceField(
        choices=Skill.Status.choices,
        help_text='"suggested": a new name waiting for a program admin\'s review, seen only by whoever suggested it '
        "and by admins.",
    )


class TermInput(StrictInputSerializer):
    name = serializers.CharField(max_length=80)


class SuggesterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class SkillSuggestionOutput(SkillOutput):
    suggested_by = SuggesterOutput(allow_null=True, help_text="null when the account is gone.")
    suggested_at = serializers.DateTimeField(allow_null=True)
    uses = serializers.IntegerField(help_text="How many profiles and goals name it.")


class SuggestionApproveInput(StrictInputSerializer):
    name = serializers.CharField(max_length=80, required=False, help_text="Approve it under this spelling.")


class SuggestionMergeInput(StrictInputSerializer):
    into = TaxonomyRefField(help_text="The approved skill, by id or by name, that takes the suggestion's place.")


class MeAccountInput(StrictInputSerializer):
    full_name = SingleLineField(max_length=150)
    email = serializers.EmailField(max_length=254)
    current_password = serializers.CharField(
        max_length=128,
        allow_blank=True,
        write_only=True,
        trim_whitespace=False,
        help_text="Your password: needed with a new `email`, and only then (the profile form always sends it).",
    )


SKILLS_HELP = (
    "Skills by id or name (see `skills/`). A name nobody used before becomes your suggestion: it is yours at once "
    "(see `suggested_skills`) and others see it once a program admin approves it; a few may wait at a time."
)
MENTORING_HELP = (
    "As a mentor of the default program (400 naming the field for anyone who is not an active mentor there); in "
    "another program, see `programs/{slug}/membership/`."
)


@extend_schema_serializer(component_name="MeUpdate")
class MeInput(MeAccountInput):
    """Everyone's `PATCH me/`: the account and the one profile, both sides."""

    headline = SingleLineField(max_length=160, allow_blank=True)
    bio = MultiLineField(max_length=4000, allow_blank=True)
    industry = TaxonomyRefField(allow_null=True, help_text="One of `industries/`, by id or name.")
    skills = serializers.ListField(
        child=TaxonomyRefField(),
        max_length=MAX_SKILLS_PER_PROFILE,
        help_text="Skills you can teach (whatever your roles: a mentee's skills to grow are `wanted_skills`). "
        + SKILLS_HELP,
    )
    wanted_skills = serializers.ListField(
        child=TaxonomyRefField(),
        max_length=MAX_SKILLS_PER_PROFILE,
        help_text="Skills you want to grow. " + SKILLS_HELP,
    )
    timezone = serializers.CharField(max_length=64)
    languages = serializers.ListField(
        child=SingleLineField(max_length=LANGUAGE_MAX_LENGTH),
        max_length=MAX_LANGUAGES,
        help_text="The languages you mentor and learn in, by name.",
    )
    years_experience = serializers.IntegerField(min_value=0, max_value=MAX_YEARS_EXPERIENCE)
    capacity = serializers.IntegerField(
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text="How many mentees you take at once; not below those you mentor now (400 `capacity`). "
        + MENTORING_HELP,
    )
    accepting_requests = serializers.BooleanField(help_text="Whether mentees may ask you now. " + MENTORING_HELP)


ROLE_HELP = (
    'Deprecated (kept for the clients of the one-role API): your role in the default program: "mentor" when you are '
    'an active mentor there, else "mentee" when an active mentee there, else "". Read `memberships` instead.'
)


class AccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.SerializerMethodField(help_text=ROLE_HELP)
    is_program_admin = serializers.BooleanField(
        help_text="Site staff, or an active admin of a program: may review the shared skill taxonomy."
    )
    date_joined = serializers.DateTimeField()

    def get_role(self, user) -> str:
        return role_in_default_program(user)


class MeAccountOutput(AccountOutput):
    email_pending = serializers.EmailField(
        allow_null=True,
        help_text="The new address asked for, until the link emailed to it is followed (`email` stays the account's "
        "until then); null when no change is pending.",
    )


def suggested_skills_field(side: str = "skills") -> serializers.SerializerMethodField:
    return serializers.SerializerMethodField(
        help_text=f"Those of `{side}` that are suggestions waiting for a program admin's review: only you (and "
        "admins) see them until one approves them."
    )


class MeMembershipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.CharField(source="program.slug", help_text="The program's slug.")
    program_name = serializers.CharField(source="program.name")
    role = serializers.ChoiceField(choices=["mentor", "mentee", "peer", "admin"])
    status = serializers.ChoiceField(choices=["invited", "pending", "active", "left", "removed"])
    capacity = serializers.SerializerMethodField(help_text="A mentor's; null for the other roles.")
    accepting_requests = serializers.SerializerMethodField(help_text="A mentor's; null for the other roles.")

    def get_capacity(self, membership) -> int | None:
        return membership.capacity if membership.role == "mentor" else None

    def get_accepting_requests(self, membership) -> bool | None:
        return membership.accepting_requests if membership.role == "mentor" else None


class UnreadInMentorshipOutput(serializers.Serializer):
    mentorship = serializers.IntegerField()
    messages = serializers.IntegerField()


class UnreadOutput(serializers.Serializer):
    messages = serializers.IntegerField(help_text="Messages waiting unread across the mentorships you are in.")
    mentorships = UnreadInMentorshipOutput(many=True, help_text="Those with unread messages, and how many.")


@extend_schema_serializer(component_name="Me")
class MeOutput(MeAccountOutput):
    """One shape for everyone: the account, the one profile (both sides) and the memberships."""

    headline = serializers.CharField(source="profile.headline")
    bio = serializers.CharField(source="profile.bio")
    industry = serializers.StringRelatedField(source="profile.industry", allow_null=True)
    skills = serializers.StringRelatedField(
        source="profile.skills",
        many=True,
        help_text="What you can teach (for every account: a mentee's skills to grow are `wanted_skills`).",
    )
    suggested_skills = suggested_skills_field("skills")
    wanted_skills = serializers.StringRelatedField(
        source="profile.wanted_skills", many=True, help_text="What you want to grow."
    )
    suggested_wanted_skills = suggested_skills_field("wanted_skills")
    timezone = serializers.CharField(source="profile.timezone")
    languages = serializers.ListField(source="profile.languages", child=serializers.CharField())
    years_experience = serializers.IntegerField(source="profile.years_experience")
    capacity = serializers.SerializerMethodField(
        help_text="As a mentor of the default program; null when you are not an active mentor there."
    )
    accepting_requests = serializers.SerializerMethodField(
        help_text="As a mentor of the default program; null when you are not an active mentor there."
    )
    memberships = MeMembershipOutput(
        many=True, source="memberships.all", help_text="Your roles in programs, whatever their status."
    )
    calendar_url = serializers.SerializerMethodField(
        help_text="Your meetings as a calendar feed to subscribe to. Keep it private: whoever has it reads them; "
        "`POST me/calendar/reset/` makes a new one."
    )

    unread = serializers.SerializerMethodField()

    @extend_schema_field(UnreadOutput)
    def get_unread(self, user) -> dict:
        from mentorship.messages import unread_counts  # mentorship builds on accounts, not the other way

        counts = unread_counts(user=user)
        return {
            "messages": sum(counts.values()),
            "mentorships": [{"mentorship": pk, "messages": n} for pk, n in sorted(counts.items())],
        }

    def get_suggested_skills(self, user) -> list[str]:
        return suggested_skill_names(user.profile.skills.all())

    def get_calendar_url(self, user) -> str:
        return calendar_feed_url(user.profile)

    def get_suggested_wanted_skills(self, user) -> list[str]:
        return suggested_skill_names(user.profile.wanted_skills.all())

    def get_capacity(self, user) -> int | None:
        mentoring = mentoring_in_default_program(user)
        return mentoring.capacity if mentoring else None

    def get_accepting_requests(self, user) -> bool | None:
        mentoring = mentoring_in_default_program(user)
        return mentoring.accepting_requests if mentoring else None


class CalendarFeedOutput(serializers.Serializer):
    calendar_url = serializers.URLField()


def me_representation(user: User) -> dict:
    """`user` as selectors.user_with_profile reads it (with `email_pending` and the memberships)."""
    return MeOutput(user).data
