"""Daily and weekly digests: one email per person with every notice held for it (subject and link each), sent
once however often the beat runs."""

import threading

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from notifications import digests
from notifications.models import Notification
from notifications.services import notification_settings_update
from notifications.tasks import send_digests
from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db


def held(person, subject, *, delivery="daily", kind="request", link="/requests/"):
    return Notification.objects.create(
        recipient=person, kind=kind, subject=subject, body=subject, link=link, delivery=delivery
    )


def test_the_daily_digest_lists_each_held_notice_with_its_absolute_link(mentee, mentor):
    held(mentee, "Otto accepted your mentorship request", link="/mentorships/4/")
    held(mentee, "Pia declined your mentorship request", link="/programs/main/mentors/")
    held(mentor, "New mentorship request from Maya")

    assert send_digests("daily") == 2

    to = {message.to[0]: message for message in mail.outbox}
    assert sorted(to) == sorted([mentee.email, mentor.email])
    maya = to[mentee.email]
    assert maya.subject == "Your daily digest: 2 notices"
    body = maya.body
    assert f"- Otto accepted your mentorship request\n  {settings.SITE_URL}/mentorships/4/" in body
    assert f"- Pia declined your mentorship request\n  {settings.SITE_URL}/programs/main/mentors/" in body
    assert body.index("Otto accepted") < body.index("Pia declined")  # in the order they came
    assert f"{settings.SITE_URL}/notifications/settings/" in body
    assert to[mentor.email].subject == "Your daily digest: 1 notice"


def test_running_the_digest_twice_sends_one_email(mentee):
    held(mentee, "One")
    held(mentee, "Two")

    send_digests("daily")
    send_digests("daily")

    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_notice_arriving_after_a_digest_waits_for_the_next_one(mentee):
    held(mentee, "First")
    send_digests("daily")
    held(mentee, "Second")

    send_digests("daily")

    assert [m.subject for m in mail.outbox] == ["Your daily digest: 1 notice"] * 2
    assert "Second" in mail.outbox[1].body and "First" not in mail.outbox[1].body


def test_each_digest_takes_only_its_own_notices(mentee):
    held(mentee, "For the day")
    held(mentee, "For the week", delivery="weekly")
    held(mentee, "Never emailed", delivery="off")
    held(mentee, "Sent at once", delivery="immediately")

    send_digests("daily")
    send_digests("weekly")

    daily, weekly = mail.outbox
    assert "For the day" in daily.body and "For the week" not in daily.body
    assert weekly.subject == "Your weekly digest: 1 notice" and "For the week" in weekly.body
    bodies = daily.body + weekly.body
    assert "Never emailed" not in bodies and "Sent at once" not in bodies


def test_a_kind_turned_off_before_the_digest_is_never_emailed(mentee):
    held(mentee, "Held")
    notification_settings_update(user_id=mentee.pk, changes={"request": "off"})

    send_digests("daily")

    assert mail.outbox == []


def test_a_failed_digest_gives_its_notices_back_for_the_retry(mentee, settings):
    held(mentee, "Held")
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    with pytest.raises(Exception):  # noqa: B017 - whatever the transport raises, the rows come back
        digests.digest_send(recipient_id=mentee.pk, delivery="daily")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert digests.digest_send(recipient_id=mentee.pk, delivery="daily") is True
    assert len(mail.outbox) == 1


def test_someone_without_an_address_gets_no_digest_and_the_rest_do(mentee):
    nobody = MenteeFactory(username="noaddress", email="")
    held(nobody, "Held")
    held(mentee, "Held too")

    send_digests("daily")

    assert [m.to for m in mail.outbox] == [[mentee.email]]


def test_the_beat_sends_the_daily_digest_at_seven_and_the_weekly_one_on_mondays():
    schedule = settings.CELERY_BEAT_SCHEDULE
    daily = next(
        e for e in schedule.values() if e["task"] == "notifications.tasks.send_digests" and e["args"] == ("daily",)
    )
    weekly = next(
        e for e in schedule.values() if e["task"] == "notifications.tasks.send_digests" and e["args"] == ("weekly",)
    )

    assert daily["schedule"] == crontab(minute=0, hour=7)
    assert weekly["schedule"] == crontab(minute=0, hour=7, day_of_week="mon")


@pytest.mark.django_db(transaction=True)
def test_a_digest_skips_the_notices_another_run_is_sending(postgres):
    """Two beats at once: while one run holds a person's notices (claimed, not yet committed), the other finds
    nothing to send for them and sends nothing; once the first commits, nothing is left."""
    person = MenteeFactory(username="maya2", email="maya2@example.org")
    held(person, "Held")
    results = []

    def other_run():
        try:
            results.append(digests.digest_send(recipient_id=person.pk, delivery="daily"))
        finally:
            connection.close()

    with transaction.atomic():
        claimed = list(Notification.objects.filter(recipient=person).select_for_update().values_list("pk", flat=True))
        Notification.objects.filter(pk__in=claimed).update(emailed_at="2026-01-05T07:00:00Z")
        thread = threading.Thread(target=other_run)
        thread.start()
        thread.join(timeout=10)
        waited = thread.is_alive()  # a run that waits for the other's lock would be two beats in a queue

    thread.join()
    assert not waited
    assert results == [False]
    assert mail.outbox == []
    assert digests.digest_send(recipient_id=person.pk, delivery="daily") is False
