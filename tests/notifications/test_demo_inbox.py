import pytest
from django.core import mail
from django.core.management import call_command

from accounts.demo import DEMO_MENTEE, DEMO_MENTOR
from notifications.models import Notification


@pytest.mark.django_db
def test_the_demo_mentor_and_mentee_find_notices_in_their_inbox_and_no_email_leaves():
    call_command("seed_demo")

    for username in (DEMO_MENTOR, DEMO_MENTEE):
        notices = Notification.objects.filter(recipient__username=username)
        assert notices.exists(), username
        assert notices.filter(read_at__isnull=True).exists(), username  # the navigation shows a count
        assert all(n.link.startswith("/") and n.body for n in notices)
    assert Notification.objects.filter(recipient__username=DEMO_MENTEE, link__startswith="/mentorships/").exists()
    assert Notification.objects.filter(recipient__username=DEMO_MENTOR, link="/requests/").exists()
    assert mail.outbox == []
