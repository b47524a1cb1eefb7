"""Every CSV the platform writes is safe to open in a spreadsheet: a cell that would start a formula (`= + - @`,
a tab or a carriage return) starts with a single quote instead (config.spreadsheets), whoever chose the value."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from config.spreadsheets import neutralised
from tests.factories import MatchProposalFactory, MatchRoundFactory, MenteeFactory, MentorFactory

ROOT = Path(__file__).resolve().parents[2]
# usernames a person may choose (letters, digits and . @ + - _), as the file would otherwise show them
FORMULAS = {"+1+1": "'+1+1", "-2+3": "'-2+3", "@SUM.A1": "'@SUM.A1", "maya": "maya", "a+b": "a+b"}


@pytest.fixture
def match_round(db):
    match_round = MatchRoundFactory(status="proposed")
    for number, username in enumerate(FORMULAS):
        mentor = MentorFactory(username=f"mentor{number}")
        MatchProposalFactory(round=match_round, mentee=MenteeFactory(username=username), mentor=mentor, score=0.5)
    return match_round


def _mentee_cells(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["mentee_username", "mentor_username", "score"]
    return {row[0].removeprefix("'"): row[0] for row in rows[1:]}


def test_the_proposals_csv_neutralises_usernames_that_start_a_formula(admin_client_api, match_round):
    response = admin_client_api.get(f"/api/v1/match-rounds/{match_round.pk}/proposals/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert _mentee_cells(response.content.decode()) == FORMULAS


def test_the_exported_file_neutralises_them_too(match_round, tmp_path):
    target = tmp_path / "proposals.csv"

    call_command("export_match_round", str(match_round.pk), "--output", str(target))

    assert _mentee_cells(target.read_text()) == FORMULAS


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("Ada Lovelace", "Ada Lovelace"),
        ("", ""),
        (0.5, 0.5),
        (-3, -3),
    ],
)
def test_a_cell_is_neutralised_when_it_would_start_a_formula(cell, written):
    assert neutralised(cell) == written


def test_every_csv_the_app_writes_goes_through_the_neutralising_writer():
    """A new export must use config.spreadsheets.csv_writer. The one exception feeds PostgreSQL's COPY, which
    reads values as they are (a quote would be stored)."""
    packages = [p for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in ("tests", "bench")]
    writers = {
        path.relative_to(ROOT).as_posix()
        for package in packages
        for path in package.rglob("*.py")
        if re.search(r"\bcsv\.(writer|DictWriter)\(", path.read_text())
    }

    assert writers == {"config/spreadsheets.py", "matching/runner.py"}
    assert "COPY" in (ROOT / "matching" / "runner.py").read_text()
