"""Survey results are anonymous at the boundary: fewer respondents than the minimum show nothing but their count,
whatever group a filter asks for; from the minimum on, each question's count, mean, distribution and unnamed texts.
The CSV carries the same aggregates (no text), and the program report's part follows the same rule."""

import csv
import datetime as dt
import io

import pytest

from evaluation.models import SurveyResponse
from evaluation.period import Period
from evaluation.survey_results import surveys_section
from tests.conftest import client_for
from tests.evaluation.surveys_world import admin_of, answer, survey_in
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

K = 3


@pytest.fixture
def evening():
    return ProgramFactory(slug="evening", name="Evening mentoring")


def _results(program, survey, query: str = ""):
    return client_for(admin_of(program)).get(f"/api/v1/programs/{program.slug}/surveys/{survey.pk}/results/{query}")


def _numbers_in(question: dict) -> dict:
    return {key: question.get(key) for key in ("count", "mean", "distribution", "answers") if question.get(key)}


def test_one_response_short_of_the_minimum_is_withheld_entirely(evening):
    survey = survey_in(evening, min_responses=K)
    for n in range(K - 1):
        answer(survey, likert=n + 1, text=f"Secret {n}")

    data = _results(evening, survey).json()

    assert data["withheld"] is True and data["responses"] == K - 1
    assert data["message"]
    assert all(q["withheld"] for q in data["questions"])
    assert [_numbers_in(q) for q in data["questions"]] == [{}, {}, {}]
    assert "Secret" not in str(data)


def test_the_minimum_of_responses_shows_every_aggregate_and_unnamed_texts_in_alphabetical_order(evening):
    survey = survey_in(evening, min_responses=K)
    for likert, choice, text in ((5, "Yes", "Zest"), (4, "Yes", "apples"), (3, "No", "Mango")):
        answer(survey, likert=likert, choice=choice, text=text)

    data = _results(evening, survey).json()

    likert, choice, text = data["questions"]
    assert data["withheld"] is False and data["responses"] == K
    assert (likert["count"], likert["mean"]) == (3, 4.0)
    assert [(s["value"], s["count"]) for s in likert["distribution"]] == [
        ("1", 0),
        ("2", 0),
        ("3", 1),
        ("4", 1),
        ("5", 1),
    ]
    assert [(s["value"], s["count"]) for s in choice["distribution"]] == [("Yes", 2), ("Maybe", 0), ("No", 1)]
    assert text["answers"] == ["apples", "Mango", "Zest"]


def test_an_optional_question_answered_by_fewer_than_the_minimum_is_withheld_alone(evening):
    survey = survey_in(evening, min_responses=K)
    answer(survey, text="Only me")
    for _ in range(K - 1):
        answer(survey)

    data = _results(evening, survey).json()

    likert, _, text = data["questions"]
    assert data["withheld"] is False and not likert["withheld"]
    assert text["withheld"] is True and _numbers_in(text) == {}
    assert "Only me" not in str(data)


def test_a_side_filter_that_narrows_the_group_below_the_minimum_is_withheld(evening):
    survey = survey_in(evening, min_responses=K)
    for side in ("mentee", "mentee", "mentor"):
        answer(survey, side)

    everyone = _results(evening, survey).json()
    mentors = _results(evening, survey, "?side=mentors").json()

    assert everyone["withheld"] is False
    assert mentors["withheld"] is True and mentors["responses"] == 1
    assert [_numbers_in(q) for q in mentors["questions"]] == [{}, {}, {}]


def test_a_period_that_narrows_the_group_below_the_minimum_is_withheld(evening):
    survey = survey_in(evening, min_responses=K)
    for _ in range(K):
        answer(survey)
    SurveyResponse.objects.filter(pk=SurveyResponse.objects.first().pk).update(submitted_on=dt.date(2020, 1, 1))

    data = _results(evening, survey, "?from=2021-01-01").json()

    assert data["withheld"] is True and data["responses"] == K - 1


@pytest.mark.parametrize(
    ("query", "field"), [("?from=2026-02-01&to=2026-01-01", "from"), ("?side=admins", "side"), ("?to=soon", "to")]
)
def test_a_bad_filter_is_400_naming_it(evening, query, field):
    survey = survey_in(evening, min_responses=K)

    response = _results(evening, survey, query)

    assert response.status_code == 400 and field in response.json()


def test_the_csv_holds_the_aggregates_and_no_text(evening):
    survey = survey_in(evening, min_responses=K)
    for n in range(K):
        answer(survey, likert=5, text=f"Words {n}")

    response = _results(evening, survey, "?format=csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["question", "kind", "answers", "mean", "value", "count"]
    assert ["We set clear goals.", "likert", "3", "5.0", "", ""] in rows
    assert ["Would you recommend it?", "choice", "", "", "Yes", "3"] in rows
    assert "Words" not in response.content.decode()


def test_the_csv_of_a_withheld_group_says_so_without_figures(evening):
    survey = survey_in(evening, min_responses=K)
    answer(survey)

    rows = list(csv.reader(io.StringIO(_results(evening, survey, "?format=csv").content.decode())))

    assert [row[2] for row in rows[1:]] == ["withheld"] * 3


def test_the_reports_survey_part_shows_shown_surveys_and_withholds_the_others(evening):
    shown = survey_in(evening, title="Shown", min_responses=K)
    hidden = survey_in(evening, title="Hidden", min_responses=K)
    for _ in range(K):
        answer(shown, likert=4)
    answer(hidden)

    section = surveys_section(evening, Period())

    assert section.key == "surveys"
    assert ("Shown", "#1 We set clear goals.", 3, 4.0) in [row[:4] for row in section.table.rows]
    assert ("Hidden", "(all questions)", 1, "withheld", "withheld") in section.table.rows
    assert "Hidden" in section.withheld
    assert [bar.text for bar in section.chart.bars] == ["4.0"]
    assert not any("What helped" in str(row) for row in section.table.rows)  # free text stays out of the report


def test_the_results_page_draws_each_question_and_withholds_a_narrowed_group(client, evening):
    survey = survey_in(evening, min_responses=K)
    for n in range(K):
        answer(survey, "mentee", likert=4, text=f"Kind words {n}")
    client.force_login(admin_of(evening))
    url = f"/programs/{evening.slug}/surveys/{survey.pk}/"

    shown = client.get(url).content.decode()
    mentors = client.get(url + "?side=mentors").content.decode()
    backwards = client.get(url + "?from=2026-02-01&to=2026-01-01")

    assert shown.count('class="bars"') == 2 and "Kind words 1" in shown
    assert "0 responses so far" in mentors and "Kind words" not in mentors and 'class="bars"' not in mentors
    assert backwards.status_code == 200 and "The start of the period comes after its end." in backwards.content.decode()
