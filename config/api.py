"""API plumbing shared by every app: the router, the fields of ids and texts, pagination and the error shapes of
API.md. How bodies are read is in config.parsers."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, permissions, routers, serializers, status
from rest_framework.fields import ProhibitNullCharactersValidator
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import Conflict, ServiceUnavailable
from config.inputs import MAX_ID, parse_id, parse_whole_number, validate_multi_line, validate_single_line


class UnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "That conflicts with the current state."
    default_code = "conflict"


class Router(routers.SimpleRouter):
    """DRF's router writing Django paths, every object named by `<id:…>` (config.inputs.IdConverter): an id no
    database could hold, or anything but ASCII digits, matches no URL. Register nested prefixes as
    "goals/<id:goal_pk>/milestones"."""

    def __init__(self):
        super().__init__(use_regex_path=False)
        self._default_value_pattern = "id"


class IsProgramAdmin(permissions.BasePermission):
    message = "Only program admins may do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_program_admin)


class StandardPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100; more is cut to 100, nonsense is a 400)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            number = parse_whole_number(raw, low=1, high=MAX_ID)
        except DjangoValidationError:
            message = f"A whole number from 1 to {self.max_page_size}."
            raise exceptions.ValidationError({self.page_size_query_param: [message]}) from None
        return min(number, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:  # both count from 1 (`page` may also be "last", which no client needs)
            parameter["schema"]["minimum"] = 1
        return parameters


class IdField(serializers.IntegerField):
    """An object's id in a body, read by config.inputs.parse_id: 1 to MAX_ID, an int or a string of ASCII digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)  # the schema says so too
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return parse_id(data)


class _TextField(serializers.CharField):
    rule = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The rule refuses NULs too: DRF's own check of them would only say so a second time.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.validators.append(type(self).rule)


class SingleLineField(_TextField):
    """Text shown on one line (a name, a title, a headline): the rule of the model fields it fills."""

    rule = staticmethod(validate_single_line)


class MultiLineField(_TextField):
    """Text of several lines (a bio, notes, a message): line breaks and tabs, no other control character."""

    rule = staticmethod(validate_multi_line)


class ErrorsAsJSONMixin:
    """For a view that also renders something other than JSON (a CSV): that format is for the answer itself; its
    errors, and the description OPTIONS gives, are JSON objects sent as `application/json`, whatever format was
    asked for."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            isinstance(response, Response)
            and (response.status_code >= 400 or request.method == "OPTIONS")
            and response.accepted_renderer.format != "json"
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


def _django_validation_detail(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        # `__all__` is Django's key for errors of no one field; API clients know DRF's name for it.
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    """DRF's handler, plus the errors services raise: Django's ValidationError is a 400 with field messages,
    Conflict a 409 with its `code`, a row that does not exist (or may not be seen) a 404."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Conflict):
        response = drf_exception_handler(ConflictError(exc.message, code=exc.code), context)
        response.data.update(code=exc.code, **exc.details)  # {"detail", "code", ...}: API.md's 409
        return response
    elif isinstance(exc, ServiceUnavailable):
        exc = UnavailableError(exc.message)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
