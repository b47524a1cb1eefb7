"""The mentorship page's agreement, action items and conversation; the unread badge; the home page's items."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship import agreements, messages
from mentorship.models import ActionItem, ConversationRead
from tests.mentorship.together_worlds import FORMATS, world_of


def _page(client, user, url) -> str:
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def _mentorship_page(mentorship) -> str:
    return reverse("mentorship-page", args=[mentorship.pk])


def test_before_an_agreement_the_page_asks_for_one_with_the_outline(client, mentorship, mentee):
    page = _page(client, mentee, _mentorship_page(mentorship))

    assert "Propose the agreement" in page
    assert "Goals for our time together" in page and "Confidentiality" in page


@pytest.mark.parametrize("kind", FORMATS)
def test_who_has_not_confirmed_is_offered_the_confirm_button(client, kind, mentee, mentor):
    mentorship, people = world_of(kind, mentee, mentor)
    agreements.agreement_write(
        mentorship=mentorship, by=people[0], terms={"cadence_days": 10, "expectations": "Be on time"}
    )

    writer = _page(client, people[0], _mentorship_page(mentorship))
    other = _page(client, people[-1], _mentorship_page(mentorship))

    assert "Every 10 days" in writer and "Be on time" in writer
    assert "Confirm the agreement" not in writer and "Change the agreement" in writer
    assert "Confirm the agreement" in other
    assert "waiting for you" in other


def test_the_conversation_is_escaped_linked_and_read_on_sight(client, mentorship, mentee, mentor):
    mentor.profile.timezone = "Asia/Tokyo"
    mentor.profile.save(update_fields=["timezone"])
    message = messages.message_send(
        mentorship=mentorship, author=mentee, body="<b>hi</b>\nsee https://example.org and javascript:alert(1)"
    )

    mentees_list = _page(client, mentor, reverse("mentorship-list-page"))
    assert "1 unread message" in mentees_list
    page = _page(client, mentor, _mentorship_page(mentorship))

    assert "&lt;b&gt;hi&lt;/b&gt;<br>" in page
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">' in page
    assert 'href="javascript' not in page
    tokyo = timezone.localtime(message.created_at, dt.timezone(dt.timedelta(hours=9)))
    assert f"{tokyo:%H:%M}" in page and "Asia/Tokyo" in page
    assert ConversationRead.objects.get(user=mentor).last_read_id == message.pk
    after = _page(client, mentor, reverse("mentorship-list-page"))
    assert "unread message" not in after


def test_the_navigation_says_how_many_messages_wait(client, mentorship, mentee, mentor):
    for text in ("One", "Two", "Three"):
        messages.message_send(mentorship=mentorship, author=mentee, body=text)

    page = _page(client, mentor, reverse("home"))

    assert "3 unread messages" in page


def test_an_admin_reads_the_agreement_and_items_but_not_the_conversation(client, mentorship, mentee, admin_user):
    messages.message_send(mentorship=mentorship, author=mentee, body="Just between us")
    ActionItem.objects.create(mentorship=mentorship, title="Read the book", owner=mentee, created_by=mentee)

    page = _page(client, admin_user, _mentorship_page(mentorship))

    assert "Just between us" not in page and "Read the book" in page
    assert "Propose the agreement" not in page


def test_home_lists_my_open_items_the_overdue_first_and_says_so(client, mentorship, mentee, mentor):
    today = timezone.localdate()
    for title, due in (("Later", today + dt.timedelta(days=5)), ("Late", today - dt.timedelta(days=1))):
        ActionItem.objects.create(mentorship=mentorship, title=title, owner=mentee, created_by=mentor, due_on=due)
    ActionItem.objects.create(
        mentorship=mentorship, title="Finished", owner=mentee, created_by=mentor, done=True, done_at=timezone.now()
    )
    ActionItem.objects.create(mentorship=mentorship, title="Otto's", owner=mentor, created_by=mentor)

    page = _page(client, mentee, reverse("home"))

    assert "Your action items" in page
    assert page.index("Late<") < page.index("Later<")
    assert "Overdue" in page and "Finished" not in page and "Otto's" not in page
    assert _mentorship_page(mentorship) in page


def test_the_mentorship_page_marks_overdue_items_in_words(client, mentorship, mentee):
    past = timezone.localdate() - dt.timedelta(days=3)
    ActionItem.objects.create(mentorship=mentorship, title="Send the CV", owner=mentee, created_by=mentee, due_on=past)

    page = _page(client, mentee, _mentorship_page(mentorship))

    assert "Send the CV" in page and ">Overdue<" in page
