"""Finishing a sign-up with the emailed link: the account is made then, with the password typed at sign-up."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Profile, SignUp, User
from programs.models import Program
from tests.accounts.signup import PASSWORD, confirmation_token, sign_up_body
from tests.factories import MenteeFactory, ProgramFactory

REGISTER = "/api/v1/auth/register/"
CONFIRM = "/api/v1/auth/register/confirm/"
INVALID = {"token": ["This link is invalid or has expired. Sign up again."]}

pytestmark = pytest.mark.django_db


def roles(user) -> list[tuple[str, str, str]]:
    return list(user.memberships.order_by("program__slug", "role").values_list("program__slug", "role", "status"))


@pytest.fixture
def sign_up(anon, django_capture_on_commit_callbacks):
    """Start a sign-up; returns the token of the link it emails."""

    def start(**overrides) -> str:
        body = sign_up_body(**overrides)
        with django_capture_on_commit_callbacks(execute=True):
            assert anon.post(REGISTER, body, format="json").status_code == 201
        return confirmation_token(body["email"])

    return start


@pytest.fixture
def confirm(anon, django_capture_on_commit_callbacks):
    def post(body):
        with django_capture_on_commit_callbacks(execute=True):
            return anon.post(CONFIRM, body, format="json")

    return post


def test_the_link_creates_the_account_with_an_empty_profile_as_a_mentor_of_the_default_program(sign_up, confirm):
    token = sign_up()
    assert not User.objects.exists()

    response = confirm({"token": token})

    assert response.status_code == 201
    body = response.json()
    assert (body["username"], body["email"], body["full_name"], body["role"]) == (
        "grace",
        "grace@example.org",
        "Grace Hopper",
        "mentor",
    )
    assert "password" not in body
    user = User.objects.get(username="grace")
    assert Profile.objects.filter(user=user, headline="", bio="").exists()
    assert roles(user) == [("main", "mentor", "active")]
    assert not SignUp.objects.exists()


def test_a_mentee_joins_the_default_program_as_a_mentee(sign_up, confirm):
    response = confirm({"token": sign_up(role="mentee")})

    assert response.json()["role"] == "mentee"
    assert roles(User.objects.get(username="grace")) == [("main", "mentee", "active")]


def test_a_sign_up_naming_an_open_program_joins_it_in_the_role(sign_up, confirm):
    ProgramFactory(slug="spring", name="Spring cohort")

    response = confirm({"token": sign_up(role="mentee", program="spring")})

    assert response.status_code == 201
    assert response.json()["role"] == ""  # the deprecated role is the default program's
    assert roles(User.objects.get(username="grace")) == [("spring", "mentee", "active")]


def test_a_sign_up_naming_an_invite_only_program_makes_the_account_but_joins_nothing(sign_up, confirm):
    ProgramFactory(slug="board", enrollment=Program.Enrollment.INVITE)

    response = confirm({"token": sign_up(role="mentor", program="board")})

    assert response.status_code == 201
    assert roles(User.objects.get(username="grace")) == []


def test_a_program_closed_between_sign_up_and_link_is_not_joined(sign_up, confirm):
    spring = ProgramFactory(slug="spring")
    token = sign_up(role="mentee", program="spring")
    spring.enrollment = Program.Enrollment.CLOSED
    spring.save()

    assert confirm({"token": token}).status_code == 201
    assert roles(User.objects.get(username="grace")) == []


def test_a_mentor_waits_for_approval_where_the_program_says_so(sign_up, confirm):
    ProgramFactory(slug="spring", mentor_approval=True)

    confirm({"token": sign_up(role="mentor", program="spring")})

    assert roles(User.objects.get(username="grace")) == [("spring", "mentor", "pending")]


def test_a_sign_up_without_a_role_joins_no_program(sign_up, confirm):
    response = confirm({"token": sign_up(role=None)})

    assert (response.status_code, response.json()["role"]) == (201, "")
    assert roles(User.objects.get(username="grace")) == []


def test_the_password_typed_at_sign_up_is_the_one_that_signs_in(sign_up, confirm, anon):
    confirm({"token": sign_up()})

    token = anon.post("/api/v1/auth/token/", {"username": "grace", "password": PASSWORD}, format="json")
    wrong = anon.post("/api/v1/auth/token/", {"username": "grace", "password": "not-it-at-all"}, format="json")

    assert token.status_code == 200
    assert wrong.status_code == 400


def test_confirming_with_the_password_chosen_at_sign_up_signs_the_browser_in(sign_up, confirm, anon):
    confirm({"token": sign_up(), "password": PASSWORD})

    assert anon.get("/api/v1/me/").json()["username"] == "grace"
    assert anon.get("/home/").status_code == 200


def test_the_token_alone_creates_the_account_but_signs_no_one_in(sign_up, confirm, anon):
    """The link may be read from an access log or a browser's history and replayed: the token proves the address,
    not the person, so it never signs in (API clients then ask auth/token/ with the password, as before)."""
    response = confirm({"token": sign_up()})

    assert response.status_code == 201
    assert User.objects.filter(username="grace").exists()
    assert anon.get("/api/v1/me/").status_code == 401
    assert (
        anon.post("/api/v1/auth/token/", {"username": "grace", "password": PASSWORD}, format="json").status_code == 200
    )


@pytest.mark.parametrize("password", ["not-the-one-chosen", PASSWORD.upper(), " " + PASSWORD])
def test_another_password_is_a_400_and_creates_nothing(sign_up, confirm, anon, password):
    token = sign_up()

    response = confirm({"token": token, "password": password})

    assert response.status_code == 400
    assert response.json() == {"password": ["That is not the password you chose when you signed up."]}
    assert not User.objects.exists()
    assert anon.get("/api/v1/me/").status_code == 401
    assert confirm({"token": token, "password": PASSWORD}).status_code == 201  # the link still works


def test_a_blank_password_is_refused_as_blank(sign_up, confirm):
    """The page sends its empty field: that must not fall back to confirming without signing in."""
    response = confirm({"token": sign_up(), "password": ""})

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not User.objects.exists()


def test_the_password_is_not_checked_on_an_invalid_link(confirm):
    response = confirm({"token": "made-up", "password": "anything-at-all"})

    assert response.json() == INVALID


def test_a_call_from_another_site_creates_the_account_but_signs_no_one_in(sign_up):
    """Another site's form could otherwise sign a visitor in to an account of its maker's (login CSRF)."""
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    response = browser.post(CONFIRM, {"token": sign_up(), "password": PASSWORD}, format="json")

    assert response.status_code == 201
    assert User.objects.filter(username="grace").exists()
    assert browser.get("/api/v1/me/").status_code == 401


def test_the_welcome_email_follows_the_confirmation(sign_up, confirm):
    confirm({"token": sign_up()})

    assert mail.outbox[-1].to == ["grace@example.org"]
    assert "Welcome" in mail.outbox[-1].subject
    assert '"grace"' in mail.outbox[-1].body


def test_a_link_works_once(sign_up, confirm):
    token = sign_up()
    assert confirm({"token": token}).status_code == 201

    again = confirm({"token": token})

    assert again.status_code == 400
    assert again.json() == INVALID
    assert User.objects.count() == 1


def test_an_unknown_token_is_an_invalid_link(confirm):
    response = confirm({"token": "made-up"})

    assert response.status_code == 400
    assert response.json() == INVALID


def test_an_expired_link_is_refused(sign_up, confirm, settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    token = sign_up()
    SignUp.objects.update(created_at=timezone.now() - dt.timedelta(hours=48, minutes=1))

    response = confirm({"token": token})

    assert response.status_code == 400
    assert response.json() == INVALID
    assert not User.objects.exists()


def test_a_link_just_inside_its_hours_still_works(sign_up, confirm, settings):
    settings.SIGNUP_CONFIRM_HOURS = 2
    token = sign_up()
    SignUp.objects.update(created_at=timezone.now() - dt.timedelta(hours=1, minutes=59))

    assert confirm({"token": token}).status_code == 201


def test_a_username_taken_meanwhile_is_a_400_then_another_name_works_with_the_same_link(sign_up, confirm, anon):
    token = sign_up()
    MenteeFactory(username="Grace", email="another.grace@example.org")

    taken = confirm({"token": token})
    assert taken.status_code == 400
    assert taken.json() == {"username": ["That username is taken. Choose another."]}
    assert SignUp.objects.exists()

    retried = confirm({"token": token, "username": "grace.hopper"})

    assert retried.status_code == 201
    assert retried.json()["username"] == "grace.hopper"
    token_body = {"username": "grace.hopper", "password": PASSWORD}
    assert anon.post("/api/v1/auth/token/", token_body, format="json").status_code == 200


def test_the_username_may_be_changed_at_confirmation_but_must_be_valid(sign_up, confirm):
    token = sign_up()

    response = confirm({"token": token, "username": "has spaces"})

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert not User.objects.exists()


def test_an_address_that_meanwhile_has_an_account_is_a_409_saying_to_sign_in(sign_up, confirm):
    token = sign_up()
    MenteeFactory(username="other", email="GRACE@example.org")

    response = confirm({"token": token})

    assert response.status_code == 409
    assert "Sign in, or reset your password" in response.json()["detail"]
    assert User.objects.count() == 1


def test_confirming_removes_every_pending_sign_up_of_that_address(sign_up, confirm):
    first = sign_up()
    second = sign_up(username="grace2")
    sign_up(email="someone.else@example.org", username="else")

    assert confirm({"token": second}).status_code == 201

    assert list(SignUp.objects.values_list("email", flat=True)) == ["someone.else@example.org"]
    assert confirm({"token": first}).json() == INVALID


def test_unknown_fields_and_a_missing_token_are_named(confirm):
    response = confirm({"username": "grace", "is_staff": True})

    assert response.status_code == 400
    assert set(response.json()) == {"token", "is_staff"}
