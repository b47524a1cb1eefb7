"""What surveys found, anonymous: aggregates only, withheld under a survey's minimum.

A group of respondents smaller than the survey's `min_responses` shows no number but its size: no mean, no
distribution, no text. The rule holds for every group one can ask for (a side, a period) and for each question
(an optional question answered by fewer than the minimum is withheld on its own), so that no filter narrows the
answers down to a few people. Free text is listed in alphabetical order, which says nothing of who wrote it or
when."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from evaluation.models import LIKERT_HIGH, LIKERT_LOW, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from evaluation.period import Period
from evaluation.sections import Section, Table
from matching.reports import Bar, Chart
from programs.models import Program

Kind = SurveyQuestion.Kind
LIKERT_LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}
SIDE_FILTERS = {"mentors": "mentor", "mentees": "mentee", "peers": "peer"}


@dataclass(frozen=True)
class Share:
    value: str
    count: int


@dataclass
class QuestionResult:
    id: int
    text: str
    kind: str
    withheld: bool
    count: int | None = None  # None while withheld
    mean: float | None = None  # Likert only
    distribution: list[Share] | None = None  # Likert and choice
    answers: list[str] | None = None  # free text, unnamed


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    withheld: bool
    message: str
    questions: list[QuestionResult] = field(default_factory=list)


def withheld_message(count: int, minimum: int) -> str:
    return (
        f"{count} response{'s' if count != 1 else ''} so far: results appear once at least {minimum} people "
        "have answered, so that no answer can be traced to anyone."
    )


def _responses(survey: Survey, *, side: str | None, period: Period):
    responses = SurveyResponse.objects.filter(survey=survey)
    if side:
        responses = responses.filter(side=side)
    if period.start:
        responses = responses.filter(submitted_on__gte=period.start)
    if period.end:
        responses = responses.filter(submitted_on__lte=period.end)
    return responses


def survey_results(survey: Survey, *, side: str | None = None, period: Period | None = None) -> SurveyResults:
    """The survey's results for one group (a side, a period), each question's aggregates or withheld."""
    minimum = survey.min_responses
    period = period or Period()
    responses = _responses(survey, side=side, period=period)
    count = responses.count()
    questions = list(survey.questions.all())
    if count < minimum:
        return SurveyResults(
            survey=survey,
            responses=count,
            withheld=True,
            message=withheld_message(count, minimum),
            questions=[QuestionResult(id=q.pk, text=q.text, kind=q.kind, withheld=True) for q in questions],
        )
    by_question: dict[int, list[SurveyAnswer]] = {q.pk: [] for q in questions}
    for answer in SurveyAnswer.objects.filter(response__in=responses).only("question_id", "number", "text"):
        by_question.setdefault(answer.question_id, []).append(answer)
    results = [_question_result(q, by_question[q.pk], minimum) for q in questions]
    partly = any(r.withheld for r in results)
    message = (
        f"Questions answered by fewer than {minimum} people are withheld, so that no answer can be traced to anyone."
        if partly
        else ""
    )
    return SurveyResults(survey=survey, responses=count, withheld=False, message=message, questions=results)


def _question_result(question: SurveyQuestion, answers: list[SurveyAnswer], minimum: int) -> QuestionResult:
    result = QuestionResult(id=question.pk, text=question.text, kind=question.kind, withheld=len(answers) < minimum)
    if result.withheld:
        return result
    result.count = len(answers)
    if question.kind == Kind.LIKERT:
        numbers = Counter(a.number for a in answers)
        result.mean = round(sum(a.number for a in answers) / len(answers), 2)
        result.distribution = [Share(str(n), numbers[n]) for n in range(LIKERT_LOW, LIKERT_HIGH + 1)]
    elif question.kind == Kind.CHOICE:
        chosen = Counter(a.text for a in answers)
        result.distribution = [Share(choice, chosen[choice]) for choice in question.choices]
    else:
        result.answers = sorted((a.text for a in answers), key=str.casefold)
    return result


def results_chart(question: QuestionResult) -> Chart | None:
    """A shown Likert or choice question as bars (matching's chart), with its table's headings."""
    if question.withheld or not question.distribution:
        return None
    total = question.count or 1
    bars = [
        Bar(
            label=LIKERT_LABELS[int(share.value)] if question.kind == Kind.LIKERT else share.value,
            value=share.count / total,
            text=str(share.count),
        )
        for share in question.distribution
    ]
    summary = f"{question.count} answers" + (f", mean {question.mean} of 5" if question.mean is not None else "")
    return Chart(title=question.text, bars=bars, summary=summary, columns=("Answer", "People"))


CSV_COLUMNS = ("question", "kind", "answers", "mean", "value", "count")


def results_rows(results: SurveyResults) -> list[tuple]:
    """The aggregates as spreadsheet rows (no free text: the CSV travels further than the page). A question's first
    row holds its count and mean; one row follows per value of its distribution. Withheld: the row says so."""
    rows: list[tuple] = [CSV_COLUMNS]
    for q in results.questions:
        if q.withheld:
            rows.append((q.text, q.kind, "withheld", "", "", ""))
            continue
        rows.append((q.text, q.kind, q.count, q.mean if q.mean is not None else "", "", ""))
        rows.extend((q.text, q.kind, "", "", share.value, share.count) for share in q.distribution or ())
    return rows


def _surveys_with_questions(program: Program):
    questions = SurveyQuestion.objects.exclude(kind=Kind.TEXT)
    return Survey.objects.filter(program=program).prefetch_related(Prefetch("questions", queryset=questions))


def surveys_section(program: Program, period: Period) -> Section:
    """The report's "Surveys" part: each survey's Likert and choice questions, withheld below the minimum."""
    rows: list[tuple] = []
    bars: list[Bar] = []
    withheld: list[str] = []
    for survey in _surveys_with_questions(program):
        results = survey_results(survey, period=period)
        if results.withheld:
            withheld.append(f"{survey.title}: {results.message}")
            rows.append((survey.title, "(all questions)", results.responses, "withheld", "withheld"))
            continue
        for q in results.questions:
            if q.withheld:
                rows.append((survey.title, q.text, results.responses, "withheld", "withheld"))
                continue
            spread = ", ".join(f"{s.value}: {s.count}" for s in q.distribution or ())
            text = q.text
            if q.mean is not None:
                # A statement is too long for a bar's label: the bar has its number, the table the statement.
                number = len(bars) + 1
                bars.append(Bar(label=f"#{number}", value=q.mean / LIKERT_HIGH, text=f"{q.mean:.1f}"))
                text = f"#{number} {q.text}"
            rows.append((survey.title, text, q.count, q.mean if q.mean is not None else "", spread))
    shown = sum(1 for row in rows if row[3] != "withheld")
    summary = f"{shown} question{'s' if shown != 1 else ''} with results"
    if withheld:
        summary += f"; {len(withheld)} survey{'s' if len(withheld) != 1 else ''} withheld for too few answers"
    summary += "."
    columns = ("Statement (its # in the table)", "Mean")
    chart = Chart(title="Agreement (mean of 5)", bars=bars, summary=summary, columns=columns) if bars else None
    return Section(
        key="surveys",
        title="Surveys",
        summary=summary,
        table=Table(columns=("Survey", "Question", "Answers", "Mean", "Distribution"), rows=rows),
        chart=chart,
        withheld=" ".join(withheld),
    )
