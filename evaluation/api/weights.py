"""Weights fitted to a program's outcomes (its admins): POST fits and answers the comparison; applying them is
the program's own PATCH (`default_weights`), which records the change as every settings change is recorded."""

from functools import cached_property

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import IsProgramAdmin
from evaluation import weights
from matching.engine import calibration
from programs.api.scope import PROGRAM_KWARG
from programs.models import Program
from programs.selectors import program_administered_by


class WeightsAndAuc(serializers.Serializer):
    weights = serializers.DictField(child=serializers.FloatField(), help_text="By block: skills, industry, goals.")
    auc = serializers.FloatField(
        help_text="Held out (cross-validated): the chance that these weights score a good pair above a poor one."
    )


class WeightFitOutput(serializers.Serializer):
    pairs = serializers.IntegerField(help_text="Past proposed pairs with an outcome.")
    good = serializers.IntegerField()
    poor = serializers.IntegerField()
    folds = serializers.IntegerField(help_text="Cross-validation folds the AUCs are averaged over.")
    blocks = serializers.ListField(child=serializers.CharField())
    current = WeightsAndAuc(help_text="The program's default weights (its next round's).")
    fitted = WeightsAndAuc(help_text="Summing as the current ones do; PATCH them as the program's default_weights.")
    better = serializers.BooleanField(help_text="The fitted weights ranked held-out pairs better than the current.")
    zeroed = serializers.ListField(
        child=serializers.CharField(), help_text="Blocks that went with poorer outcomes (or with none): weight 0."
    )
    summary = serializers.CharField()

    def to_representation(self, fit: calibration.WeightFit) -> dict:
        return {
            "pairs": fit.pairs,
            "good": fit.good,
            "poor": fit.poor,
            "folds": fit.folds,
            "blocks": list(fit.blocks),
            "current": {"weights": fit.current_weights, "auc": round(fit.current_auc, 4)},
            "fitted": {"weights": fit.fitted_weights, "auc": round(fit.fitted_auc, 4)},
            "better": fit.better,
            "zeroed": list(fit.zeroed),
            "summary": weights.fit_in_words(fit),
        }


TooLittleHistory = inline_serializer(
    "TooLittleHistory",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="`too_little_history`."),
        "pairs": serializers.IntegerField(help_text="Past proposed pairs with an outcome."),
        "good": serializers.IntegerField(),
        "poor": serializers.IntegerField(),
        "needed": inline_serializer(
            "HistoryNeeded",
            fields={"pairs": serializers.IntegerField(), "per_class": serializers.IntegerField()},
        ),
    },
)


class WeightsFitView(APIView):
    permission_classes = [IsProgramAdmin]

    @cached_property
    def program(self) -> Program:
        return program_administered_by(self.request.user, self.kwargs[PROGRAM_KWARG])

    @extend_schema(request=None, responses={200: WeightFitOutput, 409: TooLittleHistory})
    def post(self, request, program=None):
        """Fit the program's match weights to how its published rounds' pairs turned out (good: completed with 3
        sessions or more rated 4 or better; poor: declined, expired, or ended early or rated under 3) and compare
        them, held out, with its default weights. 409 `too_little_history` with the counts and what is needed."""
        return Response(WeightFitOutput(weights.weights_fit(program=self.program)).data)


urlpatterns = [
    path("programs/<slug:program>/weights/fit/", WeightsFitView.as_view(), name="program-weights-fit"),
]
