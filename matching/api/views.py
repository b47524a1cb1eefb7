"""Match rounds and imports (a program's admins) and recommendations (its mentees): thin views over
matching's services. Each is registered flat (the default program, as before programs existed) and under
`programs/<slug:program>/`; an admin of another program is answered 404, as if the program were not there."""

from functools import cached_property

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.directory import directory_cached
from config.api import ErrorsAsJSONMixin, IsProgramAdmin
from config.inputs import clean_term, parse_whole_number
from config.schema import ConflictDetail
from matching import exports, imports, publishing, recommendations, review, rounds, selectors
from matching.api import serializers as s
from matching.api.renderers import ProposalCSVRenderer
from matching.models import MatchProposal, MatchRound
from mentorship.api.serializers import MentorOutput
from programs.api.scope import PROGRAM_KWARG, ProgramScopedMixin
from programs.models import Membership, Program
from programs.selectors import memberships_of, program_administered_by, program_default, roles_in

CONFLICT = {409: ConflictDetail}


class AdministeredProgramMixin(ProgramScopedMixin):
    """`self.program` is one the caller administers: anyone else is answered 403 by IsProgramAdmin (no program of
    theirs) or 404 here (an admin of another program learns nothing of this one). Site staff reach every one."""

    permission_classes = [IsProgramAdmin]

    @cached_property
    def program(self) -> Program:
        return program_administered_by(self.request.user, self.kwargs.get(PROGRAM_KWARG) or program_default().slug)


