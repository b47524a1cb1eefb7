"""Starting a sign-up: the same answer whoever is registered; only the owner of the address learns more."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail

from accounts.models import SignUp, User
from programs.models import Program
from tests.accounts.signup import CONFIRM_LINK, PASSWORD, sign_up_body
from tests.factories import MenteeFactory, ProgramFactory

URL = "/api/v1/auth/register/"
STARTED = {"detail": "Check your email: we sent a link to finish signing up."}


@pytest.fixture
def register(anon, django_capture_on_commit_callbacks):
    """POST a sign-up and run what waits for the commit (the email), as the server does."""

    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return anon.post(URL, sign_up_body(**overrides), format="json")

    return post


@pytest.mark.django_db
@pytest.mark.parametrize(
    "existing",
    [None, {"username": "someone", "email": "grace@example.org"}, {"username": "grace", "email": "x@example.org"}],
    ids=["new-email-and-username", "email-has-an-account", "username-has-an-account"],
)
def test_the_answer_is_the_same_whoever_is_registered(register, existing):
    if existing:
        MenteeFactory(**existing)

    response = register(email="Grace@Example.org")

    assert response.status_code == 201
    assert response.json() == STARTED
    assert User.objects.count() == (1 if existing else 0)  # signing up alone creates no account


@pytest.mark.django_db
def test_a_new_address_gets_a_link_to_finish_and_no_account_exists_yet(register):
    register()

    assert not User.objects.filter(username="grace").exists()
    [message] = mail.outbox
    assert message.to == ["grace@example.org"]
    assert message.subject == "Finish signing up to the mentorship program"
    assert CONFIRM_LINK.search(message.body).group(0).startswith("http://testserver/signup/confirm/")
    assert '"grace"' in message.body
    assert "48 hours" in message.body


@pytest.mark.django_db
def test_an_address_with_an_account_is_told_so_with_links_to_sign_in_and_reset(register):
    MenteeFactory(username="gh", email="grace@example.org", full_name="Grace Hopper")

    register(email="GRACE@example.org", username="grace2")

    assert not SignUp.objects.exists()
    [message] = mail.outbox
    assert message.to == ["grace@example.org"]
    assert message.subject == "You already have a mentorship account"
    assert "Someone (hopefully you) tried to sign up" in message.body
    assert "http://testserver/accounts/login/" in message.body
    assert "http://testserver/accounts/password-reset/" in message.body
    assert '"gh"' in message.body
    assert not CONFIRM_LINK.search(message.body)


@pytest.mark.django_db
def test_a_taken_username_still_gets_a_link_to_the_new_address(register):
    MenteeFactory(username="grace", email="first.grace@example.org")

    register(username="GRACE")

    [message] = mail.outbox
    assert message.to == ["grace@example.org"]
    assert CONFIRM_LINK.search(message.body)


@pytest.mark.django_db
def test_the_pending_sign_up_keeps_a_hash_and_a_digest_never_the_password_or_token(register):
    register()

    signup = SignUp.objects.get()
    token = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    assert PASSWORD not in signup.password
    assert signup.password.startswith(("md5$", "pbkdf2_sha256$"))
    assert token not in signup.token_digest
    assert signup.token_digest == SignUp.digest_of(token)
    assert len(token) >= 43  # secrets.token_urlsafe(32)


@pytest.mark.django_db
def test_rejected_sign_up_sends_no_email_and_stores_nothing(register):
    response = register(password="short")

    assert response.status_code == 400
    assert mail.outbox == []
    assert not SignUp.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message_part"),
    [
        ("username", "", "may not be blank"),
        ("username", "has spaces", "Enter a valid username"),
        ("email", "not-an-email", "valid email"),
        ("password", "short", "too short"),
        ("password", "password123", "too common"),
        ("password", "83749201938", "entirely numeric"),
        ("role", "admin", "not a valid choice"),
        ("full_name", "", "may not be blank"),
    ],
)
def test_invalid_field_is_a_400_naming_the_field(anon, field, value, message_part):
    response = anon.post(URL, sign_up_body(**{field: value}), format="json")

    assert response.status_code == 400
    assert message_part in " ".join(response.json()[field])


@pytest.mark.django_db
def test_the_role_and_the_program_wait_with_the_sign_up(register):
    ProgramFactory(slug="spring")

    assert register(role="mentee", program="spring").status_code == 201

    assert SignUp.objects.values_list("role", "program").get() == ("mentee", "spring")


@pytest.mark.django_db
def test_a_sign_up_may_name_no_role(register):
    assert register(role=None).status_code == 201

    assert SignUp.objects.values_list("role", "program").get() == ("", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"program": "no-such-program"}, "program"),
        ({"program": "not a slug"}, "program"),
        ({"program": "spring", "role": None}, "role"),
        ({"role": "peer"}, "role"),  # the default program is one-on-one: mentors and mentees
        ({"role": "peer", "program": "spring"}, "role"),
        ({"role": "admin", "program": "spring"}, "role"),
    ],
)
def test_a_program_that_does_not_exist_or_a_role_it_does_not_take_is_a_400_and_nothing_waits(
    register, overrides, field
):
    ProgramFactory(slug="spring")

    response = register(**overrides)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not SignUp.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_peer_signs_up_to_a_peer_program(register):
    ProgramFactory(slug="circle", format=Program.Format.PEER)

    assert register(role="peer", program="circle").status_code == 201


@pytest.mark.django_db
def test_every_invalid_field_is_reported_at_once(anon):
    response = anon.post(URL, {"username": "", "email": "x", "password": "1", "role": "boss"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "email", "password", "role", "full_name"}


@pytest.mark.django_db
def test_password_too_similar_to_the_username_is_refused(anon):
    response = anon.post(URL, sign_up_body(username="grace.hopper.dev", password="grace.hopper.dev1"), format="json")

    assert response.status_code == 400
    assert "too similar" in " ".join(response.json()["password"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    ['{"username": "grace",', "[1, 2, 3]", '"just a string"', "null"],
    ids=["truncated", "list", "string", "null"],
)
def test_malformed_json_is_a_400_not_a_500(anon, body):
    response = anon.post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()


@pytest.mark.django_db
def test_unknown_fields_are_named_rather_than_ignored(anon):
    response = anon.post(URL, sign_up_body(is_staff=True), format="json")

    assert response.status_code == 400
    assert response.json() == {"is_staff": ["This field is not accepted here."]}
    assert not SignUp.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("email_has_an_account", [False, True])
def test_both_ways_pay_for_hashing_the_password_so_timing_tells_little(register, email_has_an_account):
    if email_has_an_account:
        MenteeFactory(email="grace@example.org")

    with mock.patch("accounts.services.make_password", wraps=make_password) as hashing:
        register()

    hashing.assert_called_once_with(PASSWORD)


# Usernames that pass the serializer (150 characters at most, letters and digits) but not once NFKC-normalised, as
# the account would hold them: U+FDFA is one letter that becomes 18 characters with spaces, "ﬁ" becomes "fi".
MALFORMED_ONCE_NORMALISED = {
    "ten-ligatures-too-long-and-spaces": "\ufdfa" * 10,
    "one-ligature-with-spaces": "\ufdfa",
    "fraction-slash": "\u00bd",
    "parenthesised-digit": "\u2474x",
    "only-too-long": "\ufb01" * 100,
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", MALFORMED_ONCE_NORMALISED.values(), ids=MALFORMED_ONCE_NORMALISED.keys())
def test_a_username_invalid_once_normalised_is_the_same_400_for_a_free_and_a_taken_address(register, username):
    MenteeFactory(username="someone", email="taken@example.org")

    free = register(username=username, email="free@example.org")
    taken = register(username=username, email="taken@example.org")

    assert free.status_code == taken.status_code == 400
    assert free.json() == taken.json()
    assert list(free.json()) == ["username"]
    assert mail.outbox == []
    assert not SignUp.objects.exists()


@pytest.mark.django_db
def test_every_rule_of_the_account_is_checked_before_the_address_is_looked_up(register):
    """A username too long once normalised, and a password too similar to it as normalised: both reported at
    once, the same way for a taken address."""
    MenteeFactory(username="someone", email="taken@example.org")
    body = {"username": "\ufb01" * 100, "password": "fi" * 60 + "x"}

    free = register(**body, email="free@example.org")
    taken = register(**body, email="taken@example.org")

    assert free.status_code == taken.status_code == 400
    assert free.json() == taken.json()
    assert set(free.json()) == {"username", "password"}
