import datetime as dt
import hashlib
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient, APIRequestFactory

from accounts import services
from accounts.tasks import purge_expired_api_tokens
from config.authentication import TokenAuthentication
from config.celery_app import app as celery_app
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_a_token_signs_in_api_calls(anon, mentee):
    response = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json")
    assert response.status_code == 200

    anon.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = anon.get("/api/v1/me/")

    assert me.status_code == 200
    assert me.json()["username"] == "maya"


@pytest.mark.django_db
def test_each_sign_in_gets_a_token_of_its_own_and_each_works(anon, mentee):
    first = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json")
    second = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json")

    assert first.json()["token"] != second.json()["token"]
    for token in (first.json()["token"], second.json()["token"]):
        assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/").json()["username"] == "maya"


@pytest.mark.django_db
def test_wrong_password_and_unknown_user_get_the_same_answer(anon, mentee):
    wrong = anon.post("/api/v1/auth/token/", {"username": "maya", "password": "nope"}, format="json")
    unknown = anon.post("/api/v1/auth/token/", {"username": "nobody", "password": "nope"}, format="json")

    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()


@pytest.mark.django_db
def test_missing_credentials_are_field_errors(anon):
    response = anon.post("/api/v1/auth/token/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


@pytest.mark.django_db
def test_a_bad_token_is_401(anon):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert anon.get("/api/v1/me/").status_code == 401


def _signed_in(anon, username: str) -> str:
    token = anon.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    return token.json()["token"]


@pytest.mark.django_db
def test_a_made_up_token_is_401_with_a_token_challenge(anon, mentee):
    anon.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = anon.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_deactivated_account_s_token_stops_working(anon, mentee):
    _signed_in(anon, "maya")
    mentee.is_active = False
    mentee.save(update_fields=["is_active"])

    response = anon.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


@pytest.mark.django_db
def test_a_deleted_account_s_token_stops_working(anon, mentee):
    _signed_in(anon, "maya")
    mentee.delete()

    assert anon.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_each_token_signs_in_its_own_holder(anon, mentee, mentor):
    _signed_in(anon, "otto")
    assert anon.get("/api/v1/me/").json()["username"] == "otto"

    _signed_in(anon, "maya")
    assert anon.get("/api/v1/me/").json()["username"] == "maya"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Token", "Token a b", "Token caf\u00e9"])
def test_a_malformed_token_header_is_401(anon, mentee, header):
    anon.credentials(HTTP_AUTHORIZATION=header)

    assert anon.get("/api/v1/me/").status_code == 401


def _token(username: str) -> str:
    return (
        APIClient()
        .post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
        .json()["token"]
    )


def _me(token: str):
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/")


@pytest.mark.django_db
def test_the_answer_says_until_when_the_token_works(anon, mentee, settings):
    settings.API_TOKEN_TTL_HOURS = 2

    response = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json")

    expiry = dt.datetime.fromisoformat(response.json()["expiry"])
    assert set(response.json()) == {"token", "expiry"}
    assert expiry.tzinfo is not None
    assert abs(expiry - (timezone.now() + dt.timedelta(hours=2))) < dt.timedelta(seconds=30)


@pytest.mark.django_db
def test_only_a_digest_of_the_token_is_stored(mentee):
    token = _token("maya")

    stored = AuthToken.objects.values().get()
    assert stored["digest"] == hashlib.sha512(token.encode()).hexdigest()
    assert token not in str(stored)


@pytest.mark.django_db
def test_a_token_works_until_its_expiry_and_then_is_401_with_a_token_challenge(mentee):
    token = _token("maya")
    AuthToken.objects.update(expiry=timezone.now() + dt.timedelta(seconds=30))
    assert _me(token).status_code == 200

    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = _me(token)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_using_a_token_does_not_prolong_it(mentee):
    token = _token("maya")
    issued = AuthToken.objects.get().expiry

    _me(token)

    assert AuthToken.objects.get().expiry == issued


@pytest.mark.django_db
def test_checking_a_token_costs_one_query_and_writes_nothing(mentee):
    """The sign-in check of every API call (bench/load.py's `bare api`): one look-up by the token's digest that
    also refuses an expired token and reads whether the person is active."""
    token = _token("maya")
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}")

    with CaptureQueriesContext(connection) as queries:
        user, auth = TokenAuthentication().authenticate(request)

    assert (user.username, auth) == ("maya", AuthToken.objects.get().digest)
    assert len(queries) == 1
    assert queries[0]["sql"].lstrip().upper().startswith("SELECT")


@pytest.mark.django_db
def test_the_token_check_finds_the_token_through_the_index_of_its_digest(postgres, mentee):
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {_token('maya')}")
    with CaptureQueriesContext(connection) as queries:
        TokenAuthentication().authenticate(request)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be read whole anyway
        cursor.execute("EXPLAIN " + queries[0]["sql"])
        plan = "\n".join(line for (line,) in cursor.fetchall())

    table = AuthToken._meta.db_table
    scan, condition = next(pair for pair in itertools.pairwise(plan.splitlines()) if f" on {table} t " in pair[0])
    assert "Index Scan" in scan and "Index Cond" in condition and "digest" in condition, plan


@pytest.mark.django_db
def test_signing_out_stops_the_token_of_this_call_only(mentee):
    this, other = _token("maya"), _token("maya")

    response = APIClient(HTTP_AUTHORIZATION=f"Token {this}").post("/api/v1/auth/logout/")

    assert response.status_code == 204
    assert _me(this).status_code == 401
    assert _me(other).status_code == 200


@pytest.mark.django_db
def test_signing_out_everywhere_stops_every_token_of_the_caller_and_no_one_else_s(mentee, mentor):
    this, other, otto = _token("maya"), _token("maya"), _token("otto")

    response = APIClient(HTTP_AUTHORIZATION=f"Token {this}").post("/api/v1/auth/logout-all/")

    assert response.status_code == 204
    assert _me(this).status_code == _me(other).status_code == 401
    assert _me(otto).status_code == 200


@pytest.mark.django_db
def test_a_signed_in_page_may_sign_every_api_client_out_but_has_no_token_of_its_own_to_revoke(mentee):
    token = _token("maya")
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(mentee)
    browser.get("/profile/")  # the page sets the CSRF cookie its script sends back
    csrf = {"HTTP_X_CSRFTOKEN": browser.cookies["csrftoken"].value}

    assert browser.post("/api/v1/auth/logout/", **csrf).status_code == 401
    assert _me(token).status_code == 200
    assert browser.post("/api/v1/auth/logout-all/", **csrf).status_code == 204
    assert _me(token).status_code == 401


@pytest.mark.django_db
def test_signing_out_needs_a_signed_in_caller(anon):
    assert anon.post("/api/v1/auth/logout/").status_code == 401
    assert anon.post("/api/v1/auth/logout-all/").status_code == 401


@pytest.mark.django_db
def test_a_password_reset_stops_the_tokens_of_every_client(mentee):
    laptop, phone = _token("maya"), _token("maya")

    services.password_reset_completed(user=mentee)

    assert _me(laptop).status_code == _me(phone).status_code == 401


@pytest.mark.django_db
def test_the_hourly_purge_deletes_only_expired_tokens(mentee, mentor):
    _token("maya")
    _token("otto")
    AuthToken.objects.filter(user=mentee).update(expiry=timezone.now() - dt.timedelta(seconds=1))

    assert purge_expired_api_tokens.delay().get() == 1
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["otto"]
    assert celery_app.conf.beat_schedule["purge-expired-api-tokens"]["schedule"] == 60 * 60
