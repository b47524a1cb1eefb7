import csv
from typing import TextIO

from matching.selectors import proposal_list

PROPOSAL_CSV_HEADER = ("mentee_username", "mentor_username", "score")


def proposals_csv(rows, out: TextIO) -> None:
    """Write (mentee_username, mentor_username, score) rows as API.md's CSV."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PROPOSAL_CSV_HEADER)
    for mentee, mentor, score in rows:
        writer.writerow((mentee, mentor, f"{score:.6f}"))


def round_proposal_rows(round_id: int):
    return proposal_list(round_id=round_id).values_list("mentee__username", "mentor__username", "score")
