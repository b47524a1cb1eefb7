from typing import TextIO

from config.spreadsheets import csv_writer
from matching.selectors import proposal_list

PROPOSAL_CSV_HEADER = ("mentee_username", "mentor_username", "score")


def proposals_csv(rows, out: TextIO) -> None:
    """Write (mentee_username, mentor_username, score) rows as API.md's CSV (its cells neutralised for
    spreadsheets: config.spreadsheets)."""
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(PROPOSAL_CSV_HEADER)
    for mentee, mentor, score in rows:
        writer.writerow((mentee, mentor, f"{score:.6f}"))


def round_proposal_rows(round_id: int):
    return proposal_list(round_id=round_id).values_list("mentee__username", "mentor__username", "score")
