"""OpenAPI: every operation documents the error bodies it can answer with, not only its success, and what it needs
to be called: a client generated from the schema must work as it stands."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers

JSON = "application/json"

ErrorDetail = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})
ConflictDetail = inline_serializer(
    "ConflictDetail",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="Stable and machine-readable, e.g. `mentor_full`."),
        "retry_after": serializers.DateTimeField(
            required=False, help_text="When the same call may succeed (only for conflicts that pass with time)."
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
    def get_auth(self):
        auths = super().get_auth()
        # A view that authenticates nobody (sign-up, token) needs no credentials. drf-spectacular says "optional"
        # (`[{}]`), which a generated client reads as "needs a signed-in client"; no `security` says "none".
        return [] if auths == [{}] else auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses

        def add(code: str, body, description: str) -> None:
            if code not in responses:
                response = body if isinstance(body, OpenApiResponse) else OpenApiResponse(body, description)
                # Errors are JSON whatever the operation renders on success (the proposals' CSV).
                responses[code] = self._get_response_for_code(response, code, [JSON], direction=direction)

        public = any(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())
        takes_input = self.method in ("POST", "PUT", "PATCH") or bool(self.get_filter_backends())
        if takes_input or self._is_list_view():
            add("400", VALIDATION_ERROR, "Invalid input")
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            add("415", ErrorDetail, "The body is not of a type this operation takes (JSON, or the form it names)")
        if self.method == "POST" and getattr(self.view, "basename", None) == "match-round":
            add("503", ErrorDetail, "The task queue is unreachable; the round is saved and starts when it is back")
        if getattr(self.view, "throttle_scope", None):
            add("429", ErrorDetail, "Too many attempts from this address; try again later")
        elif self.method != "GET" and self.view.get_throttles():
            add("429", ErrorDetail, "Too many of these lately; try again later")
        if not public:
            add("401", ErrorDetail, "Not signed in")
            add("403", ErrorDetail, "Signed in, but this role may not do this")
            add("404", ErrorDetail, "No such object, or not one the caller may see (or a page past the end)")
        return responses


# OpenAPI links that no client or fuzzer can infer from the path parameters: where the id a body needs comes from,
# and what an accept starts. (Those from an object to its reads and actions, `POST goals/` → `goals/{id}/`, they
# infer.) Keyed by the source operation and status; a link's `requestBody` holds the fields it fills in.
LINKS = {
    ("mentors_list", "200"): {
        "RequestTheFirstMentor": {
            "operationId": "requests_create",
            "requestBody": {"mentor": "$response.body#/results/0/id"},
        },
    },
    ("mentors_retrieve", "200"): {
        "RequestThisMentor": {"operationId": "requests_create", "requestBody": {"mentor": "$response.body#/id"}},
    },
    ("mentors_recommended_list", "200"): {
        "RequestTheBestMatch": {
            "operationId": "requests_create",
            "requestBody": {"mentor": "$response.body#/0/mentor/id"},
        },
    },
    ("requests_accept_create", "200"): {
        "TheMentorship": {"operationId": "mentorships_retrieve", "parameters": {"id": "$response.body#/mentorship"}},
        "LogASession": {
            "operationId": "mentorships_sessions_create",
            "parameters": {"mentorship_pk": "$response.body#/mentorship"},
        },
        "CompleteTheMentorship": {
            "operationId": "mentorships_complete_create",
            "parameters": {"id": "$response.body#/mentorship"},
        },
    },
}


def add_links(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS): puts LINKS into the document."""
    operations = {
        operation["operationId"]: operation for item in result["paths"].values() for operation in item.values()
    }
    for (source, status), links in LINKS.items():
        if source in operations:  # a document filtered by version or permissions may lack it
            operations[source]["responses"][status].setdefault("links", {}).update(links)
    return result
