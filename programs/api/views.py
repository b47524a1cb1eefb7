"""Programs API: thin views that validate, call a service or selector, and serialize."""

import django_filters
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.views import _from_our_pages, _PublicView, _site_url
from config.inputs import clean_term
from config.schema import ConflictDetail
from programs import selectors, services
from programs.api import serializers as s
from programs.api.scope import PROGRAM_KWARG
from programs.models import Membership, Program

CONFLICT = {409: ConflictDetail}


class _StaffCreate(permissions.BasePermission):
    """Anyone signed in reads programs; site staff create them."""

    message = "Only site staff create programs."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return view.action != "create" or request.user.is_staff


@extend_schema_view(
    list=extend_schema(description="The programs you belong to or may join (open enrolment); site staff see all."),
    retrieve=extend_schema(description="One program you belong to or may join (404 otherwise)."),
)
class ProgramViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Program.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = s.ProgramOutput
    permission_classes = [_StaffCreate]
    lookup_field = "slug"
    lookup_value_converter = "slug"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.programs_visible_to(self.request.user).order_by("name", "id")

    def _program_or_404(self) -> Program:
        return selectors.program_for(self.request.user, self.kwargs["slug"])

    def get_object(self) -> Program:
        return self._program_or_404()

    @extend_schema(
        request=s.ProgramCreateInput,
        responses={201: s.ProgramOutput},
        description="Site staff: a new program. 400 `slug` when the slug is in use.",
    )
    def create(self, request):
        data = s.ProgramCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        program = services.program_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(program).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ProgramUpdateInput,
        responses={200: s.ProgramOutput},
        description="The program's admins (and site staff) change its settings; its members may only read them. "
        "400 `format` once people were paired or asked there, or when members hold a role the new format has no "
        "place for.",
    )
    def partial_update(self, request, slug=None):
        program = self._program_or_404()
        if not selectors.is_program_admin(request.user, program):
            raise PermissionDenied("Only the program's admins change its settings.")
        data = s.ProgramUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        program = services.program_update(actor=request.user, program=program, changes=data.validated_data)
        return Response(self.get_serializer(program).data)

    @extend_schema(
        request=s.JoinInput,
        responses={201: s.ProgramMembershipOutput, **CONFLICT},
        description="Join the program in a role. A mentor waits (`pending`) for an admin's approval when the "
        "program says so. 403 when enrolment is closed or by invitation; 409 `already_member` when you hold that "
        "role there; 409 `program_ended` after a cohort's `ends_on`.",
    )
    @action(detail=True, methods=["post"])
    def join(self, request, slug=None):
        # Any program by its slug: one not open to the caller answers 403 (API.md), not 404.
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise Http404("No such program.")
        data = s.JoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_join(user=request.user, program=program, **data.validated_data)
        return Response(s.ProgramMembershipOutput(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses={200: s.ProgramMembershipOutput(many=True)})
    @extend_schema(
        methods=["PATCH"],
        request=s.OwnMembershipInput,
        responses={200: s.ProgramMembershipOutput},
        description="Change one of your memberships there: `capacity` (400 `capacity` below the mentorships you "
        "hold there), `accepting_requests`, or leave (`status: left`: your pending requests there close). Name the "
        "`role` when you hold several; 404 when you hold none.",
    )
    @action(detail=True, methods=["get", "patch"], pagination_class=None)
    def membership(self, request, slug=None):
        """Your memberships in the program, in any status."""
        program = self._program_or_404()
        mine = selectors.my_memberships_in(request.user, program)
        if request.method == "GET":
            return Response(s.ProgramMembershipOutput(mine, many=True).data)
        data = s.OwnMembershipInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        role = changes.pop("role", None)
        chosen = [m for m in mine if role is None or m.role == role]
        if not chosen:
            raise Http404("You hold no such membership here.")
        if len(chosen) > 1:
            raise ValidationError({"role": ["You hold several roles here: name the one to change."]})
        membership = services.membership_update_own(user=request.user, membership=chosen[0], changes=changes)
        return Response(s.ProgramMembershipOutput(membership).data)


class MemberFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)
    status = django_filters.ChoiceFilter(choices=Membership.Status.choices)
    q = django_filters.CharFilter(method="search", help_text="Words of the name, username or email address.")

    class Meta:
        model = Membership
        fields = ["role", "status"]

    def search(self, queryset, name, value):
        query = clean_term(value, max_length=100, field="q")
        if not query:
            return queryset
        return queryset.filter(
            Q(user__full_name__icontains=query) | Q(user__username__icontains=query) | Q(user__email__icontains=query)
        )


@extend_schema_view(
    list=extend_schema(
        description="The program's admins (site staff for any program): its members, by role, status and words. "
        "404 for anyone else, an admin of another program too."
    ),
)
class MemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Participant management for a program's admins. Everyone else gets a 404: the program might not exist."""

    queryset = Membership.objects.none()  # for the schema; get_queryset() scopes to the program
    serializer_class = s.MemberOutput
    filterset_class = MemberFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def program(self) -> Program:
        if not hasattr(self, "_program"):
            self._program = selectors.program_administered_by(self.request.user, self.kwargs[PROGRAM_KWARG])
        return self._program

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.member_list(program=self.program)

    def get_object(self) -> Membership:
        return selectors.member_of(program=self.program, membership_id=self.kwargs["pk"])

    def _respond(self, membership: Membership, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.MemberOutput(self.get_queryset().get(pk=membership.pk)).data, status=code)

    @extend_schema(
        request=s.MemberAddInput,
        responses={201: s.MemberOutput, **CONFLICT},
        description="Add someone by address. An account that has signed in before joins at once (`active`) and is "
        "told by email; an unknown address is invited (`invited`): an email with a one-time link to choose a "
        "password and land in the program. 409 `already_member`; 409 `program_ended`.",
    )
    def create(self, request, program=None):
        data = s.MemberAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_add(
            actor=request.user, program=self.program, site_url=_site_url(request), **data.validated_data
        )
        return self._respond(membership, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MemberUpdateInput,
        responses={200: s.MemberOutput, **CONFLICT},
        description="Approve (`status: active`) or remove (`status: removed`: their pending requests in the "
        "program close; active mentorships stay) a member, or change a mentor's `capacity` (400 `capacity` below "
        "their active mentorships there). 409 `invitation_pending` approving an invitation not yet accepted.",
    )
    def partial_update(self, request, program=None, pk=None):
        membership = self.get_object()
        data = s.MemberUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_update_by_admin(
            actor=request.user, membership=membership, **data.validated_data
        )
        return self._respond(membership)

    @extend_schema(
        request=None,
        responses={200: s.MemberOutput, **CONFLICT},
        description="Send an invitation again, with a new link (the old one stops working). 409 `not_invited` "
        "when the member is not waiting for one.",
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, program=None, pk=None):
        membership = services.invitation_resend(
            actor=request.user, membership=self.get_object(), site_url=_site_url(request)
        )
        return self._respond(membership)


class InvitationAcceptView(_PublicView):
    throttle_scope = "register"

    @extend_schema(
        request=s.InvitationAcceptInput,
        responses={200: s.ProgramMembershipOutput},
        description="Accept an invitation with the token of the emailed link and a new password: the account gets "
        "the password and the membership becomes active. A call from our pages also signs the browser in. A link "
        "works once, for 14 days; 400 `token` when it is unknown, expired or used; 400 `password` when too weak.",
    )
    def post(self, request):
        from_our_pages = _from_our_pages(request)
        data = s.InvitationAcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.invitation_accept(**data.validated_data)
        if from_our_pages:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(s.ProgramMembershipOutput(membership).data)
