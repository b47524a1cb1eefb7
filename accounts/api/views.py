"""Accounts API: thin views that validate, call a service or selector, and serialize."""

from django.contrib.auth import authenticate, login
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.authentication import CSRFCheck
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services, taxonomy
from accounts.api import serializers
from accounts.models import TERM_MAX_LENGTH, Industry, Skill
from config.api import IsProgramAdmin
from config.authentication import TokenAuthentication
from config.inputs import clean_term
from config.schema import ConflictDetail


def _site_url(request) -> str:
    """The scheme and host of this request ("https://host"), to start the links of an email, as Django's password
    reset does (the host is one of ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/").rstrip("/")


def _from_our_pages(request) -> bool:
    """Whether the request passes Django's CSRF check (the one SessionAuthentication makes): it comes from one of
    our pages, not from another site's form that would sign the visitor in to an account of someone else's."""
    check = CSRFCheck(lambda _request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {}) is None


class _PublicView(APIView):
    """For people who are not signed in yet: no authentication, a rate per client address (`throttle_scope`)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]


class RegisterView(_PublicView):
    throttle_scope = "register"

    @extend_schema(
        request=serializers.RegisterInput,
        responses={201: serializers.RegisterOutput},
        description="Start signing up. Once the body is valid the answer is always the same 201, whether or not the "
        "address or the username is in use: no account is created yet. A new address gets an email with a link to "
        "/signup/confirm/<token>/ (see `auth/register/confirm/`); an address that has an account gets an email "
        "saying so, with links to sign in and to reset the password.",
    )
    def post(self, request):
        data = serializers.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.signup_start(**data.validated_data, site_url=_site_url(request))
        return Response({"detail": services.SIGNUP_STARTED}, status=status.HTTP_201_CREATED)


class RegisterConfirmView(_PublicView):
    throttle_scope = "register"

    @extend_schema(
        request=serializers.RegisterConfirmInput,
        responses={201: serializers.AccountOutput, 409: ConflictDetail},
        description="Finish signing up with the token of the emailed link: creates the account, with the password "
        "given at sign-up, which joins the program named at sign-up in its role when that program takes people "
        "who sign up (open enrolment; an invite-only one is not joined). With that `password` too, a call from our "
        "pages also signs the browser in (the token alone never does: a link can be read from a log); API clients "
        "then ask `auth/token/`. A link works once, "
        "for SIGNUP_CONFIRM_HOURS. 400 `password` when it is not the one chosen at sign-up (nothing is created); "
        "400 `username` when that username is taken (send another with the same token); 409 when the address "
        "meanwhile has an account.",
    )
    def post(self, request):
        from_our_pages = _from_our_pages(request)
        data = serializers.RegisterConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.signup_confirm(**data.validated_data)
        if from_our_pages and "password" in data.validated_data:  # checked by signup_confirm
            # Named because two backends are configured: the lockout's (which signs nobody in) and Django's own.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(serializers.AccountOutput(user).data, status=status.HTTP_201_CREATED)


class EmailChangeConfirmView(_PublicView):
    """The link emailed to a new address is the proof of owning it, whoever follows it and wherever: no sign-in
    is needed (it may be opened in another browser), and none is given."""

    throttle_scope = "register"

    @extend_schema(
        request=serializers.EmailChangeConfirmInput,
        responses={200: serializers.MeOutput, 409: ConflictDetail},
        description="Finish a change of address asked for with `PATCH me/` (`email`), with the token of the link "
        "emailed to the new address: the account's `email` becomes it. A link works once, for SIGNUP_CONFIRM_HOURS, "
        "and only the newest one asked for; 409 when the address meanwhile belongs to another account.",
    )
    def post(self, request):
        data = serializers.EmailChangeConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.email_change_confirm(**data.validated_data, site_url=_site_url(request))
        return Response(serializers.me_representation(selectors.user_with_profile(user_id=user.pk)))


class EmailRevertView(_PublicView):
    """The link emailed to the old address after a change is the proof of owning it, as for the confirmation: no
    sign-in is needed, and it signs no one in (it ends every session of the account)."""

    throttle_scope = "register"

    @extend_schema(
        request=serializers.EmailRevertInput,
        responses={200: serializers.MeOutput, 409: ConflictDetail},
        description="Undo a confirmed change of address with the token of the link emailed to the old address: "
        "`email` becomes the old address again, every session of the account ends and every API token stops, and "
        "a pending change is cancelled. A link works once, for EMAIL_REVERT_DAYS; 400 `token` when it is unknown, "
        "expired or used; 409 `email_registered` when the old address meanwhile belongs to another account.",
    )
    def post(self, request):
        data = serializers.EmailRevertInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.email_change_revert(**data.validated_data)
        return Response(serializers.me_representation(selectors.user_with_profile(user_id=user.pk)))


