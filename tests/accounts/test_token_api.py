import pytest

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
def test_asking_twice_gives_the_same_token(anon, mentee):
    first = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json")
    second = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json")

    assert first.json()["token"] == second.json()["token"]


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
