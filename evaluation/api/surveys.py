"""Surveys over the API: a program's admins create them (from scratch or a ready-made template), edit them until
someone answers, close them and read their anonymous results (JSON or CSV); the people asked read what waits for
them and answer, once. An admin of another program is answered 404, as if the program were not there."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import StrictInputSerializer
from config.api import ErrorsAsJSONMixin, Router, SingleLineField
from config.schema import VALIDATION_ERROR, ConflictDetail
from config.spreadsheets import CSVRenderer
from evaluation import survey_results, survey_selectors, surveys
from evaluation.models import Survey, SurveyInvitation, SurveyQuestion
from evaluation.period import period_parse
from evaluation.survey_templates import TEMPLATES
from matching.api.views import AdministeredProgramMixin

CONFLICT = {409: ConflictDetail}


# --- Serializers -------------------------------------------------------------------------------------------


class QuestionInput(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=SurveyQuestion.Kind.choices)
    text = SingleLineField(max_length=300)
    choices = serializers.ListField(
        child=SingleLineField(max_length=200),
        required=False,
        max_length=surveys.MAX_CHOICES,
        help_text="A choice question's choices, in order (at least two); none for the other kinds.",
    )
    required = serializers.BooleanField(default=True)


class SurveyInput(StrictInputSerializer):
    title = SingleLineField(max_length=200)
    audience = serializers.ChoiceField(choices=Survey.Audience.choices)
    trigger = serializers.ChoiceField(choices=Survey.Trigger.choices)
    trigger_date = serializers.DateField(required=False, allow_null=True, help_text="For `on_date`.")
    trigger_days = serializers.IntegerField(
        min_value=1, max_value=3650, required=False, allow_null=True, help_text="For `days_after_start`."
    )
    min_responses = serializers.IntegerField(
        min_value=2, max_value=1000, required=False, help_text="No result for a group smaller than this (default 5)."
    )
    questions = serializers.ListField(child=QuestionInput(), min_length=1, max_length=surveys.MAX_QUESTIONS)


class TemplateInput(StrictInputSerializer):
    template = serializers.ChoiceField(
        choices=[(t.key, t.title) for t in TEMPLATES.values()],
        help_text="`midpoint`: some days after a mentorship starts; `closing`: when it completes.",
    )
    audience = serializers.ChoiceField(choices=Survey.Audience.choices, default=Survey.Audience.ALL)


class QuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    required = serializers.BooleanField()


class SurveyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    audience = serializers.CharField()
    trigger = serializers.CharField()
    trigger_date = serializers.DateField(allow_null=True)
    trigger_days = serializers.IntegerField(allow_null=True)
    min_responses = serializers.IntegerField()
    closed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    invited = serializers.IntegerField(help_text="People asked so far.")
    answered = serializers.IntegerField(help_text="People who answered (not who: see the results for what).")
    questions = QuestionOutput(many=True)


class PendingOutput(serializers.Serializer):
    id = serializers.IntegerField(source="survey.pk", help_text="The survey's id: answer at /surveys/{id}/responses/.")
    title = serializers.CharField(source="survey.title")
    program = serializers.CharField(source="survey.program.slug")
    asked_at = serializers.DateTimeField(source="created_at")
    questions = QuestionOutput(source="survey.questions.all", many=True)


class AnswerInput(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, help_text="A question of this survey.")
    value = serializers.JSONField(
        help_text="Likert: 1 (strongly disagree) to 5 (strongly agree); choice: one of its choices; text: any text. "
        "Null or absent for an optional question left out."
    )


class ResponseInput(serializers.Serializer):
    answers = AnswerInput(many=True)


class ResponseOutput(serializers.Serializer):
    survey = serializers.IntegerField(source="survey_id")
    submitted_on = serializers.DateField()


class ShareOutput(serializers.Serializer):
    value = serializers.CharField(help_text="A Likert point (1..5) or a choice.")
    count = serializers.IntegerField()


class QuestionResultOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    withheld = serializers.BooleanField(help_text="Answered by fewer than the minimum: no figure at all.")
    count = serializers.IntegerField(allow_null=True, help_text="Answers; null while withheld.")
    mean = serializers.FloatField(allow_null=True, help_text="Likert only.")
    distribution = ShareOutput(many=True, allow_null=True, help_text="Likert and choice: every value, in order.")
    answers = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="Free text, without names, in alphabetical order."
    )


class ResultsOutput(serializers.Serializer):
    survey = serializers.IntegerField(source="survey.pk")
    responses = serializers.IntegerField(help_text="People in the group asked for (side, period) who answered.")
    withheld = serializers.BooleanField(help_text="Fewer responses than the survey's minimum: nothing but the count.")
    message = serializers.CharField(allow_blank=True, help_text="Why something is withheld.")
    questions = QuestionResultOutput(many=True)


# --- Views -------------------------------------------------------------------------------------------------


class ProgramSurveyViewSet(
    AdministeredProgramMixin,
    ErrorsAsJSONMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Survey.objects.none()  # for the schema; get_queryset() reads
    serializer_class = SurveyOutput

    def get_queryset(self):
        return survey_selectors.survey_list(self.program)

    def _answer(self, survey: Survey, code: int = status.HTTP_200_OK) -> Response:
        return Response(SurveyOutput(self.get_queryset().get(pk=survey.pk)).data, status=code)

    @extend_schema(request=SurveyInput, responses={201: SurveyOutput})
    def create(self, request, program=None):
        """A survey with its questions, asked of `audience` when `trigger` comes (the beat invites and tells them)."""
        data = SurveyInput(data=request.data)
        data.is_valid(raise_exception=True)
        survey = surveys.survey_create(program=self.program, created_by=request.user, **data.validated_data)
        return self._answer(survey, status.HTTP_201_CREATED)

    @extend_schema(request=SurveyInput(partial=True), responses={200: SurveyOutput, **CONFLICT})
    def partial_update(self, request, pk=None, program=None):
        """Change a survey (`questions`, when given, replaces them all). Once anyone answered, only its `title`:
        409 `survey_answered`."""
        survey = self.get_object()
        data = SurveyInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        survey = surveys.survey_update(survey_id=survey.pk, program=self.program, changes=dict(data.validated_data))
        return self._answer(survey)

    @extend_schema(request=TemplateInput, responses={201: SurveyOutput})
    @action(detail=False, methods=["post"], url_path="from-template")
    def from_template(self, request, program=None):
        """One of the ready-made surveys in a click: `midpoint` (45 days after a mentorship starts) or `closing`
        (when it completes), about goals, meetings, the relationship, skills gained and recommending it."""
        data = TemplateInput(data=request.data)
        data.is_valid(raise_exception=True)
        survey = surveys.survey_from_template(program=self.program, created_by=request.user, **data.validated_data)
        return self._answer(survey, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: SurveyOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, program=None):
        """No more invitations or answers: 409 `survey_closed` if it already is."""
        survey = surveys.survey_close(survey_id=self.get_object().pk, program=self.program)
        return self._answer(survey)

    @extend_schema(
        parameters=[
            OpenApiParameter("side", str, enum=list(survey_results.SIDE_FILTERS), description="Only one side's."),
            OpenApiParameter("from", str, description="Answers from this day (YYYY-MM-DD)."),
            OpenApiParameter("to", str, description="Answers up to this day (YYYY-MM-DD), on or after `from`."),
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv: the aggregates as a spreadsheet"),
        ],
        responses={
            (200, "application/json"): ResultsOutput,
            (200, "text/csv"): OpenApiResponse(str),
            400: VALIDATION_ERROR,  # a filter that is not one (`side`, `from` after `to`)
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, CSVRenderer])
    def results(self, request, pk=None, program=None):
        """Each question's count, mean (Likert), distribution (Likert, choice) and free text (unnamed). A group of
        fewer respondents than the survey's minimum, whatever the filters, shows its count and nothing else."""
        survey = self.get_object()
        side = request.query_params.get("side") or ""
        if side and side not in survey_results.SIDE_FILTERS:
            raise ValidationError({"side": [f"One of: {', '.join(survey_results.SIDE_FILTERS)}."]})
        period = period_parse(request.query_params)
        results = survey_results.survey_results(survey, side=survey_results.SIDE_FILTERS.get(side), period=period)
        if request.accepted_renderer.format == "csv":
            filename = f"survey-{survey.pk}-results.csv"
            return Response(
                survey_results.results_rows(results),
                headers={"Content-Disposition": f'attachment; filename="{filename}"'},
            )
        return Response(ResultsOutput(results).data)