class TokenView(_PublicView):
    throttle_scope = "sign_in"

    @extend_schema(
        request=serializers.TokenInput,
        responses={200: serializers.TokenOutput},
        description="Sign an API client in: a new token for it, sent as `Authorization: Token <token>`, that works "
        "until `expiry` (API_TOKEN_TTL_HOURS after it was issued; use does not prolong it) or until `auth/logout/`. "
        "Each call issues another token, so that each client signs out alone. Failed attempts count toward a "
        "lockout of the username and of the client address, shared with the sign-in page; a locked-out account "
        "gets the answer of a wrong password.",
    )
    def post(self, request):
        data = serializers.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # With the request, django-axes counts a failure and refuses while the username or the address is locked.
        user = authenticate(request, **data.validated_data)
        if user is None:
            raise ValidationError({"non_field_errors": ["Unable to sign in with that username and password."]})
        token, key = services.api_token_create(user=user)
        # As Django's login() does: axes clears the failures of this username and address.
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response(serializers.TokenOutput({"token": key, "expiry": token.expiry}).data)


class LogoutView(APIView):
    """Only a token-signed call has a token to revoke: a session is signed out at /accounts/logout/."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(
        request=None,
        responses={204: None},
        description="Sign this API client out: the token of this call stops working. Other tokens of the same "
        "person (their other clients) keep working.",
    )
    def post(self, request):
        services.api_token_revoke(digest=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        description="Sign every API client of the caller out: each of their tokens stops working, the one of "
        "this call too. Signed-in pages (sessions) are not affected.",
    )
    def post(self, request):
        services.api_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _EmailChangeThrottle(UserRateThrottle):
    """Asking for a new address sends emails to it: at most THROTTLE_REGISTER of those per person. Other changes
    to one's profile are not limited."""

    scope = "register"

    def allow_request(self, request, view):
        if request.method != "PATCH" or not isinstance(request.data, dict) or "email" not in request.data:
            return True
        return super().allow_request(request, view)


class MeView(APIView):
    """Your account, your one profile (what you can teach and what you want to grow) and your memberships, as one
    flat object, the same shape for everyone."""

    throttle_classes = [_EmailChangeThrottle]

    @extend_schema(
        responses=serializers.MeOutput,
        description="Your account, profile and memberships. `skills` are what you can teach, for every account; what "
        "you want to grow is `wanted_skills` (until programs, a mentee's `skills` were those they wanted to grow: "
        "the migration moved them there). `role` is deprecated: see `memberships`.",
    )
    def get(self, request):
        user = selectors.user_with_profile(user_id=request.user.pk)
        return Response(serializers.me_representation(user))

    @extend_schema(
        request=serializers.MeInput,
        responses=serializers.MeOutput,
        description="Change your account and profile. A new `email` needs `current_password` (400 `current_password` "
        "when it is missing or wrong, and nothing changes); the other fields need none. It does not change `email` "
        "yet: it is answered in `email_pending`, the new address gets an email with a link that makes the change "
        "(see `me/email/confirm/`), and the current one a notice; once it is made, the old address gets a link that "
        "undoes it (see `me/email/revert/`). The answer is the same whether or not the new address belongs to "
        "another account (that one gets a warning instead of a link). Asking again replaces the pending change. "
        "`skills` sets what you can teach, whatever your roles (a mentee's skills to grow are `wanted_skills`); "
        "`capacity` and `accepting_requests` are a mentor's of the default program (400 naming the field for anyone "
        "else; 400 `capacity` below the mentees you have there).",
    )
    def patch(self, request):
        data = serializers.MeInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.profile_update(user=request.user, changes=data.validated_data, site_url=_site_url(request))
        user = selectors.user_with_profile(user_id=request.user.pk)
        return Response(serializers.me_representation(user))


class CalendarResetView(APIView):
    @extend_schema(
        request=None,
        responses=serializers.CalendarFeedOutput,
        description="A new secret for your calendar feed: its old address answers 404 from now on. Answers the new "
        "`calendar_url` (subscribe to it again).",
    )
    def post(self, request):
        profile = services.calendar_secret_reset(user=request.user)
        return Response({"calendar_url": selectors.calendar_feed_url(profile)})


