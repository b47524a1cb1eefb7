"""An admin fits a program's match weights to how its past pairs fared, reads the comparison, applies them, and
reads on a published round's page how its pairs fared by score band: at phone and desktop widths, in a one-on-one,
a group and a peer program, with axe finding nothing wrong."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Program
from tests.browser.conftest import axe_violations
from tests.factories import AdminFactory, ProgramFactory, default_program
from tests.matching.outcome_history import history_where_skills_tell

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_and_passes_axe(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_an_admin_fits_the_weights_applies_them_and_reads_a_rounds_bands(person_at, width):
    AdminFactory(username="ada", full_name="Ada Admin")
    main = default_program()
    history_where_skills_tell(main, pairs=48)
    circles = ProgramFactory(slug="circles", name="Circles", format="group")
    circle_round = history_where_skills_tell(circles, pairs=12, seed=1)
    peers = ProgramFactory(slug="peers", name="Peers", format="peer")
    history_where_skills_tell(peers, pairs=44, seed=2)
    page = person_at("ada", width)

    page.goto("/rounds/")
    page.get_by_role("link", name="Weights fitted to how past pairs fared").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match weights")
    expect(page.get_by_text("This program has 48 past pairs with an outcome: 24 good and 24 poor.")).to_be_visible()
    fits_and_passes_axe(page, width)

    page.get_by_role("button", name="Fit to outcomes").click()
    expect(page).to_have_url(re.compile(r"/programs/main/weights/\?fit=1$"))
    heading = page.get_by_role("heading", name="The fitted weights ranked past pairs better")
    expect(heading).to_be_focused()
    expect(page.locator(".fit-summary")).to_contain_text("On 48 past pairs, 24 good and 24 poor")
    expect(page.get_by_role("progressbar", name="Fitted share of Skills")).to_be_visible()
    fits_and_passes_axe(page, width)

    page.get_by_role("button", name="Use these weights for the next round").click()
    expect(page.get_by_role("status")).to_have_text("The fitted weights are the program's: its next round uses them.")
    expect(page).to_have_url(re.compile(r"/programs/main/weights/$"))
    weights = Program.objects.get(pk=main.pk).default_weights
    assert weights["skills"] > max(weights["industry"], weights["goals"])
    expect(page.get_by_role("row", name=re.compile("^Skills"))).to_contain_text(f"{weights['skills']:.2f}")

    page.goto("/programs/peers/weights/?fit=1")
    expect(page.locator(".fit-summary")).to_contain_text("On 44 past pairs")
    fits_and_passes_axe(page, width)

    page.goto(f"/rounds/{circle_round.pk}/?program=circles")
    outcomes = page.get_by_role("region", name="How its pairs fared")
    expect(outcomes.get_by_role("row")).to_have_count(4)  # the header and three bands
    expect(page.get_by_role("row", name=re.compile("^Top third"))).to_be_visible()
    fits_and_passes_axe(page, width)
