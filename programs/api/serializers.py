"""Input and output shapes of the programs API. Validation of form here; rules and writes in programs.services."""

from rest_framework import serializers

from accounts.api.serializers import StrictInputSerializer
from accounts.models import MAX_CAPACITY
from config.api import MultiLineField, SingleLineField
from programs.models import (
    MAX_CADENCE_DAYS,
    MAX_MENTEE_LIMIT,
    MAX_REQUEST_EXPIRY_DAYS,
    Membership,
    Program,
)
from programs.selectors import roles_in
from programs.services import PROGRAM_FIELDS

WEIGHT_NAMES = ("skills", "industry", "goals")
RESERVED_SLUGS = {"switch"}  # /programs/switch/ is the switcher, not a program's page


class WeightsField(serializers.DictField):
    """A new round's default weights: `{skills, industry, goals}`, each from 0 to 100, not all 0."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.FloatField(min_value=0, max_value=100), **kwargs)

    def to_internal_value(self, data):
        weights = super().to_internal_value(data)
        unknown = sorted(set(weights) - set(WEIGHT_NAMES))
        if unknown:
            raise serializers.ValidationError(f"Unknown weights: {', '.join(unknown)}; give {', '.join(WEIGHT_NAMES)}.")
        missing = [name for name in WEIGHT_NAMES if name not in weights]
        if missing:
            raise serializers.ValidationError(f"Missing weights: {', '.join(missing)}.")
        if not any(weights.values()):
            raise serializers.ValidationError("At least one weight must be above 0.")
        return weights


class ProgramOutput(serializers.ModelSerializer):
    my_roles = serializers.SerializerMethodField(help_text="The roles the caller holds actively in the program.")
    ended = serializers.SerializerMethodField(help_text="A cohort past `ends_on`: no new joins, requests or rounds.")

    class Meta:
        model = Program
        fields = ["slug", *PROGRAM_FIELDS, "my_roles", "ended"]  # the settings the services change, one list

    def get_my_roles(self, program) -> list[str]:
        request = self.context.get("request")
        return sorted(roles_in(request.user, program)) if request else []

    def get_ended(self, program) -> bool:
        return program.has_ended()


class ProgramUpdateInput(StrictInputSerializer):
    name = SingleLineField(max_length=120)
    description = MultiLineField(max_length=4000, allow_blank=True)
    format = serializers.ChoiceField(choices=Program.Format.choices)
    kind = serializers.ChoiceField(choices=Program.Kind.choices)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    enrollment = serializers.ChoiceField(choices=Program.Enrollment.choices)
    mentor_approval = serializers.BooleanField()
    session_cadence_days = serializers.IntegerField(min_value=1, max_value=MAX_CADENCE_DAYS)
    mentee_limit = serializers.IntegerField(min_value=1, max_value=MAX_MENTEE_LIMIT)
    request_expiry_days = serializers.IntegerField(min_value=1, max_value=MAX_REQUEST_EXPIRY_DAYS)
    default_weights = WeightsField()


class ProgramCreateInput(ProgramUpdateInput):
    slug = serializers.SlugField(max_length=50, help_text="The program's name in URLs; it never changes.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # only the slug and the name are needed: the rest has defaults
            field.required = name in ("slug", "name")

    def validate_slug(self, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise serializers.ValidationError(f'"{value}" names a page of its own; choose another slug.')
        return value


class ProgramMembershipOutput(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "program", "role", "status", "capacity", "accepting_requests"]


class JoinInput(StrictInputSerializer):
    role = serializers.ChoiceField(
        choices=[Membership.Role.MENTOR, Membership.Role.MENTEE, Membership.Role.PEER],
        help_text="peer in a peer program; mentor or mentee otherwise.",
    )
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY, required=False)


class OwnMembershipInput(StrictInputSerializer):
    role = serializers.ChoiceField(
        choices=Membership.Role.choices,
        required=False,
        help_text="Which of your memberships there (needed when you hold several).",
    )
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY, required=False)
    accepting_requests = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(
        choices=[Membership.Status.LEFT], required=False, help_text="`left`: leave the program in that role."
    )


class MemberUserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()


class MemberOutput(ProgramMembershipOutput):
    user = MemberUserOutput()
    joined_at = serializers.DateTimeField(source="created_at")

    class Meta(ProgramMembershipOutput.Meta):
        fields = [*ProgramMembershipOutput.Meta.fields, "user", "joined_at"]


class MemberAddInput(StrictInputSerializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    full_name = SingleLineField(max_length=150, required=False, allow_blank=True)


class MemberUpdateInput(StrictInputSerializer):
    status = serializers.ChoiceField(
        choices=[Membership.Status.ACTIVE, Membership.Status.REMOVED],
        required=False,
        help_text="`active` approves a pending member (or takes a removed one back); `removed` deactivates.",
    )
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY, required=False)


class InvitationAcceptInput(StrictInputSerializer):
    token = serializers.CharField(max_length=100, help_text="The token of the emailed link /invitations/<token>/.")
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
