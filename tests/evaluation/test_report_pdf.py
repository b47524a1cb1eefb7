"""The program report as a PDF: the report page as it prints, for the same program and period, to its admins."""

import re
import zlib

import pytest
from django.test import Client

from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramAdminFactory,
    ProgramFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = ProgramFactory(slug="spring", name="Spring cohort")
    mentor, mentee = MentorFactory(), MenteeFactory()
    MembershipFactory(user=mentor, program=program, role="mentor")
    MembershipFactory(user=mentee, program=program, role="mentee")
    SessionFactory(mentorship=MentorshipFactory(program=program, mentor=mentor, mentee=mentee))
    return program


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _outline(pdf: bytes) -> list[str]:
    """The PDF's bookmarks (one per heading of the page), read from its compressed streams."""
    inflated = b"".join(zlib.decompress(stream) for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S))
    return [title.decode() for title in re.findall(rb"/Title \(([^)]*)\)", inflated)]


def test_an_admin_downloads_the_report_of_a_period_as_a_pdf_with_a_page_per_section(program):
    admin = ProgramAdminFactory(membership__program=program)

    response = _signed_in(admin).get("/reports/pdf/", {"program": "spring", "from": "2026-01-01", "to": "2026-06-30"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="spring-report-2026-01-01-2026-06-30.pdf"'
    assert response.content.startswith(b"%PDF-")
    outline = _outline(response.content)
    assert outline[0] == "How Spring cohort is doing"
    for section in ("From joining to completing", "Meetings against the agreed cadence", "Skills gained", "Surveys"):
        assert section in outline


def test_the_report_page_links_its_pdf_for_the_same_period(program):
    admin = ProgramAdminFactory(membership__program=program)

    page = _signed_in(admin).get("/reports/", {"program": "spring", "from": "2026-01-01"}).content.decode()

    assert 'href="/reports/pdf/?program=spring&amp;from=2026-01-01"' in page


def test_a_period_that_ends_before_it_starts_is_refused_before_any_pdf_is_made(program):
    admin = ProgramAdminFactory(membership__program=program)

    response = _signed_in(admin).get("/reports/pdf/", {"program": "spring", "from": "2026-06-30", "to": "2026-01-01"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_admin_of_another_program_gets_their_own_programs_pdf_never_this_ones(program):
    stranger = ProgramAdminFactory(membership__program=ProgramFactory(slug="other", name="Other program"))

    response = _signed_in(stranger).get("/reports/pdf/", {"program": "spring"})

    assert response["Content-Disposition"] == 'attachment; filename="other-report.pdf"'
    assert _outline(response.content)[0] == "How Other program is doing"


def test_a_mentor_gets_no_pdf(program):
    mentor = program.memberships.get(role="mentor").user

    assert _signed_in(mentor).get("/reports/pdf/", {"program": "spring"}).status_code == 403
