"""API plumbing shared by every app: pagination and the error shapes of API.md."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import Conflict, ServiceUnavailable


class UnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "That conflicts with the current state."
    default_code = "conflict"


class StandardPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100; more is cut to 100, nonsense is a 400)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isdigit() and int(raw) > 0):
            raise exceptions.ValidationError({self.page_size_query_param: ["A whole number from 1 to 100."]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:  # both count from 1 (`page` may also be "last", which no client needs)
            parameter["schema"]["minimum"] = 1
        return parameters


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
    Conflict a 409, a row that does not exist (or may not be seen) a 404."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Conflict):
        exc = ConflictError(exc.message, code=exc.code)
    elif isinstance(exc, ServiceUnavailable):
        exc = UnavailableError(exc.message)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
