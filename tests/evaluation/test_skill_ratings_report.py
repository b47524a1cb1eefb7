import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluation.models import SkillRating
from evaluation.period import Period
from evaluation.skills import skill_gains, skills_section
from tests.factories import MenteeFactory, MentorFactory, MentorshipFactory, ProgramFactory, SkillFactory

pytestmark = pytest.mark.django_db

EVERYTHING = Period()


def _completed(program, *, days_ago: int = 5, mentor=None, mentees: int = 1):
    ended = timezone.now() - dt.timedelta(days=days_ago)
    mentorship = MentorshipFactory(
        program=program,
        mentor=mentor or MentorFactory(),
        mentee=MenteeFactory(),
        status="completed",
        ended_at=ended,
        started_at=ended - dt.timedelta(days=90),
    )
    return mentorship


def _rate(mentorship, levels: dict, *, by_mentor: bool = False, subject=None):
    """levels: {skill name: (start, completion)}, either of them None for a stage not rated."""
    subject = subject or mentorship.members.get().user
    rater = mentorship.mentor if by_mentor else subject
    for name, stages in levels.items():
        for stage, level in zip(("start", "completion"), stages, strict=True):
            if level is not None:
                SkillRating.objects.create(
                    mentorship=mentorship,
                    subject=subject,
                    rater=rater,
                    skill=SkillFactory(name=name),
                    stage=stage,
                    level=level,
                )


@pytest.fixture
def program():
    """Three completed mentorships: Python gains +2, +1 and 0 (avg +1); SQL +1 for one person; someone rated only
    the start of Rust. Otto also rated his mentee's Python: +3."""
    program = ProgramFactory(slug="cohort", name="Cohort")
    first, second, third = (_completed(program) for _ in range(3))
    _rate(first, {"Python": (1, 3), "SQL": (2, 3)})
    _rate(first, {"Python": (1, 4)}, by_mentor=True)
    _rate(second, {"Python": (2, 3), "Rust": (2, None)})
    _rate(third, {"Python": (3, 3)})
    return program


def test_the_gain_per_skill_rests_on_the_people_with_both_ratings(program):
    gains = skill_gains(program, EVERYTHING)

    by_skill = {g.skill: g for g in gains.skills}
    assert set(by_skill) == {"Python", "SQL"}  # Rust has no completion
    python = by_skill["Python"]
    assert (python.people, python.start, python.completion, python.gain) == (3, 2.0, 3.0, 1.0)
    assert (python.mentor_people, python.mentor_gain) == (1, 3.0)
    assert (by_skill["SQL"].people, by_skill["SQL"].gain, by_skill["SQL"].mentor_people) == (1, 1.0, 0)
    assert by_skill["SQL"].mentor_gain is None


def test_the_program_gain_averages_every_persons_skills(program):
    overall = skill_gains(program, EVERYTHING).overall

    assert overall.people == 3
    assert overall.gain == 1.0  # (2 + 1 + 1 + 0) / 4
    assert (overall.mentor_people, overall.mentor_gain) == (1, 3.0)


def test_only_the_programs_completed_mentorships_in_the_period_count(program):
    _rate(_completed(program, days_ago=200), {"Python": (1, 5)})
    _rate(_completed(ProgramFactory(slug="elsewhere")), {"Python": (1, 5)})
    running = MentorshipFactory(program=program)
    _rate(running, {"Python": (1, None)})
    today = timezone.localdate()

    recent = skill_gains(program, Period(start=today - dt.timedelta(days=30), end=today))
    older = skill_gains(program, Period(end=today - dt.timedelta(days=100)))

    assert recent.overall.people == 3 and {g.skill: g.people for g in recent.skills}["Python"] == 3
    assert older.overall.people == 1 and older.overall.gain == 4.0


def test_a_few_queries_whatever_the_size(program):
    with CaptureQueriesContext(connection) as small:
        skills_section(program, EVERYTHING)
    for n in range(10):
        _rate(_completed(program), {"Python": (1, 2), f"Skill {n}": (2, 4)})

    with CaptureQueriesContext(connection) as large:
        section = skills_section(program, EVERYTHING)

    assert len(large.captured_queries) == len(small.captured_queries) == 2
    assert len(section.table.rows) == 13  # Python, SQL, ten more, and the whole program


def test_the_section_charts_the_gain_per_skill_beside_its_table(program):
    section = skills_section(program, EVERYTHING)

    assert section.key == "skills_gained"
    assert section.table.columns[:5] == ("Skill", "People", "Start", "Completion", "Gain")
    assert section.table.rows[0] == ("Python", 3, "2.0", "3.0", "+1.0", 1, "+3.0")
    assert section.table.rows[-1][0] == "All skills"
    assert [(bar.label, bar.value) for bar in section.chart.bars] == [("Python", 1.0), ("SQL", 1.0)]
    assert "3 people" in section.summary and "+1.0" in section.summary


def test_a_loss_draws_no_bar_and_says_so(db):
    program = ProgramFactory(slug="hard", name="Hard")
    _rate(_completed(program), {"Kotlin": (4, 2)})

    section = skills_section(program, EVERYTHING)

    assert [(bar.value, bar.text) for bar in section.chart.bars] == [(0.0, "−2.0 (1)")]


def test_with_nothing_rated_the_section_says_so_without_a_chart(db):
    section = skills_section(ProgramFactory(slug="new", name="New"), EVERYTHING)

    assert section.chart is None and section.table.rows == []
    assert section.summary.startswith("Nobody has rated")
