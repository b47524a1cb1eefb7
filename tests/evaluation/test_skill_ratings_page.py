import pytest
from django.urls import reverse

from tests.evaluation.skill_worlds import bring
from tests.mentorship.together_worlds import complete

pytestmark = pytest.mark.django_db


def _skills_page(mentorship):
    return reverse("mentorship-skills-page", args=[mentorship.pk])


def test_the_mentorship_page_links_its_people_to_their_skills(client, mentorship, mentee, mentor, admin_user):
    for person, shown in ((mentee, True), (mentor, True), (admin_user, False)):
        client.force_login(person)
        body = client.get(reverse("mentorship-page", args=[mentorship.pk])).content.decode()
        assert (f'href="{_skills_page(mentorship)}"' in body) is shown, person.username


def test_a_mentee_gets_a_radio_per_level_for_each_skill_and_an_admin_nothing(client, mentorship, mentee, admin_user):
    bring(mentorship, mentee, "Python", "SQL")
    client.force_login(mentee)

    body = client.get(_skills_page(mentorship)).content.decode()

    assert "Rate where you start" in body
    assert body.count('type="radio"') == 10
    assert "5 Expert" in body and 'data-method="PUT"' in body
    client.force_login(admin_user)
    assert client.get(_skills_page(mentorship)).status_code == 404


def test_once_the_window_has_passed_the_page_shows_the_history_only(client, mentorship, mentee):
    bring(mentorship, mentee, "Python")
    complete(mentorship)
    mentorship.ended_at = mentorship.ended_at.replace(year=mentorship.ended_at.year - 1)
    mentorship.save(update_fields=["ended_at"])
    client.force_login(mentee)

    body = client.get(_skills_page(mentorship)).content.decode()

    assert 'type="radio"' not in body
    assert "Ratings are closed." in body and "Python" in body
