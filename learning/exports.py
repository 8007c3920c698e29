"""The board-wide log of where learning was shared, as a CSV file for the board's annual
report: every cell safe from spreadsheet formulas (reviews.files.spreadsheet_cell)."""

import csv
import io
from collections.abc import Iterable

from learning.models import Dissemination
from reviews.files import spreadsheet_cell

HEADER = [
    "Review",
    "Date shared",
    "What was shared",
    "Agency",
    "Event or channel",
    "Practitioners reached",
    "Evidence that learning landed",
]


def dissemination_csv(records: Iterable[Dissemination]) -> str:
    """The records as CSV (with a byte-order mark, so spreadsheets read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for record in records:
        row = [
            record.review.reference,
            record.shared_on.isoformat(),
            record.get_what_display(),
            record.agency_name,
            record.event,
            record.practitioners_reached,
            record.evidence,
        ]
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return "\ufeff" + out.getvalue()
