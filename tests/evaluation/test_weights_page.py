"""The weights page of a program's admins (/programs/{slug}/weights/): the current weights, and after a fit the
fitted ones beside them with the held-out comparison in words and the button that applies them."""

import re

import pytest

from matching.engine.calibration import MIN_PAIRS, MIN_PER_CLASS
from tests.factories import ProgramAdminFactory, ProgramFactory, default_program
from tests.matching.outcome_history import history_where_skills_tell, proposed_pair, published_round


def page_of(client, program, **query) -> str:
    response = client.get(f"/programs/{program.slug}/weights/", query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def signed_in_admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(params=["one_on_one", "group", "peer"])
def program(request, db):
    if request.param == "one_on_one":
        return default_program()
    return ProgramFactory(slug=f"{request.param}-program", format=request.param)


def test_with_too_little_history_the_page_says_so_with_the_counts(signed_in_admin, program):
    match_round = published_round(program)
    proposed_pair(match_round, sessions=3, rating=5)
    proposed_pair(match_round, answer="expired")

    page = page_of(signed_in_admin, program)

    assert "Too little history to fit weights yet: 2 past pairs with an outcome (1 good, 1 poor)." in page
    assert f"A fit needs {MIN_PAIRS}, with at least {MIN_PER_CLASS} good" in page
    assert "Fit to outcomes" not in page


def test_with_enough_history_the_page_offers_a_fit(signed_in_admin, db):
    program = default_program()
    history_where_skills_tell(program, pairs=MIN_PAIRS)

    page = page_of(signed_in_admin, program)

    assert f"This program has {MIN_PAIRS} past pairs with an outcome: 20 good and 20 poor." in page
    assert f'data-api="/api/v1/programs/{program.slug}/weights/fit/"' in page
    assert "Use these weights" not in page


def test_the_fit_shows_the_fitted_weights_beside_the_current_and_applies_them(signed_in_admin, program):
    history_where_skills_tell(program, pairs=MIN_PAIRS + 8)

    page = page_of(signed_in_admin, program, fit="1")

    assert "The fitted weights ranked past pairs better" in page
    in_words = (
        r"On 48 past pairs, 24 good and 24 poor, the fitted weights ranked a good pair above a poor one \d+% of the "
        r"time \(on pairs held out of their fit\); the current weights \d+%\."
    )
    assert re.search(in_words, page)
    assert 'aria-label="Fitted share of Skills"' in page and 'aria-label="Current share of Skills"' in page
    assert f'data-api="/api/v1/programs/{program.slug}/" data-method="PATCH"' in page
    weights = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([\d.]+)" data-type="number"', page))
    assert set(weights) == {"skills", "industry", "goals"}
    assert float(weights["skills"]) > max(float(weights["industry"]), float(weights["goals"]))


def test_asked_to_fit_with_too_little_history_the_page_says_why(signed_in_admin, db):
    page = page_of(signed_in_admin, default_program(), fit="1")

    assert "Too little history to fit weights: 0 pairs with an outcome" in page
    assert "Use these weights" not in page


def test_an_admin_of_another_program_is_answered_404(client, db):
    ProgramFactory(slug="elsewhere")
    client.force_login(ProgramAdminFactory())

    assert client.get("/programs/elsewhere/weights/").status_code == 404


def test_the_rounds_page_links_to_the_weights(signed_in_admin, db):
    page = signed_in_admin.get("/rounds/").content.decode()

    assert 'href="/programs/main/weights/"' in page
