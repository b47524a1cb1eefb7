"""POST /api/v1/programs/{slug}/weights/fit/: a program's weights fitted to how its past pairs fared, compared
held out with its defaults; applied through the program's own PATCH."""

import pytest

from evaluation.weights import weights_history
from matching.engine.calibration import MIN_PAIRS, MIN_PER_CLASS
from programs.models import AdminAction
from tests.conftest import client_for
from tests.factories import ProgramAdminFactory, ProgramFactory, default_program
from tests.matching.outcome_history import history_where_skills_tell, proposed_pair, published_round


def fit_url(program) -> str:
    return f"/api/v1/programs/{program.slug}/weights/fit/"


@pytest.fixture(params=["one_on_one", "group", "peer"])
def program(request, db):
    if request.param == "one_on_one":
        return default_program()
    return ProgramFactory(slug=f"{request.param}-program", format=request.param)


def test_the_fit_finds_the_signal_that_told_good_pairs_from_poor(admin_client_api, program):
    history_where_skills_tell(program, pairs=MIN_PAIRS + 8)

    response = admin_client_api.post(fit_url(program))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["pairs"], body["good"], body["poor"], body["folds"]) == (MIN_PAIRS + 8, 24, 24, 5)
    assert body["blocks"] == ["skills", "industry", "goals"]
    fitted = body["fitted"]["weights"]
    assert fitted["skills"] > max(fitted["industry"], fitted["goals"])
    assert sum(fitted.values()) == pytest.approx(2.5, abs=0.02)  # as the defaults sum
    assert body["current"]["weights"] == {"skills": 1.0, "industry": 0.5, "goals": 1.0}
    assert body["fitted"]["auc"] > body["current"]["auc"]
    assert body["better"] is True
    assert "past pairs, 24 good and 24 poor" in body["summary"]


def test_too_little_history_is_a_conflict_with_the_counts(admin_client_api, program):
    match_round = published_round(program)
    for _ in range(MIN_PER_CLASS):
        proposed_pair(match_round, sessions=3, rating=5)
    proposed_pair(match_round, answer="declined")
    proposed_pair(match_round, answer="withdrawn")  # no outcome: not counted

    response = admin_client_api.post(fit_url(program))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "too_little_history"
    assert (body["pairs"], body["good"], body["poor"]) == (MIN_PER_CLASS + 1, MIN_PER_CLASS, 1)
    assert body["needed"] == {"pairs": MIN_PAIRS, "per_class": MIN_PER_CLASS}


def test_a_program_with_no_round_has_too_little_history(admin_client_api, db):
    response = admin_client_api.post(fit_url(default_program()))

    assert (response.status_code, response.json()["pairs"]) == (409, 0)


def test_the_fitted_weights_are_applied_by_the_programs_own_patch(db):
    program = default_program()
    history_where_skills_tell(program, pairs=MIN_PAIRS + 8)
    admin = ProgramAdminFactory()
    client = client_for(admin)
    fitted = client.post(fit_url(program)).json()["fitted"]["weights"]

    response = client.patch(f"/api/v1/programs/{program.slug}/", {"default_weights": fitted}, format="json")

    assert response.status_code == 200, response.content
    program.refresh_from_db()
    assert program.default_weights == fitted
    action = AdminAction.objects.get(kind=AdminAction.Kind.PROGRAM_UPDATE, program=program)
    assert action.details == {"default_weights": fitted}
    assert client.post(fit_url(program)).json()["current"]["weights"] == fitted  # the next fit compares with them


def test_an_admin_of_another_program_learns_nothing_of_this_one(db):
    program = ProgramFactory(slug="elsewhere")
    history_where_skills_tell(program, pairs=MIN_PAIRS)
    admin_of_main = ProgramAdminFactory()

    response = client_for(admin_of_main).post(fit_url(program))

    assert response.status_code == 404


def test_a_mentee_may_not_fit(mentee_client, db):
    assert mentee_client.post(fit_url(default_program())).status_code == 403


def test_a_similarity_is_the_term_over_the_share_of_its_rounds_weights(program):
    match_round = published_round(program, weights={"skills": 2.0, "industry": 0.0, "goals": 2.0})
    proposed_pair(match_round, blocks={"skills": 0.3, "industry": 0.0, "goals": 0.1}, answer="declined")
    proposed_pair(match_round, blocks={"skills": 0.45, "industry": 0.0, "goals": 0.5}, sessions=3, rating=4)
    proposed_pair(match_round, blocks={"skills": 0.5, "industry": 0.0, "goals": 0.5}, answer="withdrawn")

    history = weights_history(program=program)

    # A share of 0.5 each: similarity = term / 0.5; industry weighed 0 in that round and left no trace: 0.
    assert history.similarities.tolist() == [[0.6, 0.0, 0.2], [0.9, 0.0, 1.0]]
    assert history.good.tolist() == [False, True]
