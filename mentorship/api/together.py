"""The relationship's own API: the kick-off agreement, action items and the conversation of one mentorship.

Each view finds the mentorship among those the caller may see (404 otherwise; the conversation among those they
are in: a program admin does not read it), validates the body, calls one service and serializes the result."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import StrictInputSerializer
from config.api import IdField, MultiLineField, SingleLineField
from config.schema import ConflictDetail
from mentorship import action_items, agreements, messages, selectors
from mentorship.api.serializers import PersonOutput
from mentorship.models import ActionItem, Agreement, Mentorship, Message
from mentorship.models.together import MAX_CADENCE_DAYS, MAX_TEXT, validate_web_link
from mentorship.participants import mentorships_participating

CONFLICT = {409: ConflictDetail}


def _visible(request, pk: int) -> Mentorship:
    return get_object_or_404(selectors.mentorship_list_for(user=request.user), pk=pk)


# --- Agreement ------------------------------------------------------------------------------------------------
class AgreementInput(StrictInputSerializer):
    cadence_days = serializers.IntegerField(min_value=1, max_value=MAX_CADENCE_DAYS, help_text="Meet every … days.")
    channel = serializers.ChoiceField(choices=Agreement.Channel.choices)
    meeting_link = serializers.CharField(
        max_length=500, allow_blank=True, required=False, validators=[validate_web_link], help_text="http(s) only."
    )
    place = SingleLineField(max_length=200, allow_blank=True, required=False)
    expectations = MultiLineField(max_length=MAX_TEXT, allow_blank=True)
    ends_on = serializers.DateField(
        allow_null=True, required=False, help_text="Not in the past; not after the program's end."
    )


class AgreementOutput(serializers.Serializer):
    proposed = serializers.BooleanField(help_text="False until someone proposes one: the terms are the defaults.")
    version = serializers.IntegerField(help_text="0 before anyone proposed one; each change raises it.")
    cadence_days = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=Agreement.Channel.choices)
    meeting_link = serializers.CharField()
    place = serializers.CharField()
    expectations = serializers.CharField()
    ends_on = serializers.DateField(allow_null=True)
    edited_by = PersonOutput(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    confirmed_by = PersonOutput(many=True, help_text="Who confirmed this version.")
    waiting_for = PersonOutput(many=True, help_text="Who has yet to confirm it.")


def agreement_representation(state: agreements.AgreementState) -> dict:
    agreement = state.agreement
    return AgreementOutput(
        {
            "proposed": state.proposed,
            "version": state.version,
            **state.terms,
            "edited_by": agreement.edited_by if agreement else None,
            "updated_at": agreement.updated_at if agreement else None,
            "confirmed_by": state.confirmed_by,
            "waiting_for": state.waiting_for,
        }
    ).data


class AgreementView(APIView):
    """How the people of a mentorship work together. Its people (and program admins) read it; its people write
    and confirm it."""

    def _answer(self, mentorship_pk: int, code: int = status.HTTP_200_OK) -> Response:
        mentorship = _visible(self.request, mentorship_pk)
        return Response(agreement_representation(agreements.agreement_state(mentorship=mentorship)), status=code)

    @extend_schema(
        responses={200: AgreementOutput},
        description="Before anyone proposed one, the program's defaults with `proposed: false` and nobody confirmed.",
    )
    def get(self, request, mentorship_pk=None):
        return self._answer(mentorship_pk)

    @extend_schema(
        request=AgreementInput,
        responses={200: AgreementOutput, **CONFLICT},
        description="Propose or change it. The writer confirms by writing; a change raises `version` and asks "
        "everyone else to confirm again (they are told). 409 `mentorship_ended`.",
    )
    def put(self, request, mentorship_pk=None):
        mentorship = _visible(request, mentorship_pk)
        data = AgreementInput(data=request.data)
        data.is_valid(raise_exception=True)
        agreements.agreement_write(mentorship=mentorship, by=request.user, terms=data.validated_data)
        return self._answer(mentorship_pk)


class AgreementConfirmView(APIView):
    @extend_schema(
        request=None,
        responses={200: AgreementOutput, **CONFLICT},
        description="Confirm the current version: 409 `already_confirmed`, `not_proposed`, `mentorship_ended`.",
    )
    def post(self, request, mentorship_pk=None):
        mentorship = _visible(request, mentorship_pk)
        agreements.agreement_confirm(mentorship=mentorship, by=request.user)
        mentorship = _visible(request, mentorship_pk)
        return Response(agreement_representation(agreements.agreement_state(mentorship=mentorship)))


# --- Action items ---------------------------------------------------------------------------------------------
class ActionItemInput(StrictInputSerializer):
    title = SingleLineField(max_length=200)
    owner = IdField(help_text="Someone in the mentorship.")
    due_on = serializers.DateField(allow_null=True, required=False, help_text="Not in the past.")
    done = serializers.BooleanField(required=False)
    session = IdField(allow_null=True, required=False, help_text="The session it came from (one of this mentorship).")


class ActionItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = PersonOutput()
    due_on = serializers.DateField(allow_null=True)
    done = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    session = serializers.IntegerField(source="session_id", allow_null=True)
    created_by = PersonOutput(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_overdue(self, item) -> bool:
        return action_items.is_overdue(item, timezone.localdate())


@extend_schema_view(
    list=extend_schema(description="The mentorship's action items: open ones first, the soonest due first."),
)
class ActionItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Its people (and program admins) read them; its people add, change and tick them."""

    queryset = ActionItem.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = ActionItemOutput
    http_method_names = ["get", "post", "patch", "head", "options"]

    def mentorship(self) -> Mentorship:
        return _visible(self.request, self.kwargs["mentorship_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionItem.objects.none()
        return action_items.action_item_list(mentorship=self.mentorship())

    @extend_schema(request=ActionItemInput, responses={201: ActionItemOutput, **CONFLICT})
    def create(self, request, mentorship_pk=None):
        mentorship = self.mentorship()
        data = ActionItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("done", None)  # a new item is open
        item = action_items.action_item_create(
            mentorship=mentorship,
            by=request.user,
            title=fields["title"],
            owner_id=fields["owner"],
            due_on=fields.get("due_on"),
            session_id=fields.get("session"),
        )
        return Response(ActionItemOutput(self.get_queryset().get(pk=item.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionItemInput,
        responses={200: ActionItemOutput, **CONFLICT},
        description="Change `title`, `owner`, `due_on`, or tick it `done`. 409 `mentorship_ended`.",
    )
    def partial_update(self, request, mentorship_pk=None, pk=None):
        item = self.get_object()
        data = ActionItemInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "session" in changes:
            changes.pop("session")
        action_items.action_item_update(item=item, by=request.user, changes=changes)
        return Response(ActionItemOutput(self.get_queryset().get(pk=item.pk)).data)


# --- Messages -------------------------------------------------------------------------------------------------
class MessageInput(StrictInputSerializer):
    body = MultiLineField(max_length=MAX_TEXT, help_text="Plain text, up to 10,000 characters.")


class MessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = PersonOutput()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class MessagesReadOutput(serializers.Serializer):
    last_read = serializers.IntegerField(help_text="The id of the last message read (0 when there is none).")
    unread = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        description="The conversation, oldest first (the newest is last). Only its people: 404 for anyone else."
    ),
)
class MessageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Message.objects.none()  # for the schema; get_queryset() scopes to the caller
    serializer_class = MessageOutput

    def mentorship(self) -> Mentorship:
        user = self.request.user
        inside = selectors.mentorship_list_for(user=user).filter(pk__in=mentorships_participating(user).values("pk"))
        return get_object_or_404(inside, pk=self.kwargs["mentorship_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return messages.message_list(mentorship=self.mentorship())

    @extend_schema(
        request=MessageInput,
        responses={201: MessageOutput, **CONFLICT},
        description="Write to everyone in it. They get an email notice, at most one per conversation per 15 "
        "minutes. 400 over 10,000 characters; 409 `mentorship_ended`.",
    )
    def create(self, request, mentorship_pk=None):
        mentorship = self.mentorship()
        data = MessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = messages.message_send(mentorship=mentorship, author=request.user, body=data.validated_data["body"])
        return Response(MessageOutput(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MessagesReadOutput}, description="Mark the conversation read.")
    @action(detail=False, methods=["post"])
    def read(self, request, mentorship_pk=None):
        mentorship = self.mentorship()
        last = messages.messages_mark_read(mentorship=mentorship, user=request.user)
        unread = messages.unread_counts(user=request.user).get(mentorship.pk, 0)
        return Response(MessagesReadOutput({"last_read": last, "unread": unread}).data)