class _AdminsAdd(permissions.BasePermission):
    """Anyone signed in reads the taxonomy; program admins add to it."""

    message = "Only program admins add to the taxonomy; pick an existing term, or name a new skill on your profile."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return IsProgramAdmin().has_permission(request, view)


class _TaxonomyView(generics.ListAPIView):
    """`GET`: the terms the caller may see, by name (`?q=` for search as you type). `POST`: an admin adds one."""

    permission_classes = [_AdminsAdd]
    model = None

    def _add(self, request, output):
        data = serializers.TermInput(data=request.data)
        data.is_valid(raise_exception=True)
        term, created = taxonomy.taxonomy_term_add(model=self.model, by=request.user, **data.validated_data)
        return Response(output(term).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _query(self) -> str:
        return clean_term(self.request.query_params.get("q", ""), max_length=TERM_MAX_LENGTH, field="q")


_Q = OpenApiParameter("q", str, description="Only terms whose name contains this text, in any case.")
_STATUS = OpenApiParameter(
    "status",
    str,
    enum=Skill.Status.values,
    description="Only approved skills, or only suggestions (yours; every one, for admins).",
)
_ADDED = {200: serializers.SkillOutput, 201: serializers.SkillOutput}


class SkillListView(_TaxonomyView):
    serializer_class = serializers.SkillOutput
    model = Skill

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is made without a caller
            return Skill.objects.none()
        params = self.request.query_params
        status_wanted = params.get("status")
        if status_wanted is not None and status_wanted not in Skill.Status.values:
            raise ValidationError({"status": [f"One of: {', '.join(Skill.Status.values)}."]})
        return selectors.skill_list(viewer=self.request.user, query=self._query(), status=status_wanted)

    @extend_schema(
        parameters=[_Q, _STATUS],
        description="The skill taxonomy, by name: the approved skills and your own suggestions (`status`); program "
        "admins see every suggestion too.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=serializers.TermInput,
        responses=_ADDED,
        description="Program admins: add an approved skill (201). A skill of that name in any case is the same "
        "skill: 200, approved if it was a suggestion.",
    )
    def post(self, request):
        return self._add(request, serializers.SkillOutput)


class IndustryListView(_TaxonomyView):
    serializer_class = serializers.TermOutput
    model = Industry

    def get_queryset(self):
        return selectors.industry_list(query=self._query())

    @extend_schema(parameters=[_Q], description="The industries people pick from, by name.")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=serializers.TermInput,
        responses={200: serializers.TermOutput, 201: serializers.TermOutput},
        description="Program admins: add an industry to the list people pick from (201; 200 when it is there "
        "already, in any case). Participants cannot add industries.",
    )
    def post(self, request):
        return self._add(request, serializers.TermOutput)


@extend_schema_view(
    list=extend_schema(description="Program admins: the skill suggestions waiting for review, oldest first."),
)
class SkillSuggestionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """New skill names people gave, for program admins to approve, merge into an approved skill, or reject."""

    queryset = Skill.objects.none()  # for the schema; get_queryset() reads
    serializer_class = serializers.SkillSuggestionOutput
    permission_classes = [IsProgramAdmin]

    def get_queryset(self):
        return selectors.skill_suggestion_list()

    @extend_schema(request=serializers.SuggestionApproveInput, responses={200: serializers.SkillOutput})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The suggestion becomes a skill everyone sees (optionally under a mended `name`) and counts in matching."""
        suggestion = self.get_object()
        data = serializers.SuggestionApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        skill = taxonomy.skill_suggestion_approve(suggestion_id=suggestion.pk, by=request.user, **data.validated_data)
        return Response(serializers.SkillOutput(skill).data)

    @extend_schema(request=serializers.SuggestionMergeInput, responses={200: serializers.SkillOutput})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Every profile and goal that names the suggestion names the approved skill `into` instead (once); the
        suggestion is gone. Answers the approved skill."""
        suggestion = self.get_object()
        data = serializers.SuggestionMergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        skill = taxonomy.skill_suggestion_merge(suggestion_id=suggestion.pk, by=request.user, **data.validated_data)
        return Response(serializers.SkillOutput(skill).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """The suggestion is gone, and with it from every profile and goal that named it."""
        taxonomy.skill_suggestion_reject(suggestion_id=self.get_object().pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
