"""Bad input gets a clear answer, never a 500: for each entry point, the inputs that once reached a server error.

Ids and terms are read one way (config.inputs), so the answers do not depend on the database: an id past 64 bits
is refused before SQLite (OverflowError) or PostgreSQL sees it, a NUL before PostgreSQL refuses it (these run on
PostgreSQL, where they failed), and a digit that `isdigit()` accepts but `int()` refuses ("²") is never given to
int(). Bodies are JSON, read by config.parsers; errors under /api/ are JSON even when Django answers.
"""

import datetime as dt
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Profile, User
from matching.models import MatchProposal
from mentorship import selectors
from tests.factories import GoalFactory, MatchRoundFactory, MentorFactory, RequestFactory

HUGE = "99999999999999999999"  # past 2**63 - 1, the largest BIGINT
NUL = "\x00"


@pytest.fixture
def world(mentee, mentor, mentorship, admin_user):
    goal = GoalFactory(mentee=mentee)
    match_round = MatchRoundFactory(status="proposed")
    proposal = MatchProposal.objects.create(round=match_round, mentee=mentee, mentor=MentorFactory(), score=0.5)
    return {
        "people": {"mentee": mentee, "mentor": mentor, "admin": admin_user},
        "ids": {
            "mentor": mentor.pk,
            "goal": goal.pk,
            "mentorship": mentorship.pk,
            "round": match_round.pk,
            "proposal": proposal.pk,
            "request": RequestFactory(mentee=mentee).pk,
        },
    }


def _call(world, persona, method, url, body=None):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world["people"][persona])
    url = url.format(**world["ids"])
    if body is None:
        return getattr(client, method)(url)
    body = json.loads(json.dumps(body).replace("{mentor}", str(world["ids"]["mentor"])))
    return getattr(client, method)(url, body, format="json")


# --- Ids and numbers, on any database ---------------------------------------------------------------------------

SESSION = {"date": str(dt.date.today()), "duration_minutes": 30}

BAD_NUMBERS = [
    # persona, method, url, body, the field named in the 400
    ("mentee", "get", "/api/v1/mentors/?page_size=²", None, "page_size"),
    ("mentee", "get", "/api/v1/goals/?page_size=²", None, "page_size"),
    ("mentee", "get", f"/api/v1/goals/?page_size={HUGE}", None, "page_size"),
    ("mentee", "get", "/api/v1/mentors/recommended/?limit=²", None, "limit"),
    ("mentee", "get", f"/api/v1/mentors/recommended/?limit={HUGE}", None, "limit"),
    ("mentee", "get", f"/api/v1/mentors/?skill={HUGE}", None, "skill"),
    ("mentee", "get", f"/api/v1/mentors/?industry={HUGE}", None, "industry"),
    ("mentee", "post", "/api/v1/requests/", {"mentor": int(HUGE)}, "mentor"),
    ("mentee", "post", "/api/v1/requests/", {"mentor": HUGE}, "mentor"),
    ("mentee", "post", "/api/v1/requests/", {"mentor": "²"}, "mentor"),
    ("mentee", "post", "/api/v1/requests/", {"mentor": "{mentor}", "goals": [int(HUGE)]}, "goals"),
    ("mentee", "post", "/api/v1/goals/", {"title": "Speak up", "skills": [int(HUGE)]}, "skills"),
    ("mentee", "patch", "/api/v1/goals/{goal}/", {"skills": [int(HUGE)]}, "skills"),
    ("mentee", "patch", "/api/v1/me/", {"industry": int(HUGE)}, "industry"),
    ("mentee", "patch", "/api/v1/me/", {"skills": [int(HUGE)]}, "skills"),
    ("mentor", "post", "/api/v1/mentorships/{mentorship}/sessions/", {**SESSION, "goals": [int(HUGE)]}, "goals"),
    ("admin", "patch", "/api/v1/match-rounds/{round}/proposals/{proposal}/", {"mentor": int(HUGE)}, "mentor"),
]


@pytest.mark.parametrize(("persona", "method", "url", "body", "field"), BAD_NUMBERS)
def test_a_number_that_is_no_id_or_count_is_a_400_naming_the_field(world, persona, method, url, body, field):
    response = _call(world, persona, method, url, body)

    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("value", ["²", "٣"])
def test_a_term_in_other_digits_is_a_name_not_an_id(world, value):
    """`?skill=²` and `?industry=²` name a term (none has this name), as "C++" does: 200 and no mentor."""
    for parameter in ("skill", "industry"):
        response = _call(world, "mentee", "get", f"/api/v1/mentors/?{parameter}={value}")

        assert response.status_code == 200
        assert response.json()["count"] == 0


