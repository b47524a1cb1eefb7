"""A mentorship's skill ratings: its people read and write them (404 for anyone else, a program admin too: the
report shows admins the averages, not a person's levels)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import StrictInputSerializer
from config.api import IdField
from config.inputs import MAX_ID
from config.schema import ConflictDetail
from evaluation import skills
from evaluation.models import LEVEL_HIGH, LEVEL_LOW, SkillRating
from mentorship import selectors
from mentorship.api.serializers import PersonOutput
from mentorship.models import Mentorship
from mentorship.participants import mentorships_participating

MAX_RATINGS = 100  # far more skills than anyone's goals name


class RatingInput(StrictInputSerializer):
    skill = IdField(help_text="One of the skills listed for this person here.")
    level = serializers.IntegerField(min_value=LEVEL_LOW, max_value=LEVEL_HIGH, help_text="1 Beginner … 5 Expert.")


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "skill": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        "level": {"type": "integer", "minimum": LEVEL_LOW, "maximum": LEVEL_HIGH},
                    },
                    "required": ["skill", "level"],
                    "additionalProperties": False,
                },
                "maxItems": MAX_RATINGS,
            },
            {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": LEVEL_LOW, "maximum": LEVEL_HIGH},
                "maxProperties": MAX_RATINGS,
            },
        ]
    }
)
class RatingsField(serializers.Field):
    """`[{skill, level}, …]`, or `{"<skill id>": level, …}` (what a page's form of radio buttons sends). Read as a
    list of (skill id, level), each skill once."""

    default_error_messages = {
        "shape": "A list of skills with their levels, or an object of skill ids to levels.",
        "too_many": f"At most {MAX_RATINGS} skills at once.",
        "twice": "Each skill once.",
    }

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = [{"skill": skill, "level": level} for skill, level in data.items()]
        if not isinstance(data, list):
            self.fail("shape")
        if len(data) > MAX_RATINGS:
            self.fail("too_many")
        items = RatingInput(data=data, many=True)
        items.is_valid(raise_exception=True)
        pairs = [(item["skill"], item["level"]) for item in items.validated_data]
        if len({skill for skill, _ in pairs}) != len(pairs):
            self.fail("twice")
        return pairs

    def to_representation(self, value):
        return [{"skill": skill, "level": level} for skill, level in value]


class SkillRatingsInput(StrictInputSerializer):
    subject = IdField(
        required=False,
        allow_null=True,
        help_text="Whose skills: by default your own (a one-on-one's mentee, for its mentor). A mentor names the "
        "member of a circle.",
    )
    stage = serializers.ChoiceField(choices=SkillRating.Stage.choices)
    ratings = RatingsField()


class RatedSkillOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LevelsOutput(serializers.Serializer):
    start = serializers.IntegerField(allow_null=True)
    completion = serializers.IntegerField(allow_null=True)
    gain = serializers.IntegerField(allow_null=True, help_text="Completion minus start, once both are rated.")


class SkillLineOutput(serializers.Serializer):
    skill = RatedSkillOutput()
    by_self = LevelsOutput()
    by_mentor = LevelsOutput(help_text="The mentor's ratings of this person (none in a peer pair).")


class SubjectOutput(serializers.Serializer):
    person = PersonOutput()
    can_rate = serializers.ListField(
        child=serializers.CharField(),
        help_text="The stages (`start`, `completion`) the caller may rate for this person now.",
    )
    skills = SkillLineOutput(many=True)


class StageOutput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=SkillRating.Stage.choices)
    open = serializers.BooleanField()
    closes_at = serializers.DateTimeField(allow_null=True)


class SkillRatingsOutput(serializers.Serializer):
    stages = StageOutput(many=True)
    subjects = SubjectOutput(many=True, help_text="The caller alone, or each member for the mentor.")


def _participating(request, pk: int) -> Mentorship:
    user = request.user
    inside = selectors.mentorship_list_for(user=user).filter(pk__in=mentorships_participating(user).values("pk"))
    return get_object_or_404(inside, pk=pk)


def representation(mentorship: Mentorship, viewer) -> dict:
    return SkillRatingsOutput(
        {
            "stages": [
                {
                    "stage": stage,
                    "open": skills.stage_is_open(mentorship, stage),
                    "closes_at": skills.stage_closes_at(mentorship, stage),
                }
                for stage in SkillRating.Stage.values
            ],
            "subjects": skills.skill_ratings_of(mentorship=mentorship, viewer=viewer),
        }
    ).data


class SkillRatingsView(APIView):
    @extend_schema(responses={200: SkillRatingsOutput})
    def get(self, request, mentorship_pk=None):
        return Response(representation(_participating(request, mentorship_pk), request.user))

    @extend_schema(
        request=SkillRatingsInput,
        responses={200: SkillRatingsOutput, 409: ConflictDetail},
        description="Rate skills at a stage; a level given before for the same skill and stage is replaced. The "
        "start is open while the mentorship runs; the completion for 30 days after it completed: else 409 "
        "`stage_closed`. 400 for a level outside 1–5 or a skill not among the person's; 403 for a member rating "
        "another member (peers rate only themselves).",
    )
    def put(self, request, mentorship_pk=None):
        mentorship = _participating(request, mentorship_pk)
        data = SkillRatingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        skills.skill_ratings_put(
            mentorship=mentorship,
            by=request.user,
            stage=data.validated_data["stage"],
            ratings=data.validated_data["ratings"],
            subject_id=data.validated_data.get("subject"),
        )
        return Response(representation(_participating(request, mentorship_pk), request.user))


urlpatterns = [
    path(
        "mentorships/<id:mentorship_pk>/skill-ratings/",
        SkillRatingsView.as_view(),
        name="mentorship-skill-ratings",
    ),
]
