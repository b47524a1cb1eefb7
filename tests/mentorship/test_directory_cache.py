"""The mentor directory keeps its answers (accounts/directory.py), and never shows one that a change made
through the platform has outdated: the cache in CI is the real Redis (REDIS_URL)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from matching import publishing, rounds, runner
from programs.models import Program
from tests.conftest import client_for
from tests.factories import MenteeFactory, MentorFactory, MentorshipFactory, RequestFactory, with_profile

URL = "/api/v1/mentors/"


@pytest.fixture
def ana(db):
    return with_profile(
        MentorFactory(username="ana", full_name="Ana Mentor"), capacity=2, skills=["Python"], industry="Software"
    )


def slots(client, username="ana"):
    response = client.get(URL, {"skill": "python"})
    assert response.status_code == 200, response.json()
    return {m["username"]: m["open_slots"] for m in response.json()["results"]}.get(username)


@pytest.mark.django_db(transaction=True)
def test_a_kept_answer_costs_only_the_callers_sign_in(mentee_client, ana):
    first = mentee_client.get(URL, {"skill": "python"}).json()
    with CaptureQueriesContext(connection) as captured:
        again = mentee_client.get(URL, {"skill": "python"}).json()

    assert again == first
    assert len(captured) == 0  # force-authenticated client: not even the token look-up


@pytest.mark.django_db(transaction=True)
def test_an_accept_shows_in_the_directory_at_once(mentee_client, ana):
    assert slots(mentee_client) == 2
    request = RequestFactory(mentor=ana, mentee=with_profile(MenteeFactory()))

    response = client_for(ana).post(f"/api/v1/requests/{request.pk}/accept/")

    assert response.status_code == 200, response.json()
    assert slots(mentee_client) == 1


@pytest.mark.django_db(transaction=True)
def test_completing_a_mentorship_frees_the_slot_in_the_directory_at_once(mentee_client, ana):
    mentorship = MentorshipFactory(mentor=ana)
    assert slots(mentee_client) == 1

    assert client_for(ana).post(f"/api/v1/mentorships/{mentorship.pk}/complete/").status_code == 200
    assert slots(mentee_client) == 2


@pytest.mark.django_db(transaction=True)
def test_a_profile_change_shows_in_the_directory_and_its_page_at_once(mentee, mentee_client, ana, client):
    client.force_login(mentee)
    assert "Ana Mentor" in client.get("/mentors/", {"skill": "python"}).content.decode()
    assert slots(mentee_client) == 2

    response = client_for(ana).patch("/api/v1/me/", {"full_name": "Ana Renamed", "capacity": 3}, format="json")

    assert response.status_code == 200, response.json()
    assert slots(mentee_client) == 3
    page = client.get("/mentors/", {"skill": "python"}).content.decode()
    assert "Ana Renamed" in page and "Ana Mentor" not in page


@pytest.mark.django_db(transaction=True)
def test_published_offers_hold_slots_in_the_directory_at_once(mentee_client, ana, admin_user):
    with_profile(MenteeFactory(), skills=["Python"])
    match_round = rounds.round_create(
        program=Program.objects.default(), name="Spring", created_by=admin_user, enqueue=False
    )
    runner.round_run(round_id=match_round.pk)
    assert slots(mentee_client) == 2

    publishing.round_publish(round_id=match_round.pk, by=admin_user)

    assert slots(mentee_client) == 1


@pytest.mark.django_db(transaction=True)
def test_the_directory_answers_with_its_cache_server_unreachable(mentee_client, ana):
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=unreachable):
        response = mentee_client.get(URL, {"skill": "python"})

    assert response.status_code == 200
    assert [m["username"] for m in response.json()["results"]] == ["ana"]


@pytest.mark.django_db(transaction=True)
def test_a_kept_answer_is_the_same_json_and_the_browsable_api_still_renders(mentee_client, ana):
    first = mentee_client.get(URL, {"skill": "python"})
    kept = mentee_client.get(URL, {"skill": "python"})
    browsable = mentee_client.get(URL, {"skill": "python"}, HTTP_ACCEPT="text/html")

    assert kept["Content-Type"] == first["Content-Type"] == "application/json"
    assert kept.content == first.content
    assert kept["Vary"] == "Accept"  # the same address answers HTML to a browser, so shared caches must tell
    assert browsable.status_code == 200
    assert browsable["Content-Type"].startswith("text/html")
    assert b"Ana Mentor" in browsable.content


@pytest.mark.django_db(transaction=True)
def test_the_mentor_page_keeps_the_mentors_part_and_asks_the_mentees_standing_in_one_query(client, mentee, ana):
    client.force_login(mentee)
    client.get(f"/mentors/{ana.pk}/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/mentors/{ana.pk}/")

    assert page.status_code == 200
    assert "2 of 2" in page.content.decode()
    read = [q["sql"] for q in captured]
    # The mentor's part is kept: neither their profile, skills nor mentorships are read again.
    assert not [sql for sql in read if "accounts_profile" in sql or 'mentorship_mentorship"' in sql]
    # Where the mentee stands with them: one query (and their open goals, for the form).
    assert sum("mentorship_mentorshiprequest" in sql for sql in read) == 1
    # Besides: the signed-in person, the current program, their memberships, the navigation's own reads.
    assert len(read) <= 6, read


@pytest.mark.django_db(transaction=True)
def test_the_mentor_page_shows_an_accept_and_a_profile_change_at_once(client, mentee, ana):
    client.force_login(mentee)
    assert "2 of 2" in client.get(f"/mentors/{ana.pk}/").content.decode()

    request = RequestFactory(mentor=ana, mentee=with_profile(MenteeFactory()))
    client_for(ana).post(f"/api/v1/requests/{request.pk}/accept/", format="json")
    client_for(ana).patch("/api/v1/me/", {"headline": "Data engineering lead"}, format="json")

    page = client.get(f"/mentors/{ana.pk}/").content.decode()
    assert "1 of 2" in page
    assert "Data engineering lead" in page
