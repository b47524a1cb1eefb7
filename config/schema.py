"""OpenAPI: every operation documents the error bodies it can answer with, not only its success."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers

ErrorDetail = inline_serializer(
    "ErrorDetail",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(
            required=False, help_text='A 409\'s stable reason, for clients to rely on (e.g. "mentor_full").'
        ),
    },
)

VALIDATION_ERROR = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": True,
        "description": 'Field name → list of messages, e.g. {"capacity": ["Ensure this value is greater than or '
        'equal to 0."]}; `non_field_errors` for the body as a whole; `detail` when the body is not JSON.',
    },
    description="Invalid input",
)


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses

        def add(code: str, body, description: str) -> None:
            if code not in responses:
                response = body if isinstance(body, OpenApiResponse) else OpenApiResponse(body, description)
                responses[code] = self._get_response_for_code(response, code, direction=direction)

        public = any(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())
        takes_input = self.method in ("POST", "PUT", "PATCH") or bool(self.get_filter_backends())
        if takes_input or self._is_list_view():
            add("400", VALIDATION_ERROR, "Invalid input")
        if self.method == "POST" and getattr(self.view, "basename", None) == "match-round":
            add("503", ErrorDetail, "The task queue is unreachable; the round is saved and starts when it is back")
        if getattr(self.view, "throttle_scope", None):
            add("429", ErrorDetail, "Too many attempts from this address; try again later")
        if not public:
            add("401", ErrorDetail, "Not signed in")
            add("403", ErrorDetail, "Signed in, but this role may not do this")
            add("404", ErrorDetail, "No such object, or not one the caller may see (or a page past the end)")
        return responses
