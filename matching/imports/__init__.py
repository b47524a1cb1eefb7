"""Bulk import of mentors and mentees from a program admin's CSV file.

The file is all or nothing: every row is checked before anything is written, so an admin fixes the whole
file in one go instead of discovering a second mistake after the first half was imported. The checks
(`validation`) and the writes (`writing`) live here, not in the command, so that an admin upload page can show
the same line-by-line errors.

Format (UTF-8, a BOM tolerated), one participant per row::

    role,username,email,full_name,industry,skills,goals,capacity[,headline,bio,timezone,languages,wanted_skills]

`skills`, `goals`, `languages` and `wanted_skills` are `;`-separated lists; `capacity` is for mentors only. A
mentor row's `skills` are what they teach; a mentee row's what they want to grow. Everyone in the file joins the
program it is imported into, in the role of their row.
"""

from matching.imports.validation import (
    HEADER,
    OPTIONAL,
    CsvSource,
    ParticipantRow,
    ParticipantsValidation,
    RowError,
    participants_validate,
)
from matching.imports.writing import ImportReport, participants_import

__all__ = [
    "HEADER",
    "OPTIONAL",
    "CsvSource",
    "ImportReport",
    "ParticipantRow",
    "ParticipantsValidation",
    "RowError",
    "participants_import",
    "participants_validate",
]
