"""Input and output shapes of the accounts API. Validation of form here; rules and writes in services."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from accounts.models import MAX_CAPACITY, MAX_YEARS_EXPERIENCE, TERM_MAX_LENGTH, Skill, User
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
    role = serializers.ChoiceField(choices=User.Role.choices)
    full_name = SingleLineField(max_length=150)


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


class _AccountInput(StrictInputSerializer):
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


class _ProfileInput(_AccountInput):
    bio = MultiLineField(max_length=4000, allow_blank=True)
    industry = TaxonomyRefField(allow_null=True, help_text="One of `industries/`, by id or name.")
    skills = serializers.ListField(child=TaxonomyRefField(), max_length=MAX_SKILLS_PER_PROFILE, help_text=SKILLS_HELP)
    timezone = serializers.CharField(max_length=64)


class AdminMeInput(_AccountInput):
    pass


class MenteeMeInput(_ProfileInput):
    skills = serializers.ListField(
        child=TaxonomyRefField(), max_length=MAX_SKILLS_PER_PROFILE, help_text="Skills you want to grow. " + SKILLS_HELP
    )


class MentorMeInput(_ProfileInput):
    headline = SingleLineField(max_length=160, allow_blank=True)
    years_experience = serializers.IntegerField(min_value=0, max_value=MAX_YEARS_EXPERIENCE)
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY)
    accepting_requests = serializers.BooleanField()


def me_input_for(user: User) -> type[_AccountInput]:
    if user.is_mentor:
        return MentorMeInput
    if user.is_mentee:
        return MenteeMeInput
    return AdminMeInput


class AccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField(help_text='"mentee", "mentor", or "" for a program admin.')
    is_program_admin = serializers.BooleanField()
    date_joined = serializers.DateTimeField()


class MeAccountOutput(AccountOutput):
    email_pending = serializers.EmailField(
        allow_null=True,
        help_text="The new address asked for, until the link emailed to it is followed (`email` stays the account's "
        "until then); null when no change is pending.",
    )


def suggested_skills_field() -> serializers.SerializerMethodField:
    return serializers.SerializerMethodField(
        help_text="Those of `skills` that are suggestions waiting for a program admin's review: only you (and "
        "admins) see them until one approves them."
    )


class _ProfileOutput(serializers.Serializer):
    bio = serializers.CharField()
    industry = serializers.StringRelatedField(allow_null=True)
    skills = serializers.StringRelatedField(many=True)
    suggested_skills = suggested_skills_field()
    timezone = serializers.CharField()

    def get_suggested_skills(self, profile) -> list[str]:
        return suggested_skill_names(profile.skills.all())


class MenteeProfileOutput(_ProfileOutput):
    pass


class MentorProfileOutput(_ProfileOutput):
    headline = serializers.CharField()
    years_experience = serializers.IntegerField()
    capacity = serializers.IntegerField()
    accepting_requests = serializers.BooleanField()


# The shapes of `/me/` per role, for the schema: the account's fields and the role profile's, side by side.
def _pinned_role(value: str) -> serializers.CharField:
    """A `role` whose schema allows one value, so that exactly one /me/ shape describes any answer."""
    field_class = type(f"Role{value.title() or 'Admin'}Field", (serializers.CharField,), {})
    # "" cannot be an enum here (the schema generator moves blank choices out), so an admin's is maxLength 0.
    schema = {"type": "string", "enum": [value]} if value else {"type": "string", "maxLength": 0}
    return extend_schema_field(schema)(field_class)()


class AdminMeOutput(MeAccountOutput):
    role = _pinned_role("")


class MenteeMeOutput(MeAccountOutput, MenteeProfileOutput):
    role = _pinned_role("mentee")


class MentorMeOutput(MeAccountOutput, MentorProfileOutput):
    role = _pinned_role("mentor")


ME_OUTPUT_SCHEMA = PolymorphicProxySerializer(
    component_name="Me",
    serializers=[MentorMeOutput, MenteeMeOutput, AdminMeOutput],
    resource_type_field_name=None,
)
ME_INPUT_SCHEMA = PolymorphicProxySerializer(
    component_name="MeUpdate",
    serializers=[MentorMeInput, MenteeMeInput, AdminMeInput],
    resource_type_field_name=None,
)


def me_representation(user: User) -> dict:
    """`user` as selectors.user_with_profile reads it (with `email_pending`)."""
    data = dict(MeAccountOutput(user).data)
    if user.is_mentor:
        data.update(MentorProfileOutput(user.mentor_profile).data)
    elif user.is_mentee:
        data.update(MenteeProfileOutput(user.mentee_profile).data)
    return data
