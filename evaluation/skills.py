"""Skills gained: skill ratings at a mentorship's start and completion. (Being built: issue 15.)"""

from evaluation.period import Period
from evaluation.sections import Section, Table
from programs.models import Program


def skills_section(program: Program, period: Period) -> Section:
    """The report's "Skills gained" part: the average gain per skill, with how many people each rests on."""
    return Section(key="skills_gained", title="Skills gained", summary="", table=Table(columns=("Skill", "Gain")))
