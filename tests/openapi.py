"""Answers checked against the API's own OpenAPI document, strictly: every field an answer carries must be
declared (the published document lets objects carry more, so that adding a field later breaks no client; the
tests do not, so that no field goes undeclared), and so must its status code and content type."""

import copy
import functools
import json

import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


@functools.cache
def api_schema() -> dict:
    """The document `/api/v1/schema/` serves."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def strict_answers(schema: dict) -> dict:
    """A copy of `schema` in which every object an answer may hold (a response body, and whatever it refers to)
    has `additionalProperties: false` unless it says otherwise."""
    schema = copy.deepcopy(schema)
    components = schema.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def close(node) -> None:
        if isinstance(node, list):
            for item in node:
                close(item)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                close(components[name])
            return
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for key, value in node.items():
            if key != "properties":
                close(value)
        for value in node.get("properties", {}).values():
            close(value)

    for path_item in schema["paths"].values():
        for operation in path_item.values():
            for response in operation.get("responses", {}).values():
                for media in response.get("content", {}).values():
                    close(media.get("schema"))
    return schema


@functools.cache
def _strict() -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_dict(strict_answers(api_schema()))


def assert_matches_schema(response) -> None:
    """Fail unless this answer of Django's test client is one the document declares for its operation."""
    request = response.wsgi_request
    operation = _strict().find_operation_by_path(request.method, request.path)
    label = f"{request.method} {request.path} → {response.status_code}"
    assert operation is not None, f"{label}: no such operation in the schema"
    declared = operation.definition.raw["responses"].get(str(response.status_code))
    assert declared is not None, f"{label}: status not declared"
    if response.content:
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        assert media_type in declared.get("content", {}), f"{label}: {media_type} not declared"
    answer = schemathesis.Response(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.headers.items()},
        content=response.content,
        request=requests.Request(request.method, request.build_absolute_uri()).prepare(),
        elapsed=0.0,
        verify=True,
    )
    operation.validate_response(answer)