PATHS = [
    ("mentee", "get", f"/api/v1/mentors/{HUGE}/"),
    ("mentee", "get", f"/api/v1/goals/{HUGE}/"),
    ("mentee", "get", "/api/v1/goals/٣/"),  # an Arabic-Indic 3: int() reads it, the path does not
    ("mentee", "delete", f"/api/v1/goals/{HUGE}/"),
    ("mentee", "get", f"/api/v1/goals/{HUGE}/milestones/"),
    ("mentee", "patch", f"/api/v1/goals/{{goal}}/milestones/{HUGE}/"),
    ("mentee", "get", f"/api/v1/requests/{HUGE}/"),
    ("mentor", "post", f"/api/v1/requests/{HUGE}/accept/"),
    ("mentee", "get", f"/api/v1/mentorships/{HUGE}/"),
    ("mentee", "get", f"/api/v1/mentorships/{HUGE}/sessions/"),
    ("mentee", "post", f"/api/v1/mentorships/{{mentorship}}/sessions/{HUGE}/feedback/"),
    ("admin", "get", f"/api/v1/match-rounds/{HUGE}/"),
    ("admin", "get", f"/api/v1/match-rounds/{HUGE}/proposals/"),
    ("admin", "patch", f"/api/v1/match-rounds/{{round}}/proposals/{HUGE}/"),
    ("admin", "post", f"/api/v1/skills/suggestions/{HUGE}/approve/"),
    ("admin", "post", "/api/v1/skills/suggestions/٣/reject/"),
]


@pytest.mark.parametrize(("persona", "method", "url"), PATHS)
def test_a_path_naming_an_id_past_64_bits_is_a_json_404(world, persona, method, url):
    """A path is a name, not an input to correct: an id no database could hold names nothing (404, not 400)."""
    response = _call(world, persona, method, url, {} if method in ("post", "patch") else None)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("path", [f"/mentors/{HUGE}/", f"/mentorships/{HUGE}/", f"/rounds/{HUGE}/"])
def test_a_page_naming_an_id_past_64_bits_is_not_found(admin_user, path):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    response = client.get(path)

    assert response.status_code == 404
    assert "could not find" in response.content.decode()


def test_the_directory_page_explains_a_bad_filter_instead_of_failing(mentee):
    client = Client(raise_request_exception=False)
    client.force_login(mentee)

    for query, shown in [(f"skill={HUGE}", "skill: An id is"), ("skill=²", "0 mentors"), ("industry=²", "0 mentors")]:
        response = client.get(f"/mentors/?{query}")

        assert response.status_code == 200
        assert shown in response.content.decode()


# --- NUL characters, on PostgreSQL (which cannot store or compare them) -----------------------------------------

BAD_TERMS = [
    ("mentee", "get", "/api/v1/skills/?q=%00", None, "q"),
    ("mentee", "get", "/api/v1/industries/?q=%00", None, "q"),
    ("mentee", "get", "/api/v1/mentors/?skill=%00", None, "skill"),
    ("mentee", "get", "/api/v1/mentors/?skill=Python&skill=a%00b", None, "skill"),
    ("mentee", "get", "/api/v1/mentors/?industry=%00", None, "industry"),
    ("mentee", "patch", "/api/v1/me/", {"skills": [f"a{NUL}b"]}, "skills"),
    ("mentee", "patch", "/api/v1/me/", {"industry": f"a{NUL}b"}, "industry"),
    ("mentee", "post", "/api/v1/goals/", {"title": "Speak up", "skills": [NUL]}, "skills"),
    ("mentee", "patch", "/api/v1/goals/{goal}/", {"skills": ["Python", f"{NUL}x"]}, "skills"),
    ("mentee", "patch", "/api/v1/me/", {"full_name": f"Maya{NUL}"}, "full_name"),
    ("mentee", "patch", "/api/v1/me/", {"bio": f"Hello{NUL}"}, "bio"),
    ("mentor", "post", "/api/v1/mentorships/{mentorship}/sessions/", {**SESSION, "topics": [NUL]}, "topics"),
]


@pytest.mark.parametrize(("persona", "method", "url", "body", "field"), BAD_TERMS)
def test_a_nul_in_a_term_or_a_text_is_a_400_naming_the_field(postgres, world, persona, method, url, body, field):
    response = _call(world, persona, method, url, body)

    assert response.status_code == 400, response.content
    assert field in response.json()


