"""Mentorship API: each view finds the object among those the caller may see (404 otherwise), validates the
body, calls one service, and serializes the result. The services decide who may act (403) and when (409)."""

from functools import cached_property

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from accounts.directory import directory_cached
from accounts.models import Skill
from config.schema import ConflictDetail, ErrorDetail
from mentorship import goals, relationships, selectors, services
from mentorship.api import serializers as s
from mentorship.api.filters import MentorFilter, PeerFilter
from mentorship.models import Goal, Mentorship, MentorshipRequest, Milestone, Session
from programs.api.scope import PROGRAM_KWARG, ProgramScopedMixin
from programs.models import DEFAULT_PROGRAM_SLUG, Membership, Program
from programs.selectors import program_default, program_of_peer, programs_visible_to

CONFLICT = {409: ConflictDetail}


def _status_filter(model, *, in_programs: bool = False) -> type[django_filters.FilterSet]:
    """`?status=` among the model's statuses (anything else is a 400); and `?program=<slug>` for the personal
    lists that span a person's programs."""
    meta = type("Meta", (), {"model": model, "fields": ["status"]})
    fields = {"Meta": meta}
    if in_programs:
        fields["program"] = django_filters.CharFilter(
            field_name="program__slug", max_length=50, help_text="Only those of the program with this slug."
        )
    return type(f"{model.__name__}StatusFilter", (django_filters.FilterSet,), fields)


def _program_named(user, slug: str | None) -> Program:
    """The program a request body names (the default one when it names none); one the caller may not see is a
    400 on the field, as an unknown mentor is."""
    if slug is None:
        return program_default()
    program = programs_visible_to(user).filter(slug=slug).first()
    if program is None:
        raise ValidationError({"program": [f"No program “{slug}”."]})
    return program