class PendingSurveysView(generics.ListAPIView):
    """The surveys waiting for your answer, the newest first, with their questions."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PendingOutput
    queryset = SurveyInvitation.objects.none()  # for the schema

    def get_queryset(self):
        return survey_selectors.surveys_pending(self.request.user).prefetch_related("survey__questions")


class SurveyResponseView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ResponseInput, responses={201: ResponseOutput, **CONFLICT})
    def post(self, request, pk=None):
        """Answer a survey you were asked, once (409 `already_answered`; 409 `survey_closed`; 404 for a survey you
        were not asked). A question's trouble is a 400 keyed `answers.<question id>` (off the scale, not a choice,
        not in this survey, a required one missing); `answers` for a list that is not one."""
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["A JSON object: {answers: [...]}."]})
        response = surveys.survey_answer(survey_id=pk, user=request.user, answers=request.data.get("answers"))
        return Response(ResponseOutput(response).data, status=status.HTTP_201_CREATED)


router = Router()
router.register("programs/<slug:program>/surveys", ProgramSurveyViewSet, basename="program-survey")

urlpatterns = [
    path("surveys/pending/", PendingSurveysView.as_view(), name="survey-pending"),
    path("surveys/<id:pk>/responses/", SurveyResponseView.as_view(), name="survey-responses"),
    *router.urls,
]
