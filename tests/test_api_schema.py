import pytest
import yaml

from tests.factories import PASSWORD
from tests.openapi import assert_matches_schema


@pytest.mark.django_db
def test_schema_documents_every_accounts_endpoint(anon):
    response = anon.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/auth/register/", "/api/v1/auth/token/", "/api/v1/me/", "/api/v1/skills/"):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/v1/me/"]) >= {"get", "patch"}


def test_schema_generates_without_a_warning_and_validates():
    """Every view, serializer and filter is described precisely enough that drf-spectacular guesses nothing."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_every_state_change_documents_its_409(anon):
    schema = yaml.safe_load(anon.get("/api/v1/schema/").content)
    for path in (
        "/api/v1/requests/",
        "/api/v1/requests/{id}/accept/",
        "/api/v1/requests/{id}/decline/",
        "/api/v1/requests/{id}/withdraw/",
        "/api/v1/mentorships/{id}/complete/",
        "/api/v1/mentorships/{mentorship_pk}/sessions/{id}/feedback/",
    ):
        responses = schema["paths"][path]["post"]["responses"]
        assert {"401", "403", "404", "409"} <= set(responses), path


@pytest.mark.django_db
def test_me_has_one_shape_for_everyone_and_says_role_is_deprecated(anon):
    """A schema-driven client finds one shape for any /me/ answer: the account, both sides of the profile and the
    memberships; the one-role `role` stays for old clients, marked as such."""
    schema = yaml.safe_load(anon.get("/api/v1/schema/").content)
    me = schema["paths"]["/api/v1/me/"]
    components = schema["components"]["schemas"]

    assert me["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Me"}
    properties = components["Me"]["properties"]
    assert {"skills", "wanted_skills", "languages", "memberships", "capacity"} <= set(properties)
    assert properties["role"]["description"].startswith("Deprecated")
    assert "can teach" in properties["skills"]["description"]
    assert set(components["PatchedMeUpdateRequest"]["properties"]) >= {"skills", "wanted_skills", "capacity"}


@pytest.mark.django_db
def test_every_body_is_json_but_the_participants_upload(anon):
    """One type per body: a client generated from the schema sends JSON (and a file only where one is sent)."""
    paths = yaml.safe_load(anon.get("/api/v1/schema/").content)["paths"]
    bodies = {
        f"{method.upper()} {path}": sorted(operation["requestBody"]["content"])
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }

    assert bodies.pop("POST /api/v1/participants/import/") == ["multipart/form-data"]
    assert bodies.pop("POST /api/v1/programs/{program}/participants/import/") == ["multipart/form-data"]
    assert bodies
    assert {body: types for body, types in bodies.items() if types != ["application/json"]} == {}


@pytest.mark.django_db
def test_signing_up_and_signing_in_need_no_credentials(anon):
    paths = yaml.safe_load(anon.get("/api/v1/schema/").content)["paths"]

    for path in ("auth/register/", "auth/register/confirm/", "auth/token/", "me/email/confirm/"):
        assert "security" not in paths[f"/api/v1/{path}"]["post"], path
    signed_in = paths["/api/v1/me/"]["get"]["security"]
    assert signed_in
    assert {} not in signed_in


@pytest.mark.django_db
def test_errors_are_declared_as_json_even_where_the_answer_is_a_csv(anon):
    responses = yaml.safe_load(anon.get("/api/v1/schema/").content)["paths"]["/api/v1/match-rounds/{id}/proposals/"]
    responses = responses["get"]["responses"]

    assert sorted(responses["200"]["content"]) == ["application/json", "text/csv"]
    for code in ("400", "401", "403", "404"):
        assert list(responses[code]["content"]) == ["application/json"], code


@pytest.mark.django_db
def test_links_lead_from_the_directory_to_a_request_and_from_an_accept_to_the_mentorship(anon):
    """What a client (or the fuzzer's stateful phase) cannot infer: which id a request body needs, and which
    mentorship an accept starts. Every link names an operation there is and parameters it takes."""
    schema = yaml.safe_load(anon.get("/api/v1/schema/").content)
    operations = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    links = {
        (source, link["operationId"]): link
        for source, operation in operations.items()
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    }

    assert {
        ("mentors_list", "requests_create"),
        ("mentors_retrieve", "requests_create"),
        ("requests_accept_create", "mentorships_retrieve"),
        ("requests_accept_create", "mentorships_sessions_create"),
    } <= links.keys()
    for (_, target), link in links.items():
        taken = {parameter["name"] for parameter in operations[target].get("parameters", [])}
        assert set(link.get("parameters", {})) <= taken, target
        if "requestBody" in link:
            body = operations[target]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            fields = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]["properties"]
            assert set(link["requestBody"]) <= set(fields), target


@pytest.mark.django_db
def test_a_token_and_the_account_it_opens_answer_only_declared_fields(anon, mentee):
    """The permission walk checks every other answer so; its sign-in uses a wrong password."""
    token = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD})
    assert token.status_code == 200
    assert_matches_schema(token)

    anon.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = anon.get("/api/v1/me/")
    assert me.status_code == 200
    assert_matches_schema(me)


def test_every_list_declares_that_its_pages_count_from_one(anon):
    """The API refuses page=0 and page_size=0; a client generated from the schema must not send them."""
    paths = yaml.safe_load(anon.get("/api/v1/schema/").content)["paths"]
    for path in ("/api/v1/goals/", "/api/v1/mentors/", "/api/v1/requests/"):
        pagination = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"] if p["name"].startswith("page")}
        assert pagination == {"page": {"type": "integer", "minimum": 1}, "page_size": {"type": "integer", "minimum": 1}}
