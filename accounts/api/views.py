"""Accounts API: thin views that validate, call a service or selector, and serialize."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api import serializers


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(request=serializers.RegisterInput, responses={201: serializers.AccountOutput})
    def post(self, request):
        data = serializers.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        return Response(serializers.AccountOutput(user).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "sign_in"

    @extend_schema(request=serializers.TokenInput, responses={200: serializers.TokenOutput})
    def post(self, request):
        data = serializers.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None:
            raise ValidationError({"non_field_errors": ["Unable to sign in with that username and password."]})
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """Your account and your role's profile, as one flat object: mentors and mentees have different fields."""

    @extend_schema(responses=serializers.ME_OUTPUT_SCHEMA)
    def get(self, request):
        user = selectors.user_with_profile(user_id=request.user.pk)
        return Response(serializers.me_representation(user))

    @extend_schema(request=serializers.ME_INPUT_SCHEMA, responses=serializers.ME_OUTPUT_SCHEMA)
    def patch(self, request):
        data = serializers.me_input_for(request.user)(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.profile_update(user=request.user, changes=data.validated_data)
        user = selectors.user_with_profile(user_id=request.user.pk)
        return Response(serializers.me_representation(user))


class _TaxonomyListView(generics.ListAPIView):
    serializer_class = serializers.TermOutput
    selector = None

    def get_queryset(self):
        return type(self).selector(query=self.request.query_params.get("q"))


_Q = OpenApiParameter("q", str, description="Only terms whose name contains this text, in any case.")


@extend_schema(parameters=[_Q], description="The skill taxonomy, by name.")
class SkillListView(_TaxonomyListView):
    selector = selectors.skill_list


@extend_schema(parameters=[_Q], description="The industry taxonomy, by name.")
class IndustryListView(_TaxonomyListView):
    selector = selectors.industry_list