@extend_schema_view(
    list=extend_schema(
        description="The program's mentor directory (the default program's on the flat path): filter by skills, "
        "industry, words and availability. Only active mentors whose profile has a headline or bio, a skill and an "
        "industry are listed."
    ),
    retrieve=extend_schema(description="One listed mentor of the program, with `open_slots` there."),
)
class MentorViewSet(ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Membership.objects.none()  # for the schema; get_queryset() scopes to the program
    serializer_class = s.MentorOutput
    filterset_class = MentorFilter
    lookup_field = "user_id"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        if self.action == "retrieve":  # any active mentor of the program: one may ask them, listed or not
            return selectors.mentor_seats(self.program).prefetch_related(
                Prefetch("user__profile__skills", queryset=Skill.objects.approved())
            )
        return selectors.mentor_directory_listing(self.program)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "json":  # the browsable API renders its page around the answer
            return super().list(request, *args, **kwargs)
        # Kept as the JSON sent, keyed by the program and the whole address: the page's links are absolute. A
        # nested path checks first that the caller may see its program; the flat one is the default program's,
        # named without a query, so that a kept answer costs nothing.
        slug = self.program.slug if PROGRAM_KWARG in self.kwargs else DEFAULT_PROGRAM_SLUG
        body = directory_cached(
            f"api:{slug}:{request.build_absolute_uri()}",
            lambda: request.accepted_renderer.render(super(MentorViewSet, self).list(request, *args, **kwargs).data),
        )
        return HttpResponse(body, content_type=request.accepted_renderer.media_type)


@extend_schema_view(
    list=extend_schema(
        description="A peer program's active peers but you, by name: whom you may ask to pair up (`POST /requests/` "
        "with `peer`). Each has `partners` and `open_slots` under the program's `mentee_limit`, and "
        "`paired_with_me`. Filter by skills they can teach (`skill`) or want to grow (`wanted_skill`), industry, "
        "language, words (`q`, the best matches first) and room (`open=true`). The program's peers and admins "
        "(site staff for any program) only: 404 for anyone else."
    ),
)
class PeerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Membership.objects.none()  # for the schema; get_queryset() scopes to the program
    serializer_class = s.PeerOutput
    filterset_class = PeerFilter

    @cached_property
    def program(self) -> Program:
        return program_of_peer(self.request.user, self.kwargs[PROGRAM_KWARG])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.peer_directory(self.program, viewer=self.request.user)


class _RequestSendThrottle(UserRateThrottle):
    """Each request sent emails a mentor: a mentee sends at most THROTTLE_REQUESTS of them. Answers are not
    limited."""

    scope = "request"

    def allow_request(self, request, view):
        return view.action != "create" or super().allow_request(request, view)


class RequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A person sees the requests they sent and received in all their programs, program admins those of their
    programs, site staff all."""

    queryset = MentorshipRequest.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = s.RequestOutput
    filterset_class = _status_filter(MentorshipRequest, in_programs=True)
    throttle_classes = [_RequestSendThrottle]

    def get_queryset(self):
        return selectors.request_list_for(user=self.request.user)

    def _respond(self, request_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.RequestOutput(self.get_queryset().get(pk=request_id)).data, status=code)

    @extend_schema(
        request=s.RequestCreateInput,
        responses={201: s.RequestOutput, **CONFLICT, 429: ErrorDetail},
        description="Ask a mentor of `program` (the default program when omitted), or in a peer program a peer "
        "(`peer` instead of `mentor`; `mentor` there is a 400 naming `role`). 400 naming `mentor` (or `peer`) when "
        "they are not active there; 409 `program_ended` after a cohort; 409 `request_cooldown` (with "
        "`retry_after`) for someone one withdrew a request to within REQUEST_COOLDOWN_HOURS; peers: 409 "
        "`already_paired`, `peer_full`; 429 beyond THROTTLE_REQUESTS requests sent.",
    )
    def create(self, request):
        data = s.RequestCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        program = _program_named(request.user, fields.get("program"))
        common = {"program": program, "message": fields["message"], "goal_ids": fields["goals"]}
        if fields.get("peer") is not None:
            created = services.peer_request_create(asker=request.user, peer_id=fields["peer"], **common)
        else:
            created = services.request_create(mentee=request.user, mentor_id=fields["mentor"], **common)
        return self._respond(created.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.RequestOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The person asked accepts: the mentorship starts, or they join the mentor's circle (see `mentorship` in the
        answer). A match round's peer proposal starts once both peers accept (`sender_accepted_at`,
        `recipient_accepted_at`)."""
        services.request_accept(request_id=self.get_object().pk, by=request.user)
        return self._respond(pk)

    @extend_schema(request=s.RequestDeclineInput, responses={200: s.RequestOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        target = self.get_object()
        data = s.RequestDeclineInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_decline(
            request_id=target.pk,
            by=request.user,
            reason=data.validated_data["reason"],
            note=data.validated_data["note"],
        )
        return self._respond(pk)

    @extend_schema(request=None, responses={200: s.RequestOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        services.request_withdraw(request_id=self.get_object().pk, mentee=request.user)
        return self._respond(pk)


class MentorshipViewSet(viewsets.ReadOnlyModelViewSet):
    """A mentorship's people see it (a circle's members, also those who left it); its program's admins and site
    staff too."""

    queryset = Mentorship.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = s.MentorshipOutput
    filterset_class = _status_filter(Mentorship, in_programs=True)

    def get_queryset(self):
        return selectors.mentorship_list_for(user=self.request.user)

    @extend_schema(request=None, responses={200: s.MentorshipOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Either person ends a one-on-one or a peer pair; a circle's mentor closes the circle. Slots are free
        again."""
        relationships.mentorship_complete(mentorship_id=self.get_object().pk, user=request.user)
        return Response(s.MentorshipOutput(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses={200: s.MentorshipOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """A member leaves a group circle, which goes on; 409 `not_a_circle` for other formats (complete them)."""
        relationships.member_leave(mentorship_id=self.get_object().pk, user=request.user)
        return Response(s.MentorshipOutput(self.get_queryset().get(pk=pk)).data)


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The sessions of one mentorship: its people read them, the mentor (in a peer pair, either peer) logs them,
    everyone who came rates them, and the mentor rates the progress on the goals they worked on."""

    queryset = Session.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = s.SessionOutput

    def mentorship(self) -> Mentorship:
        if not hasattr(self, "_mentorship"):
            visible = selectors.mentorships_visible_to(user=self.request.user).select_related("program")
            self._mentorship = get_object_or_404(visible, pk=self.kwargs["mentorship_pk"])
        return self._mentorship

    def get_queryset(self):
        return selectors.session_list(mentorship=self.mentorship())

    def get_serializer_context(self):
        # Comments and progress ratings are shown by who reads them (relationships.comment_visible).
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {
            **context,
            "viewer": self.request.user,
            "confidential": relationships.reads_confidential(self.mentorship(), self.request.user),
        }

    @extend_schema(request=s.SessionInput, responses={201: s.SessionOutput, **CONFLICT})
    def create(self, request, mentorship_pk=None):
        mentorship = self.mentorship()
        data = s.SessionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        session = relationships.session_log(
            mentorship=mentorship,
            author=request.user,
            goal_ids=fields.pop("goals"),
            attendee_ids=fields.pop("attendees", None),
            **fields,
        )
        return Response(
            s.SessionOutput(self.get_queryset().get(pk=session.pk), context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.FeedbackInput, responses={201: s.FeedbackOutput, **CONFLICT})
    @action(detail=True, methods=["post"])
    def feedback(self, request, mentorship_pk=None, pk=None):
        """Everyone who came rates the session, once (409 `already_rated`): the mentor and each attending member.
        The comment stays between its author and the program's admins unless `shared`."""
        session = self.get_object()
        data = s.FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = relationships.feedback_give(session=session, author=request.user, **data.validated_data)
        return Response(
            s.FeedbackOutput(feedback, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.ProgressInput, responses={201: s.ProgressOutput(many=True), **CONFLICT})
    @action(detail=True, methods=["post"])
    def progress(self, request, mentorship_pk=None, pk=None):
        """The mentor rates the progress on goals the session worked on, 1..5 with a note (in a peer pair, each
        peer their partner's goals): 403 for anyone else; 400 for a goal not worked on in it; 409
        `already_rated` for a goal rated for this session already (nothing is saved)."""
        session = self.get_object()
        data = s.ProgressInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = relationships.progress_rate(session=session, rater=request.user, ratings=data.validated_data["ratings"])
        return Response(s.ProgressOutput(rows, many=True).data, status=status.HTTP_201_CREATED)


class GoalViewSet(viewsets.ModelViewSet):
    """A mentee's goals: the mentee owns them, their active mentor reads them, program admins read all."""

    queryset = Goal.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = s.GoalOutput
    filterset_class = _status_filter(Goal)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.goal_list_for(user=self.request.user)

    def _respond(self, goal_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.GoalOutput(self.get_queryset().get(pk=goal_id)).data, status=code)

    @extend_schema(request=s.GoalInput, responses={201: s.GoalOutput})
    def create(self, request):
        data = s.GoalInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = goals.goal_create(mentee=request.user, **data.validated_data)
        return self._respond(goal.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.GoalInput, responses={200: s.GoalOutput})
    def partial_update(self, request, pk=None):
        goal = self.get_object()
        data = s.GoalInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        goals.goal_update(goal=goal, user=request.user, changes=data.validated_data)
        return self._respond(goal.pk)

    def destroy(self, request, pk=None):
        goals.goal_delete(goal=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MilestoneViewSet(viewsets.ModelViewSet):
    """The milestones of one goal; the goal's progress is the share of them done."""

    queryset = Milestone.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = s.MilestoneOutput
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def goal(self) -> Goal:
        return get_object_or_404(selectors.goals_visible_to(user=self.request.user), pk=self.kwargs["goal_pk"])

    def get_queryset(self):
        return selectors.milestone_list(goal=self.goal())

    @extend_schema(request=s.MilestoneInput, responses={201: s.MilestoneOutput})
    def create(self, request, goal_pk=None):
        goal = self.goal()
        data = s.MilestoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = goals.milestone_create(goal=goal, user=request.user, **data.validated_data)
        return Response(s.MilestoneOutput(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MilestoneInput, responses={200: s.MilestoneOutput})
    def partial_update(self, request, goal_pk=None, pk=None):
        milestone = self.get_object()
        data = s.MilestoneInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        milestone = goals.milestone_update(milestone=milestone, user=request.user, changes=data.validated_data)
        return Response(s.MilestoneOutput(milestone).data)

    def destroy(self, request, goal_pk=None, pk=None):
        goals.milestone_delete(milestone=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
