"""Every email leaves through notifications/: notices to an account are inbox rows with a link to what they are
about (the requests page, the new mentorship, the directory to find another), and links that hold a secret go by
email alone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from notifications.models import Notification
from notifications.services import notification_settings_update
from programs.models import Membership
from tests.conftest import client_for
from tests.factories import ProgramAdminFactory, ProgramFactory, UserFactory
from tests.formats import person

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Sending mail by any of Django's ways (a `def send_mail` overriding a form's method is not a call).
SENDS_MAIL = re.compile(
    r"(?<!def )\bsend_mail\(|\bsend_mass_mail\(|\bmail_admins\(|\bmail_managers\(|EmailMessage|"
    r"EmailMultiAlternatives|\.email_user\(|from django\.core\.mail import|from django\.core import mail\b|"
    r"get_connection\("
)


def test_nothing_outside_notifications_sends_email():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in ("notifications", "tests", ".venv", "node_modules") or "site-packages" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SENDS_MAIL.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")

    assert offenders == []


def test_the_source_check_finds_what_it_is_there_to_find():
    for line in (
        "from django.core.mail import send_mail",
        "from django.core import mail",
        "    send_mail(subject, body, None, [to])",
        "user.email_user(subject, body)",
        "EmailMessage(subject=s, body=b, to=[t]).send()",
    ):
        assert SENDS_MAIL.search(line), line
    assert not SENDS_MAIL.search("    def send_mail(self, subject_template_name, email_template_name, context,")
    assert not SENDS_MAIL.search('EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"')


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """An API call whose transaction commits, so that its emails leave as in production."""

    def call(user, url, body=None, method="post"):
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client_for(user), method)(url, body or {}, format="json")

    return call


def _formats():
    """(program slug, asker, asked, how the request names the one asked) for each format."""
    circles = ProgramFactory(slug="circles", name="Leadership circles", format="group")
    peers = ProgramFactory(slug="peers", name="Peer learning", format="peer")
    return {
        "one_on_one": ("main", *_two("ann", "otto", ProgramFactory._meta.model.objects.get(slug="main"))),
        "circle": (
            "circles",
            person("cal", "Cal Circle", circles, "mentee"),
            person("gia", "Gia Guide", circles, "mentor", capacity=3),
            "mentor",
        ),
        "peer": ("peers", person("pia", "Pia Peer", peers, "peer"), person("pax", "Pax Peer", peers, "peer"), "peer"),
    }


def _two(asker, asked, program):
    mentee = person(asker, asker.title() + " Asker", program, "mentee")
    mentor = person(asked, asked.title() + " Asked", program, "mentor", capacity=2)
    return mentee, mentor, "mentor"


@pytest.mark.parametrize("format_name", ["one_on_one", "circle", "peer"])
def test_a_request_and_its_acceptance_are_notices_linking_the_requests_page_then_the_new_mentorship(act, format_name):
    slug, asker, asked, field = _formats()[format_name]

    sent = act(asker, "/api/v1/requests/", {field: asked.pk, "program": slug, "message": "Shall we?"})
    assert sent.status_code == 201, sent.json()
    received = Notification.objects.get(recipient=asked)
    assert (received.kind, received.link) == ("request", "/requests/")
    assert [m.to for m in mail.outbox] == [[asked.email]]
    assert f"{settings.SITE_URL}/requests/" in mail.outbox[0].body

    accepted = act(asked, f"/api/v1/requests/{sent.json()['id']}/accept/")
    assert accepted.status_code == 200, accepted.json()
    notice = Notification.objects.get(recipient=asker)
    page = f"/mentorships/{accepted.json()['mentorship']}/"
    assert (notice.kind, notice.link) == ("request", page)
    assert mail.outbox[-1].to == [asker.email]
    assert f"{settings.SITE_URL}{page}" in mail.outbox[-1].body
    assert client_for(asker).get(page.replace("/mentorships/", "/api/v1/mentorships/")).status_code == 200


@pytest.mark.parametrize(
    ("format_name", "finder"),
    [
        ("one_on_one", "/programs/main/mentors/"),
        ("circle", "/programs/circles/mentors/"),
        ("peer", "/programs/peers/peers/"),
    ],
)
def test_a_declined_request_points_to_where_to_find_another(act, format_name, finder):
    slug, asker, asked, field = _formats()[format_name]
    sent = act(asker, "/api/v1/requests/", {field: asked.pk, "program": slug})

    declined = act(asked, f"/api/v1/requests/{sent.json()['id']}/decline/", {"note": "Try Lea."})

    assert declined.status_code == 200, declined.json()
    assert Notification.objects.get(recipient=asker).link == finder
    assert f"{settings.SITE_URL}{finder}" in mail.outbox[-1].body


def test_the_decline_email_names_the_reason_by_its_label_and_gives_the_note_on_its_own_lines(act, mentee, mentor):
    sent = act(mentee, "/api/v1/requests/", {"mentor": mentor.pk, "message": "Hello"})

    act(mentor, f"/api/v1/requests/{sent.json()['id']}/decline/", {"reason": "no_capacity", "note": "i have no room"})

    body = mail.outbox[-1].body
    assert "declined your mentorship request: i have no room for another mentee right now." in body.lower()
    assert "\nTheir note:\ni have no room\n" in body
    assert "request: i have no room\n" not in body  # the note is not given as the reason


def test_a_decline_without_a_reason_or_note_says_neither(act, mentee, mentor):
    sent = act(mentee, "/api/v1/requests/", {"mentor": mentor.pk})

    act(mentor, f"/api/v1/requests/{sent.json()['id']}/decline/", {})

    body = mail.outbox[-1].body
    assert "declined your mentorship request.\n" in body and "Their note" not in body


def test_a_mentor_who_turned_requests_off_gets_the_notice_in_the_inbox_only(act, mentee, mentor):
    notification_settings_update(user_id=mentor.pk, changes={"request": "off"})

    act(mentee, "/api/v1/requests/", {"mentor": mentor.pk, "message": "Hello"})

    assert Notification.objects.filter(recipient=mentor, kind="request").count() == 1
    assert mail.outbox == []


def test_a_password_reset_is_emailed_and_kept_from_the_inbox(client, mentee):
    response = client.post("/accounts/password-reset/", {"email": mentee.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
    assert "\n" not in mail.outbox[0].subject
    assert not Notification.objects.exists()


def test_a_sign_up_link_is_emailed_and_the_welcome_is_a_notice(act, anon, django_capture_on_commit_callbacks):
    body = {"username": "nia", "email": "nia@example.org", "password": "a-long-unusual-secret", "full_name": "Nia"}
    with django_capture_on_commit_callbacks(execute=True):
        assert anon.post("/api/v1/auth/register/", body, format="json").status_code == 201
    assert not Notification.objects.exists()
    token = re.search(r"/signup/confirm/([^/\s]+)/", mail.outbox[0].body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = anon.post("/api/v1/auth/register/confirm/", {"token": token}, format="json")

    assert confirmed.status_code == 201
    welcome = Notification.objects.get()
    assert (welcome.kind, welcome.recipient.username, welcome.link) == ("account", "nia", "/home/")
    assert mail.outbox[-1].subject == "Welcome to the mentorship program"


def test_an_added_member_gets_a_notice_linking_the_program_and_an_invited_one_only_an_email(act):
    program = ProgramFactory(slug="spring", name="Spring cohort")
    admin = ProgramAdminFactory(username="adam", membership__program=program)
    known = UserFactory(username="kim", email="kim@example.org")

    added = act(admin, "/api/v1/programs/spring/members/", {"email": "kim@example.org", "role": "mentee"})
    invited = act(admin, "/api/v1/programs/spring/members/", {"email": "new@example.org", "role": "mentor"})

    assert (added.status_code, invited.status_code) == (201, 201)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.link) == (known, "program", "/programs/spring/")
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@example.org", "new@example.org"]
    assert Membership.objects.filter(user__email="new@example.org", status="invited").exists()


def test_a_password_reset_that_cannot_be_sent_answers_as_any_other(client, mentee, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"

    response = client.post("/accounts/password-reset/", {"email": mentee.email})

    assert (response.status_code, response["Location"]) == (302, "/accounts/password-reset/sent/")
