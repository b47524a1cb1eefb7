"""What an answer to a survey must be: each value on its question's scale or among its choices, each question of
this survey at most once, every required one answered. Mistakes are named by question, so a page can show each
beside its question."""

from django.core.exceptions import ValidationError

from config.inputs import validate_multi_line
from evaluation.models import LIKERT_HIGH, LIKERT_LOW, Survey, SurveyAnswer, SurveyQuestion

Kind = SurveyQuestion.Kind
MAX_TEXT_ANSWER = 4000

NEEDS_AN_ANSWER = "This question needs an answer."


def _answer_value(question: SurveyQuestion, value) -> tuple[int | None, str]:
    """(number, text) to store, or ValueError with the message for the person."""
    if question.kind == Kind.LIKERT:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not LIKERT_LOW <= value <= LIKERT_HIGH:
            raise ValueError(f"A whole number from {LIKERT_LOW} to {LIKERT_HIGH}.")
        return value, ""
    if not isinstance(value, str):
        raise ValueError("A text.")
    if question.kind == Kind.CHOICE:
        if value not in question.choices:
            raise ValueError(f"One of: {', '.join(question.choices)}.")
        return None, value
    text = value.strip()
    if len(text) > MAX_TEXT_ANSWER:
        raise ValueError(f"At most {MAX_TEXT_ANSWER} characters.")
    try:
        validate_multi_line(text)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    if not text and question.required:
        raise ValueError(NEEDS_AN_ANSWER)
    return None, text


def answers_clean(survey: Survey, answers) -> list[SurveyAnswer]:
    """Unsaved answers. Errors are keyed `answers.<question id>` for what concerns one question (not in this
    survey, off the scale, missing: `{"answers.12": ["…"]}`), or `answers` when the list itself is malformed."""
    shape = "A list of {question: id, value}."
    if not isinstance(answers, list):
        raise ValidationError({"answers": [shape]})
    questions = {q.pk: q for q in survey.questions.all()}
    errors: dict[str, list[str]] = {}
    built: dict[int, SurveyAnswer] = {}
    for index, item in enumerate(answers):
        question_id = item.get("question") if isinstance(item, dict) else None
        if isinstance(question_id, str) and question_id.isdigit():
            question_id = int(question_id)
        if isinstance(question_id, bool) or not isinstance(question_id, int):
            raise ValidationError({"answers": [f"Answer {index + 1} names no question: {shape}"]})
        key = str(question_id)
        question = questions.get(question_id)
        if question is None:
            errors[key] = ["No such question in this survey."]
            continue
        if question_id in built:
            errors[key] = ["Answered twice."]
            continue
        value = item.get("value")
        if value is None or value == "":
            continue  # not answered: a required question is caught below
        try:
            number, text = _answer_value(question, value)
        except ValueError as error:
            errors[key] = [str(error)]
            continue
        if number is None and not text:
            continue
        built[question_id] = SurveyAnswer(question=question, number=number, text=text)
    for question in questions.values():
        if question.required and question.pk not in built and str(question.pk) not in errors:
            errors[str(question.pk)] = [NEEDS_AN_ANSWER]
    if errors:
        raise ValidationError({f"answers.{key}": messages for key, messages in errors.items()})
    return list(built.values())
