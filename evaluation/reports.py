"""The program report of issue 15: for a program and a period, its sections in order (the funnel, time to match,
meetings against the agreed cadence, goals and milestones, ratings both ways, skills gained, survey results, pairs
at risk), each a chart with the table behind it, and the whole as CSV. Each section's numbers are aggregates of a
read in evaluation.drill_down, whose pages list the rows behind them; the report costs the same queries whatever
the program's size."""

from collections import Counter
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from config.spreadsheets import csv_writer
from evaluation import drill_down as dd
from evaluation.period import Period
from evaluation.sections import Section, Table
from evaluation.skills import skills_section
from evaluation.survey_results import surveys_section
from matching.reports import Bar, Chart, ratings_by_side
from mentorship import at_risk
from mentorship.models import Goal
from programs.models import Program

DRILL_DOWN_SECTIONS = ("funnel", "time_to_match", "cadence", "goals", "ratings")


def report_sections(program: Program, period: Period) -> list[Section]:
    return [
        funnel_section(program, period),
        time_to_match_section(program, period),
        cadence_section(program, period),
        goals_section(program, period),
        ratings_section(program, period),
        skills_section(program, period),
        surveys_section(program, period),
        at_risk_section(program),
    ]


def drill_down_url(program: Program, section: str, period: Period, **params) -> str:
    query = urlencode({**params, **period.query()})
    url = reverse("program-report-drill-down-page", kwargs={"slug": program.slug, "section": section})
    return f"{url}?{query}" if query else url


def _people(program: Program) -> str:
    return "peers" if program.format == Program.Format.PEER else "mentees"


def _skill_side(program: Program) -> str:
    return "to teach or to grow" if program.format == Program.Format.PEER else "they want to grow"


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def funnel_section(program: Program, period: Period) -> Section:
    counts = dd.funnel_counts(program, period)
    rows, before = [], None
    for key, label in dd.FUNNEL_STEPS:
        n = counts[key]
        lost = 0 if before is None else before - n
        rows.append((label, n, lost, _share(lost, before) if before is not None else "–"))
        before = n
    joined, completed = counts["joined"], counts["completed"]
    who = _people(program)
    summary = (
        f"Of {joined} {who} who joined, {counts['matched']} were matched, {counts['first_meeting']} met and "
        f"{completed} completed ({_share(completed, joined)}); each step counts who passed every step before it. "
        f"Profile complete: an industry and at least one skill {_skill_side(program)}."
        if joined
        else f"No {who} joined in this period."
    )
    return Section(
        key="funnel",
        title="From joining to completing",
        summary=summary,
        table=Table(columns=("Step", "People", "Dropped since the step before", "Drop-off"), rows=rows),
        chart=Chart(
            "Funnel",
            [Bar(label, n, str(n)) for label, n, _, _ in rows],
            summary,
            columns=("Step", "People"),
        ),
        drill_down=drill_down_url(program, "funnel", period),
    )


def time_to_match_section(program: Program, period: Period) -> Section:
    waits = dd.match_waits(program, period)
    bands = Counter(w.band for w in waits)
    labels = [(key, label) for key, label, _, _ in dd.MATCH_BANDS] + [dd.WAITING]
    rows = [(label, bands.get(key, 0)) for key, label in labels]
    middle = dd.median_days(waits)
    summary = (
        f"Half the {_people(program)} who joined were matched within {middle:g} days of joining "
        f"(median over {sum(1 for w in waits if w.days is not None)}); {bands.get(dd.WAITING[0], 0)} wait still."
        if middle is not None
        else f"Nobody who joined in this period has been matched yet ({len(waits)} joined)."
    )
    return Section(
        key="time_to_match",
        title="Time to match",
        summary=summary,
        table=Table(columns=("Days from joining to a first mentorship", "People"), rows=rows),
        chart=Chart("Time to match", [Bar(label, n, str(n)) for label, n in rows], summary, ("Days", "People")),
        drill_down=drill_down_url(program, "time_to_match", period),
    )