def test_the_directory_page_explains_a_nul_in_a_filter(postgres, mentee):
    client = Client(raise_request_exception=False)
    client.force_login(mentee)

    response = client.get("/mentors/?skill=%00")

    assert response.status_code == 200
    assert "skill: No line breaks, tabs or other control characters" in response.content.decode()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("mentor,nul\x00,nul@example.org,Nul,,,,", "username"),
        ("mentor,nora,nora\x00@example.org,Nora,,,,", "email"),
        ("mentor,nora,nora@example.org,Nora,Fin\x00tech,,,", "industry"),
        ("mentor,nora,nora@example.org,Nora,,Python;S\x00QL,,", "skills"),
        ("mentee,milo,milo@example.org,Milo,,,Speak\x00up,", "goals"),
    ],
)
def test_the_import_lists_a_nul_with_its_line(postgres, admin_client_api, row, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from matching.imports import HEADER

    upload = SimpleUploadedFile("people.csv", f"{','.join(HEADER)}\n{row}\n".encode())

    response = admin_client_api.post("/api/v1/participants/import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert any(error.startswith(f"line 2: {field}:") for error in response.json()["errors"]), response.json()
    assert not User.objects.filter(email__startswith="no").exists()


# --- JSON bodies ------------------------------------------------------------------------------------------------


def _raw(client, method, url, text, content_type="application/json"):
    return getattr(client, method)(url, text, content_type=content_type)


@pytest.mark.parametrize(
    "text",
    [
        '{"full_name": "\\ud800"}',
        '{"full_name": "Maya \\udfff Mentee"}',
        '{"skills": ["Python", "\\ud83d"]}',
        '{"\\ud800": 1}',
    ],
)
def test_a_lone_surrogate_anywhere_in_a_body_is_a_400(mentee, text):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(mentee)

    response = _raw(client, "patch", "/api/v1/me/", text)

    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]
    mentee.refresh_from_db()
    assert mentee.full_name == "Maya Mentee"


def test_a_surrogate_pair_is_one_character_and_welcome(mentee):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(mentee)

    response = _raw(client, "patch", "/api/v1/me/", '{"full_name": "Maya \\ud83d\\ude00"}')

    assert response.status_code == 200
    assert response.json()["full_name"] == "Maya \U0001f600"


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 5000, '{"title": ' + "[" * 50 + "]" * 50 + "}"])
def test_a_body_nested_too_deep_is_a_400(mentee, text):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(mentee)

    response = _raw(client, "post", "/api/v1/goals/", text)

    assert response.status_code == 400
    assert "detail" in response.json()


# --- Body types -------------------------------------------------------------------------------------------------

MALFORMED_MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


@pytest.mark.parametrize(
    ("content_type", "text"),
    [
        (MALFORMED_MULTIPART, '--BoUnDaRy\r\nContent-Disposition: form-data; name="full_name"\r\n\r\nMallory'),
        (MALFORMED_MULTIPART, "full_name=Mallory"),
        ("application/x-www-form-urlencoded", "full_name=Mallory"),
        ("text/plain", '{"full_name": "Mallory"}'),
    ],
)
def test_a_body_that_is_not_json_is_a_415_and_changes_nothing(mentee, content_type, text):
    """It used to be read as an empty form: 200, and nothing changed."""
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(mentee)

    response = _raw(client, "patch", "/api/v1/me/", text, content_type=content_type)

    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"
    mentee.refresh_from_db()
    assert mentee.full_name == "Maya Mentee"


def test_a_form_body_is_a_415_on_every_endpoint_that_takes_a_body(mentee_client):
    for url in ("/api/v1/goals/", "/api/v1/requests/", "/api/v1/auth/token/", "/api/v1/auth/register/"):
        response = mentee_client.post(url, {"title": "Speak up"}, format="multipart")

        assert response.status_code == 415, url


def test_json_still_works_and_the_import_still_takes_its_file(mentee_client, admin_client_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from matching.imports import HEADER

    assert mentee_client.patch("/api/v1/me/", {"full_name": "Maya M."}, format="json").status_code == 200
    upload = SimpleUploadedFile("people.csv", f"{','.join(HEADER)}\n".encode())
    imported = admin_client_api.post("/api/v1/participants/import/", {"file": upload}, format="multipart")
    assert imported.status_code == 200


# --- The errors Django answers itself: JSON under /api/ ---------------------------------------------------------


def test_an_unexpected_failure_in_the_api_is_a_json_500(mentee, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "goal_list_for", broken)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(mentee)

    response = client.get("/api/v1/goals/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert "a bug" not in response.content.decode()


def test_an_unexpected_failure_on_a_page_is_still_a_page(mentee, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "goal_list_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(mentee)

    response = client.get("/goals/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_body_over_the_upload_limit_is_a_json_413(mentee, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(mentee)

    response = client.patch("/api/v1/me/", {"bio": "x" * 2000}, format="json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "1000 bytes" in response.json()["detail"]
    assert Profile.objects.get(user=mentee).bio == ""


def test_an_unknown_api_address_is_a_json_404(mentee_client):
    response = mentee_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
