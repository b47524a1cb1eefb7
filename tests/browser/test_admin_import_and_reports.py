import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, AdminFactory, MentorshipFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "role,username,email,full_name,industry,skills,goals,capacity\n"


def test_an_admin_sees_every_bad_line_then_imports_the_fixed_file(page, tmp_path):
    AdminFactory(username="ada")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "mentor,nora,not-an-email,Nora O,,,,3\nboss,sam,sam@example.org,Sam L,,,,\n")
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "mentor,nora,nora@example.org,Nora O,,,,3\nmentee,sam,sam@example.org,Sam L,,,,\n")

    sign_in(page, "ada", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import participants").click()

    lines = page.locator("ul.error-lines li")
    expect(lines).to_have_count(2)
    expect(lines.first).to_contain_text("line 2: email: Enter a valid email address.")
    assert not User.objects.filter(username="nora").exists()

    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import participants").click()
    expect(page.get_by_role("status")).to_contain_text("mentors created: 1")
    assert User.objects.filter(username__in=["nora", "sam"]).count() == 2
    assert page.console_errors == []


def test_reports_draw_the_programs_charts(page):
    AdminFactory(username="ada")
    SessionFactory(mentorship=MentorshipFactory())

    sign_in(page, "ada", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()

    for title in ("Match rate", "Sessions per week", "Goals", "Session ratings"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(
        page.get_by_role("img", name="Match rate: Mentored now 1, Mentored before 0, Never matched 0")
    ).to_be_visible()
    expect(page.get_by_text("1 session in the last 12 weeks.")).to_be_visible()
    assert page.console_errors == []