class MatchRoundViewSet(
    AdministeredProgramMixin,
    ErrorsAsJSONMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = MatchRound.objects.none()  # for the schema; get_queryset() reads
    serializer_class = s.RoundOutput

    def get_queryset(self):
        return selectors.round_list(self.program)

    @extend_schema(request=s.RoundCreateInput, responses={202: s.RoundOutput, **CONFLICT})
    def create(self, request, program=None):
        """Queue a round: 202 at once, the worker runs it; follow `status` and `progress`."""
        data = s.RoundCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        match_round = rounds.round_create(program=self.program, created_by=request.user, **data.validated_data)
        return Response(s.RoundOutput(self.get_queryset().get(pk=match_round.pk)).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv: every proposal, unpaginated")
        ],
        responses={(200, "application/json"): s.ProposalOutput(many=True), (200, "text/csv"): OpenApiResponse(str)},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ProposalCSVRenderer])
    def proposals(self, request, pk=None, program=None):
        """The round's proposals, best score first, with the reasons. `?format=csv` for a spreadsheet."""
        match_round = self.get_object()
        proposals = selectors.proposal_list(round_id=match_round.pk)
        if request.accepted_renderer.format == "csv":
            rows = exports.round_proposal_rows(match_round.pk)
            filename = f"match-round-{match_round.pk}.csv"
            return Response(list(rows), headers={"Content-Disposition": f'attachment; filename="{filename}"'})
        page = self.paginate_queryset(proposals)
        return self.get_paginated_response(s.ProposalOutput(page, many=True).data)

    @extend_schema(request=s.ProposalOverrideInput, responses={200: s.ProposalOutput, 409: s.OverrideConflict})
    @action(detail=True, methods=["patch"], url_path="proposals/<id:proposal_id>")
    def override(self, request, pk=None, proposal_id=None, program=None):
        """Propose another mentor to this mentee, one with a slot still open once this round's other proposals are
        counted (its `candidates/` lists them). A pair with warnings needs `confirm: true`."""
        match_round = self.get_object()
        get_object_or_404(MatchProposal, pk=proposal_id, round=match_round)
        data = s.ProposalOverrideInput(data=request.data)
        data.is_valid(raise_exception=True)
        rounds.proposal_override(
            proposal_id=proposal_id,
            mentor_id=data.validated_data["mentor"],
            by=request.user,
            confirm=data.validated_data["confirm"],
        )
        return Response(s.ProposalOutput(selectors.proposal_list(round_id=match_round.pk).get(pk=proposal_id)).data)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Only mentors whose name or username contains this.")],
        responses={200: s.CandidateOutput(many=True), **CONFLICT},
    )
    @action(detail=True, methods=["get"], url_path="proposals/<id:proposal_id>/candidates")
    def candidates(self, request, pk=None, proposal_id=None, program=None):
        """The mentors this proposal's mentee may be given instead, best score first: the program's mentors with a
        slot still open once this round's other proposals are counted, each with the new pair's score, reasons and
        warnings, before anything is saved. Never the proposal's own mentor, a pair excluded, or the mentee."""
        match_round = self.get_object()
        proposal = get_object_or_404(
            MatchProposal.objects.select_related("round__program"), pk=proposal_id, round=match_round
        )
        query = clean_term(request.query_params.get("q", ""), max_length=100, field="q")
        review.require_overridable(match_round)
        page = self.paginate_queryset(review.proposal_candidates(proposal=proposal, query=query))
        return self.get_paginated_response(s.CandidateOutput(page, many=True).data)

    @extend_schema(responses=s.UnmatchedOutput(many=True))
    @action(detail=True, methods=["get"])
    def unmatched(self, request, pk=None, program=None):
        """The mentees of the round's pool it proposed nobody to, by name, each with why (as of the run). Empty for
        a round run before the reasons were recorded: its `stats` has no `unmatched`."""
        match_round = self.get_object()
        page = self.paginate_queryset(selectors.unmatched_list(round_id=match_round.pk))
        return self.get_paginated_response(s.UnmatchedOutput(page, many=True, context={"round": match_round}).data)

    @extend_schema(request=None, responses={200: s.RoundOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None, program=None):
        """Turn the proposals that still hold today into pending requests for the mentors to accept, and tell both
        sides; the others are skipped, with their reasons (`stats.skipped_reasons`, `publish_report`). Exactly
        once; a round older than the program's request expiry is 409 `round_stale` (run it again)."""
        site_url = request.build_absolute_uri("/").rstrip("/")
        publishing.round_publish(round_id=self.get_object().pk, by=request.user, site_url=site_url)
        return Response(s.RoundOutput(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses={202: s.RoundOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None, program=None):
        """A new round with this one's settings over the program's pool of today (for a round too old to
        publish, or one that failed): 202 at once, as creating one."""
        match_round = rounds.round_rerun(round_id=self.get_object().pk, by=request.user)
        return Response(s.RoundOutput(self.get_queryset().get(pk=match_round.pk)).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: s.RoundOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, program=None):
        rounds.round_cancel(round_id=self.get_object().pk, by=request.user)
        return Response(s.RoundOutput(self.get_queryset().get(pk=pk)).data)


class RecommendedMentorsView(ProgramScopedMixin, APIView):
    @cached_property
    def program(self) -> Program:
        # A mentee of the default program has it among their memberships (read once per user): the flat path, asked
        # on every page load, then costs no query for it.
        if self.kwargs.get(PROGRAM_KWARG) is None:
            for membership in memberships_of(self.request.user):
                if membership.program.is_default:
                    return membership.program
        return super().program

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": recommendations.MAX_LIMIT},
                description=f"How many, 1 to {recommendations.MAX_LIMIT} (default 10).",
            )
        ],
        responses=s.RecommendedMentorOutput(many=True),
    )
    def get(self, request, program=None):
        """The program's mentors with an open slot ranked for the calling mentee, with the score and its reasons."""
        if Membership.Role.MENTEE not in roles_in(request.user, self.program):
            raise PermissionDenied("Recommendations are for the program's mentees.")
        raw = request.query_params.get("limit", "10")
        limit = parse_whole_number(raw, low=1, high=recommendations.MAX_LIMIT, field="limit")

        def ranked() -> list[dict]:
            found = recommendations.recommended_mentors(mentee=request.user, program=self.program, limit=limit)
            return [
                {"mentor": MentorOutput(r.mentor).data, "score": r.score, "explanation": r.explanation} for r in found
            ]

        if request.accepted_renderer.format != "json":  # the browsable API renders its page around the answer
            return Response(ranked())
        # Kept as the JSON sent until the directory or the mentee's side of the ranking changes.
        key = recommendations.ranking_cache_key(mentee=request.user, program=self.program, limit=limit)
        body = directory_cached(key, lambda: request.accepted_renderer.render(ranked()))
        return HttpResponse(body, content_type=request.accepted_renderer.media_type)


MAX_IMPORT_BYTES = 20 * 2**20


class ParticipantsImportView(AdministeredProgramMixin, APIView):
    """Import a program's mentors and mentees from a CSV file: all or nothing, every bad line reported."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.ImportInput},
        responses={
            200: s.ImportOutput,
            400: OpenApiResponse(
                response={
                    "type": "object",
                    "properties": {
                        "errors": {"type": "array", "items": {"type": "string"}},
                        "file": {"type": "array", "items": {"type": "string"}},
                        "detail": {"type": "string"},
                    },
                },
                description='`errors`: every bad line, as "line 7: email: Enter a valid email address."; `file`: no '
                "file, or one too large; `detail`: a body that is not a form. Nothing was imported.",
            ),
        },
    )
    def post(self, request, program=None):
        program = self.program  # an admin of another program learns nothing of this one, whatever they send
        data = s.ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError({"file": [f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB."]})
        report = imports.participants_import(
            csv_file=upload.read(),
            by=request.user,
            program=program,
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
        if report.errors:
            raise ValidationError({"errors": [str(error) for error in report.errors]})
        return Response(s.ImportOutput(report).data)
