"""What surveys found, anonymous: aggregates only, withheld under a survey's minimum. (Being built: issue 15.)"""

from evaluation.period import Period
from evaluation.sections import Section, Table
from programs.models import Program


def surveys_section(program: Program, period: Period) -> Section:
    """The report's "Surveys" part: each survey's Likert and choice questions, withheld below the minimum."""
    return Section(key="surveys", title="Surveys", summary="", table=Table(columns=("Question", "Answers")))
