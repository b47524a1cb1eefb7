"""Pending sign-ups and changes of address whose link has expired, and expired sessions, are deleted every hour."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import EmailChange, SignUp
from accounts.tasks import purge_expired_sessions, purge_expired_signups
from config.celery_app import app as celery_app
from tests.factories import EmailChangeFactory


def _pending(name: str, *, hours_ago: float) -> SignUp:
    signup = SignUp.objects.create(
        email=f"{name}@example.org",
        username=name,
        full_name=name.title(),
        role="mentee",
        password="md5$x",
        token_digest=SignUp.digest_of(name),
    )
    SignUp.objects.filter(pk=signup.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours_ago))
    return signup


@pytest.mark.django_db
def test_the_purge_deletes_only_sign_ups_older_than_their_link(settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    _pending("stale", hours_ago=49)
    _pending("old", hours_ago=24 * 30)
    _pending("fresh", hours_ago=47)

    purged = purge_expired_signups.delay().get()

    assert purged == 2
    assert list(SignUp.objects.values_list("username", flat=True)) == ["fresh"]


@pytest.mark.django_db
def test_the_purge_deletes_changes_of_address_older_than_their_link_too(settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    stale = EmailChangeFactory(email="stale@example.org", token="stale")
    EmailChangeFactory(email="fresh@example.org", token="fresh")
    EmailChange.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=49))
    _pending("stale", hours_ago=49)

    assert purge_expired_signups.delay().get() == 2

    assert list(EmailChange.objects.values_list("email", flat=True)) == ["fresh@example.org"]
    assert not SignUp.objects.exists()


@pytest.mark.django_db
def test_the_purge_follows_the_setting(settings):
    settings.SIGNUP_CONFIRM_HOURS = 1
    _pending("two-hours", hours_ago=2)

    assert purge_expired_signups() == 1


def test_celery_beat_purges_every_hour():
    entry = celery_app.conf.beat_schedule["purge-expired-sign-ups"]
    assert (entry["task"], entry["schedule"]) == ("accounts.tasks.purge_expired_signups", 60 * 60)
    assert entry["task"] in celery_app.tasks


@pytest.mark.django_db
def test_the_hourly_purge_deletes_expired_sessions_and_keeps_the_others():
    Session.objects.create(session_key="gone", session_data="", expire_date=timezone.now() - dt.timedelta(seconds=1))
    Session.objects.create(session_key="kept", session_data="", expire_date=timezone.now() + dt.timedelta(days=1))

    purge_expired_sessions.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["kept"]
    entry = celery_app.conf.beat_schedule["purge-expired-sessions"]
    assert (entry["task"], entry["schedule"]) == ("accounts.tasks.purge_expired_sessions", 60 * 60)
