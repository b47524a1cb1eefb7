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
