"""Every page's navigation reads the person's memberships from the cache (programs.selectors.memberships_of): a
change, however it is made, shows on the next page at once."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs.models import Membership
from tests.factories import MembershipFactory, MenteeFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SWITCHER = 'id="program-switcher"'


@pytest.fixture
def maya_browsing(django_capture_on_commit_callbacks):
    maya = MenteeFactory(username="maya", email="maya@example.org")
    browser = Client()
    browser.force_login(maya)
    assert SWITCHER not in browser.get("/home/").content.decode()  # one program: no switcher; memberships kept
    return maya, browser


def test_the_memberships_are_read_once_and_then_kept(maya_browsing):
    _, browser = maya_browsing
    browser.get("/mentors/")  # the directory keeps its own answer

    with CaptureQueriesContext(connection) as queries:
        browser.get("/mentors/")

    assert [q["sql"] for q in queries.captured_queries if "programs_membership" in q["sql"]] == []


def test_a_membership_saved_anywhere_shows_on_the_next_page(maya_browsing, django_capture_on_commit_callbacks):
    maya, browser = maya_browsing

    with django_capture_on_commit_callbacks(execute=True):  # as the Django admin would: a plain save
        MembershipFactory(user=maya, program=ProgramFactory(slug="spring"), role=Membership.Role.MENTOR)

    assert SWITCHER in browser.get("/home/").content.decode()


def test_memberships_an_import_writes_in_bulk_show_on_the_next_page(
    maya_browsing, tmp_path, django_capture_on_commit_callbacks
):
    _, browser = maya_browsing
    ProgramFactory(slug="spring", name="Spring cohort")
    participants = tmp_path / "participants.csv"
    participants.write_text(
        "role,username,email,full_name,industry,skills,goals,capacity\nmentor,maya,maya@example.org,Maya,,,,2\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_participants", str(participants), "--program", "spring", stdout=io.StringIO())

    assert SWITCHER in browser.get("/home/").content.decode()