def cadence_section(program: Program, period: Period) -> Section:
    pairs = dd.pairs_cadence(program, period)
    bands = Counter(p.band for p in pairs)
    rows = [(label, bands.get(key, 0)) for key, label in dd.CADENCE_BANDS]
    judged = len(pairs) - bands.get(dd.TOO_NEW, 0)
    summary = (
        f"{bands.get(dd.KEPT, 0)} of {judged} mentorships held at least 80% of the sessions their cadence asks for "
        "(the one they agreed on, else the program's) in the days they ran in this period."
        if judged
        else "No mentorship ran a full cadence in this period."
    )
    return Section(
        key="cadence",
        title="Meetings against the agreed cadence",
        summary=summary,
        table=Table(columns=("Sessions held of those expected", "Mentorships"), rows=rows),
        chart=Chart("Cadence kept", [Bar(label, n, str(n)) for label, n in rows], summary, ("Kept", "Mentorships")),
        drill_down=drill_down_url(program, "cadence", period),
    )


def goals_section(program: Program, period: Period) -> Section:
    by_status = dict(
        dd.program_goals(program, period).order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    done = dd.milestones_done(program, period).count()
    total = sum(by_status.values())
    achieved = by_status.get(Goal.Status.ACHIEVED, 0)
    rows = [(label, by_status.get(value, 0)) for value, label in Goal.Status.choices]
    rows.append(("Milestones done in the period", done))
    summary = (
        f"{achieved} of {total} goals achieved ({_share(achieved, total)}); {done} milestones done in the period."
        if total
        else "No goal set yet."
    )
    return Section(
        key="goals",
        title="Goals",
        summary=summary,
        table=Table(columns=("Goals and milestones", "Count"), rows=rows),
        chart=Chart("Goals and milestones", [Bar(label, n, str(n)) for label, n in rows], summary, ("", "Count")),
        drill_down=drill_down_url(program, "goals", period),
    )


def ratings_section(program: Program, period: Period) -> Section:
    chart = ratings_by_side(program, start=period.start, end=period.end)
    return Section(
        key="ratings",
        title="Ratings by side",
        summary=chart.summary,
        table=Table(columns=chart.columns, rows=[(bar.label, bar.text) for bar in chart.bars]),
        chart=chart if chart.bars else None,
        drill_down=drill_down_url(program, "ratings", period),
    )


def at_risk_section(program: Program) -> Section:
    pairs = at_risk.pairs_at_risk(program)
    reasons = Counter(reason for pair in pairs for reason in pair.reasons)
    rows = [(label, reasons.get(key, 0)) for key, label in at_risk.REASONS.items()]
    summary = (
        f"{len(pairs)} active mentorships at risk now (a pair may have several reasons)."
        if pairs
        else "No active mentorship is at risk now."
    )
    return Section(
        key="at_risk",
        title="Pairs at risk now",
        summary=summary,
        table=Table(columns=("Reason", "Mentorships"), rows=rows),
        chart=Chart("Pairs at risk", [Bar(label, n, str(n)) for label, n in rows], summary, ("Reason", "Pairs")),
        drill_down=reverse("program-at-risk-page", kwargs={"slug": program.slug}),
    )


def report_csv(program: Program, period: Period, sections: Iterable[Section], out: TextIO) -> None:
    """Every section as a block a spreadsheet reads: a heading row (`section` then the table's columns), its rows
    each led by the section's key, a blank line between blocks. Text cells are neutralised (config.spreadsheets)."""
    writer = csv_writer(out)
    writer.writerow(["program", program.slug, "from", period.start or "", "to", period.end or ""])
    for section in sections:
        writer.writerow([])
        writer.writerow(["section", section.title, section.summary])
        if section.withheld:
            writer.writerow([section.key, "withheld", section.withheld])
        writer.writerow(["section", *section.table.columns])
        writer.writerows([section.key, *row] for row in section.table.rows)
