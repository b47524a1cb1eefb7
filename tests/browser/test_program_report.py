"""The program report in Chromium: a program admin picks a period, reads each section's chart and table, opens the
list behind a number, downloads the CSV and prints; for a one-on-one, a group and a peer program, at 1280 and
390 px, with nothing axe-core objects to."""

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import AdminFactory, MentorshipFactory, SessionFactory
from tests.formats import circle_world, peer_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_reads_the_report_of_each_format_opens_a_list_downloads_and_prints(person_at, mentorship):
    AdminFactory(username="ada", full_name="Ada Admin")
    SessionFactory(mentorship=mentorship, date=dt.date.today() - dt.timedelta(days=3))
    circle_world(mentorship.mentor)
    SessionFactory(mentorship=peer_world()["pair"])
    MentorshipFactory()  # another one-on-one in `main`, which has not met

    page = person_at("ada", 1280)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("navigation", name="Periods").get_by_role("link", name="Last 90 days").click()
    expect(page).to_have_url(re.compile(rf"/reports/\?program=main&from={dt.date.today() - dt.timedelta(days=89)}&to="))

    funnel = page.get_by_role("region", name="From joining to completing", exact=True)
    expect(funnel.get_by_role("img", name="Funnel: Joined 2, Profile complete 0")).to_be_visible()
    expect(funnel.get_by_role("row", name="Joined 2 0 –")).to_be_visible()
    for title in (
        "Time to match",
        "Meetings against the agreed cadence",
        "Goals",
        "Ratings by side",
        "Pairs at risk now",
    ):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == "report-main.csv"
    assert "funnel,Joined,2,0," in Path(download.value.path()).read_text(encoding="utf-8")

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(funnel.get_by_role("table")).to_be_visible()
    page.emulate_media(media="screen")

    funnel.get_by_role("link", name="Who is behind these numbers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reached “Joined”")
    expect(page.get_by_role("region", name="People").get_by_role("link", name="Maya Mentee")).to_be_visible()
    page.get_by_role("link", name="Reached “Matched”").click()
    expect(page.get_by_text("Nobody here.")).to_be_visible()  # Maya's profile is not complete: the funnel narrows
    assert axe_violations(page) == []

    for program, member in (("circles", "Ana Alvarez"), ("peers", "Ivy Ito")):
        phone = person_at("ada", 390)
        phone.goto(f"/reports/?program={program}")
        expect(phone.get_by_role("heading", name="From joining to completing")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(phone) == []
        phone.get_by_role("link", name="Who is behind these numbers in From joining to completing").click()
        expect(phone.get_by_role("link", name=member)).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
