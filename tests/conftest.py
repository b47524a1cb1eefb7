"""Personas shared by every test, and the rule for tests that need a real service.

A test that needs PostgreSQL, Redis or Chromium skips on a laptop that lacks it, and fails when CI=true:
CI must run it for real.
"""

import os
import shutil

import pytest
import redis
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import AdminFactory, GoalFactory, MenteeFactory, MentorFactory, MentorshipFactory, person

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def require_service(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true; .ci/run starts it.")
    pytest.skip(f"{what} is not available here (bash .ci/run sets it up).")


@pytest.fixture(scope="session", autouse=True)
def live_server_answers_at_once():
    """Django's test server (`live_server`) sends an answer in several small writes; with Nagle's algorithm on,
    each after the first waits for the client's delayed acknowledgement: about 50 ms an answer, 1 ms without."""
    WSGIRequestHandler.disable_nagle_algorithm = True


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters and cached state live in the cache: every test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def no_connection_outlives_the_suite(django_db_setup, django_db_blocker):
    """When the suite ends, nothing but pytest-django may still hold the test database: a connection left open
    (by a thread, a worker, or a context of Playwright's) makes dropping it fail with a warning, and on a server
    it is a leak."""
    yield
    if connection.vendor != "postgresql":
        return
    import psycopg2

    with django_db_blocker.unblock():
        connection.close()  # ours; pytest-django would close it next
        s = connection.settings_dict
        probe = psycopg2.connect(
            host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"], dbname="postgres"
        )
        try:
            with probe.cursor() as cursor:
                cursor.execute(
                    "SELECT pid, state, left(query, 80) FROM pg_stat_activity WHERE datname = %s", [s["NAME"]]
                )
                lingering = cursor.fetchall()
        finally:
            probe.close()
    assert lingering == [], f"connections to {s['NAME']} left open at the end of the suite: {lingering}"


@pytest.fixture
def postgres(db):
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def redis_url():
    url = settings.REDIS_URL
    reachable = False
    if url:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            reachable = bool(client.ping())
        except redis.RedisError:
            reachable = False
        finally:
            client.close()
    require_service(reachable, "Redis (REDIS_URL=redis://…)")
    return url


@pytest.fixture
def chromium_path():
    require_service(shutil.which(CHROMIUM) is not None, f"Chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture
def mentee(db):
    return MenteeFactory(username="maya", full_name="Maya Mentee")


@pytest.fixture
def mentor(db):
    return MentorFactory(username="otto", full_name="Otto Mentor")


@pytest.fixture
def outsider(db):
    return MenteeFactory(username="oscar", full_name="Oscar Outsider")


@pytest.fixture
def outsider_mentor(db):
    return MentorFactory(username="olga", full_name="Olga Othermentor")


@pytest.fixture
def mentorship(mentee, mentor):
    """Maya is mentored by Otto."""
    return MentorshipFactory(mentee=mentee, mentor=mentor)


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="ada", full_name="Ada Admin")


@pytest.fixture
def anon():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def mentee_client(mentee):
    return client_for(mentee)


@pytest.fixture
def mentor_client(mentor):
    return client_for(mentor)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture
def outsider_mentor_client(outsider_mentor):
    return client_for(outsider_mentor)


@pytest.fixture
def admin_client_api(admin_user):
    return client_for(admin_user)


@pytest.fixture
def program(db):
    """Three mentees waiting, two mentors with three slots between them, and people who are not in the pool."""
    people = {
        "amy": person(MenteeFactory, "amy", skills=["Python", "SQL"], industry="Healthcare"),
        "bo": person(MenteeFactory, "bo", skills=["Leadership"], industry="Retail"),
        "cy": person(MenteeFactory, "cy", skills=["Python"], industry="Retail"),
        "pia": person(MentorFactory, "pia", skills=["Python", "SQL"], industry="Healthcare", capacity=2),
        "lou": person(MentorFactory, "lou", skills=["Leadership"], industry="Retail", capacity=1),
    }
    GoalFactory(mentee=people["amy"], title="Build data pipelines in Python")
    MentorshipFactory()  # a mentee with a mentor and a full mentor (capacity 2: one mentee) - not all waiting
    return people


@pytest.fixture
def run_round(admin_client_api, django_capture_on_commit_callbacks):
    def run(**body):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client_api.post("/api/v1/match-rounds/", {"name": "Spring", **body}, format="json")
        return response

    return run


# The longest tests are sent first, so that the parallel run (make test: pytest-xdist) does not end with one
# process still working through them while the other waits.
LONGEST_FIRST = ("tests/test_api_fuzz.py", "tests/browser/test_every_page.py")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: the rest keep their order
