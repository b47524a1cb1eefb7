"""The inbox page, the settings page and the Inbox link with its unread count in every signed-in page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.context_processors import inbox
from notifications.kinds import KINDS
from notifications.models import Notification, NotificationSetting

pytestmark = pytest.mark.django_db


def notice(person, subject, *, ago=0, read=False, link="/requests/"):
    row = Notification.objects.create(recipient=person, kind="request", subject=subject, body="Body", link=link)
    created = timezone.now() - dt.timedelta(minutes=ago)
    Notification.objects.filter(pk=row.pk).update(created_at=created, read_at=created if read else None)
    return row


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_inbox_shows_my_notices_newest_first_unread_marked_each_with_its_link(client, mentee, mentor):
    notice(mentee, "Older and read", ago=60, read=True, link="/mentorships/4/")
    notice(mentee, "Newer and unread", ago=1)
    notice(mentor, "Otto's own")
    client.force_login(mentee)

    html = client.get("/notifications/").content.decode()

    assert html.index("Newer and unread") < html.index("Older and read")
    assert "Otto&#x27;s own" not in html and "Otto's own" not in html
    assert '<a href="/requests/">Newer and unread</a>' in html
    assert '<a href="/mentorships/4/">Older and read</a>' in html
    assert html.count('class="badge badge-unread">Unread</span>') == 1
    assert "Mark all read" in html
    assert 'data-api="/api/v1/notifications/read/"' in html


def test_the_inbox_without_unread_notices_offers_no_mark_all_button(client, mentee):
    notice(mentee, "Read", read=True)
    client.force_login(mentee)

    assert "Mark all read" not in client.get("/notifications/").content.decode()


def test_a_link_to_another_site_is_not_made_clickable(client, mentee):
    notice(mentee, "Odd link", link="//evil.example.org/")
    notice(mentee, "Odd scheme", link="javascript:alert(1)")
    client.force_login(mentee)

    html = client.get("/notifications/").content.decode()

    assert "evil.example.org" not in html and "javascript:" not in html


def test_the_inbox_pages_twenty_at_a_time(client, mentee):
    for n in range(25):
        notice(mentee, f"Notice {n:02}", ago=n)
    client.force_login(mentee)

    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()

    assert "Notice 00" in first and "Notice 19" in first and "Notice 20" not in first
    assert "Notice 20" in second and "Page 2 of 2" in second


def test_the_inbox_shows_times_in_the_viewers_time_zone(client, mentee):
    mentee.profile.timezone = "Asia/Tokyo"
    mentee.profile.save(update_fields=["timezone"])
    row = notice(mentee, "When")
    Notification.objects.filter(pk=row.pk).update(created_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    client.force_login(mentee)

    assert "2 Mar 2026, 08:30 (Asia/Tokyo)" in _text(client.get("/notifications/").content.decode())


def test_every_signed_in_page_links_the_inbox_with_its_unread_count(client, mentee):
    notice(mentee, "One"), notice(mentee, "Two"), notice(mentee, "Three"), notice(mentee, "Read", read=True)
    client.force_login(mentee)

    html = client.get("/home/").content.decode()

    link = re.search(r'<a class="inbox-link" href="/notifications/"([^>]*)>(.*?)</a>', html, re.S)
    assert 'aria-label="Inbox, 3 unread"' in link.group(1)
    assert _text(link.group(2)) == "Inbox 3"


def test_the_inbox_link_shows_no_count_when_all_is_read(client, mentee):
    notice(mentee, "Read", read=True)
    client.force_login(mentee)

    html = client.get("/home/").content.decode()

    assert re.search(r'<a class="inbox-link" href="/notifications/"[^>]*>Inbox</a>', html)


def test_signed_out_pages_have_no_inbox_link(client):
    assert "/notifications/" not in client.get("/").content.decode()


def test_the_count_costs_one_query(rf, mentee):
    request = rf.get("/")
    request.user = mentee

    with CaptureQueriesContext(connection) as queries:
        assert inbox(request) == {"inbox_unread": 0}

    assert len(queries) == 1


def test_the_settings_page_has_a_select_per_kind_and_security_kinds_always_on(client, mentee):
    NotificationSetting.objects.create(user=mentee, kind="round", delivery="weekly")
    client.force_login(mentee)

    html = client.get("/notifications/settings/").content.decode()

    for key, kind in KINDS.items():
        if kind.security:
            assert f'name="{key}"' not in html
            assert kind.name in html
        else:
            assert f'<select id="delivery-{key}" name="{key}">' in html
    assert '<option value="weekly" selected>' in html
    assert "Always on" in html
    assert 'data-api="/api/v1/me/notification-settings/" data-method="PATCH"' in html


@pytest.mark.parametrize("url", ["/notifications/", "/notifications/settings/"])
def test_the_pages_send_the_signed_out_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
