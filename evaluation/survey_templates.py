"""Ready-made surveys a program admin creates in one click: a mid-point check and a closing survey, asking about the
goals, the meetings, the relationship, the skills gained and whether they would recommend it."""

from dataclasses import dataclass

from evaluation.models import Survey, SurveyQuestion

Kind = SurveyQuestion.Kind
MIDPOINT_DAYS = 45


@dataclass(frozen=True)
class SurveyTemplate:
    key: str
    title: str
    trigger: str
    trigger_days: int | None
    questions: tuple[dict, ...]


def _likert(text: str) -> dict:
    return {"kind": Kind.LIKERT, "text": text, "required": True}


MEETINGS_CHOICES = ["More than planned", "About as planned", "Less than planned", "We have hardly met"]

TEMPLATES: dict[str, SurveyTemplate] = {
    template.key: template
    for template in (
        SurveyTemplate(
            key="midpoint",
            title="Mid-point check-in",
            trigger=Survey.Trigger.DAYS_AFTER_START,
            trigger_days=MIDPOINT_DAYS,
            questions=(
                _likert("We agreed on clear goals for this mentorship."),
                _likert("We are making progress toward those goals."),
                {"kind": Kind.CHOICE, "text": "How often have you met?", "choices": MEETINGS_CHOICES},
                _likert("I can speak openly in our meetings."),
                {"kind": Kind.TEXT, "text": "What would make the second half more useful?", "required": False},
            ),
        ),
        SurveyTemplate(
            key="closing",
            title="Closing survey",
            trigger=Survey.Trigger.ON_COMPLETION,
            trigger_days=None,
            questions=(
                _likert("We reached the goals we set."),
                _likert("I gained skills or knowledge I use now."),
                _likert("Our meetings were worth the time."),
                _likert("The relationship was respectful and trusting."),
                {"kind": Kind.CHOICE, "text": "Would you recommend this program?", "choices": ["Yes", "Maybe", "No"]},
                {"kind": Kind.TEXT, "text": "What was the most valuable part?", "required": False},
            ),
        ),
    )
}
