import pytest
from django.core import mail

from accounts.models import MenteeProfile, MentorProfile, User
from tests.factories import MenteeFactory

URL = "/api/v1/auth/register/"


def payload(**overrides):
    data = {
        "username": "grace",
        "email": "grace@example.org",
        "password": "a-long-unusual-secret",
        "role": "mentor",
        "full_name": "Grace Hopper",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_registering_a_mentor_creates_the_account_and_an_empty_mentor_profile(anon):
    response = anon.post(URL, payload(), format="json")

    assert response.status_code == 201
    assert response.json()["role"] == "mentor"
    assert "password" not in response.json()
    user = User.objects.get(username="grace")
    assert user.check_password("a-long-unusual-secret")
    assert MentorProfile.objects.filter(user=user).exists()
    assert not MenteeProfile.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_registering_a_mentee_creates_a_mentee_profile(anon):
    response = anon.post(URL, payload(role="mentee"), format="json")

    assert response.status_code == 201
    assert MenteeProfile.objects.filter(user__username="grace").exists()


@pytest.mark.django_db
def test_welcome_email_goes_out_once_the_account_is_committed(anon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        anon.post(URL, payload(), format="json")

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["grace@example.org"]
    assert "Welcome" in mail.outbox[0].subject
    assert '"grace"' in mail.outbox[0].body


@pytest.mark.django_db
def test_rejected_registration_sends_no_email_and_creates_nothing(anon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post(URL, payload(password="short"), format="json")

    assert response.status_code == 400
    assert mail.outbox == []
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
    response = anon.post(URL, payload(**{field: value}), format="json")

    assert response.status_code == 400
    assert message_part in " ".join(response.json()[field])


@pytest.mark.django_db
def test_every_invalid_field_is_reported_at_once(anon):
    response = anon.post(URL, {"username": "", "email": "x", "password": "1", "role": "boss"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "email", "password", "role", "full_name"}


@pytest.mark.django_db
def test_password_too_similar_to_the_username_is_refused(anon):
    response = anon.post(URL, payload(username="grace.hopper.dev", password="grace.hopper.dev1"), format="json")

    assert response.status_code == 400
    assert "too similar" in " ".join(response.json()["password"])


@pytest.mark.django_db
def test_taken_username_is_refused_whatever_its_case(anon):
    MenteeFactory(username="grace")

    response = anon.post(URL, payload(username="GRACE", email="other@example.org"), format="json")

    assert response.status_code == 400
    assert response.json() == {"username": ["That username is taken."]}
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_taken_email_is_refused_whatever_its_case(anon):
    MenteeFactory(username="someone", email="grace@example.org")

    response = anon.post(URL, payload(email="Grace@Example.org"), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


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
    response = anon.post(URL, payload(is_staff=True), format="json")

    assert response.status_code == 400
    assert response.json() == {"is_staff": ["This field is not accepted here."]}
    assert not User.objects.filter(is_staff=True).exists()
