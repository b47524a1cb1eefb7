import pytest
from playwright.sync_api import expect

from accounts.models import User
from mentorship.models import Feedback
from tests.browser.conftest import axe_violations, serve_axe_core
from tests.browser.test_sign_in import sign_in
from tests.factories import (
    PASSWORD,
    AdminFactory,
    MemberFactory,
    MembershipFactory,
    MentorshipFactory,
    ProgramFactory,
    SessionFactory,
    UserFactory,
)

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

    for title in ("Match rate", "Sessions per week", "Goals", "Session ratings", "Ratings by side", "Goal progress"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(
        page.get_by_role("img", name="Match rate: Mentored now 1, Mentored before 0, Never matched 0")
    ).to_be_visible()
    expect(page.get_by_text("1 session in the last 12 weeks.")).to_be_visible()
    assert page.console_errors == []


@pytest.fixture
def phone(browser, live_server, axe_core):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    serve_axe_core(context)
    yield context.new_page()
    context.close()


def test_a_group_programs_report_lists_its_circles_on_a_phone(phone):
    """At 390 px: the circles' table fits, each chart's figures open as a table, and axe finds nothing wrong."""
    AdminFactory(username="ada")
    circles = ProgramFactory(slug="circles", name="Leadership circles", format="group")
    for name, capacity, came in (("Gus Group", 5, 2), ("Hana Hale", 4, 4)):
        mentor = UserFactory(full_name=name)
        MembershipFactory(user=mentor, program=circles, role="mentor", capacity=capacity)
        circle = MentorshipFactory(program=circles, mentor=mentor, mentee=None)
        members = [MemberFactory(mentorship=circle, user=UserFactory()).user for _ in range(4)]
        session = SessionFactory(mentorship=circle, attendees=[mentor, *members[:came]])
        Feedback.objects.create(session=session, author=members[0], rating=5)

    sign_in(phone, "ada", PASSWORD)
    phone.goto("/reports/?program=circles")

    table = phone.get_by_role("region", name="Circles").get_by_role("table")
    expect(table.get_by_role("row", name="Gus Group 4 of 5 members 1 50% 5.0 (1)")).to_be_visible()
    expect(table.get_by_role("row", name="Hana Hale 4 of 4 members 1 100% 5.0 (1)")).to_be_visible()
    sizes = phone.get_by_role("figure", name="Circle sizes")
    sizes.get_by_text("The figures").click()
    expect(sizes.get_by_role("row", name="4 2")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    assert axe_violations(phone) == []


def test_a_peer_programs_report_shows_its_pairs_on_a_phone(phone):
    AdminFactory(username="ada")
    pairs = ProgramFactory(slug="pairs", name="Peer learning", format="peer")
    for sessions in (0, 1, 2):
        pair = MentorshipFactory(program=pairs, mentor=None, mentee=None)
        for _ in range(2):
            MembershipFactory(user=MemberFactory(mentorship=pair, user=UserFactory()).user, program=pairs, role="peer")
        for _ in range(sessions):
            SessionFactory(mentorship=pair)

    sign_in(phone, "ada", PASSWORD)
    phone.goto("/reports/?program=pairs")

    per_pair = phone.get_by_role("figure", name="Sessions per pair")
    expect(per_pair.get_by_text("3 pairs formed (3 active now); 2 (67%) have met at least once")).to_be_visible()
    expect(phone.get_by_role("img", name="Match rate: Paired now 6, Paired before 0, Never paired 0")).to_be_visible()
    expect(phone.get_by_role("heading", name="Ratings from both peers")).to_be_visible()
    expect(phone.get_by_role("region", name="Circles")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []
