"""An agency's chronology of its contact with the child and family: entries one at a time,
spreadsheet imports (previewed, then saved whole or not at all, and undone as one step) and a
CSV export that cannot smuggle formulas into a spreadsheet."""

import csv
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from agencies.models import User
from reviews.files import archive_scan, display_name_of, spreadsheet_cell
from reviews.models import ChronologyEntry, ChronologyImport, KeyEpisode, ReportRequest, Review
from reviews.permissions.chronology import MARKING_STAGES
from reviews.services.reports import report_check_editable, report_lock
from reviews.services.review import repeated_submission, review_lock
from scr.versions import check_unchanged

COLUMNS = {
    "date": "occurred_on",
    "time": "occurred_time",
    "approximate": "approximate",
    "what happened": "what_happened",
    "practitioner role": "practitioner_role",
    "source reference": "source_reference",
    "analysis": "analysis",
}
REQUIRED = ("date", "what happened", "practitioner role")
_YES = {"yes", "y", "true", "1", "approximate", "approx"}
_NO = {"", "no", "n", "false", "0"}
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
# Characters no text spreadsheet holds: their presence means a binary file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_A_SHEET = "The selected file must be a CSV or XLSX"
_CELL_TOO_LONG = "a cell is longer than 128 KiB"


@dataclass
class ParsedFile:
    """What a spreadsheet would become: entries (as field dicts) and each bad row's reason."""

    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _editable(report: ReportRequest) -> None:
    report_check_editable(
        report, message="The chronology of a submitted or accepted report cannot change"
    )


def _check_entry(*, occurred_on: date, what_happened: str, practitioner_role: str) -> None:
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "Date must be today or in the past"})
    if not what_happened.strip():
        raise ValidationError({"what_happened": "Enter what happened"})
    if not practitioner_role.strip():
        raise ValidationError({"practitioner_role": "Enter the practitioner's role"})


@transaction.atomic
def chronology_entry_save(
    *,
    report: ReportRequest,
    actor: User,
    entry: ChronologyEntry | None = None,
    submission: uuid.UUID | None = None,
    version: int | None = None,
    **fields,
) -> ChronologyEntry:
    """Add an entry (once per submission), or change ``entry`` as read at ``version``; raises
    ValidationError."""
    report = report_lock(report)
    if entry is None and (earlier := repeated_submission(ChronologyEntry, submission)):
        return earlier
    if entry is not None:
        entry = ChronologyEntry.objects.select_for_update().get(pk=entry.pk)
        check_unchanged(entry, version, what="This entry")
    _editable(report)
    _check_entry(
        occurred_on=fields["occurred_on"],
        what_happened=fields["what_happened"],
        practitioner_role=fields["practitioner_role"],
    )
    entry = entry or ChronologyEntry(request=report, created_by=actor, submission=submission)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry._history_user, entry._change_reason = actor, "changed" if entry.pk else "added"
    entry.save()
    return entry


@transaction.atomic
def chronology_entry_delete(*, entry: ChronologyEntry, actor: User) -> None:
    """Remove an entry; its history keeps what it said and who removed it."""
    _editable(entry.request)
    entry._history_user, entry._change_reason = actor, "deleted"
    entry.delete()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date '{text}' is not a real date: use day/month/year, like 27/03/2026")


def _parse_time(value) -> time | None:
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    text = _cell_text(value)
    if not text:
        return None
    match = _TIME.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"time '{text}' is not a time: use hours and minutes, like 14:30")
    return time(int(match[1]), int(match[2]))


def _parse_row(values: dict[str, object]) -> dict:
    """One spreadsheet row as entry fields; raises ValueError with the reason."""
    occurred_on = _parse_date(values.get("date"))
    if occurred_on > timezone.localdate():
        raise ValueError(f"date {occurred_on:%d/%m/%Y} is in the future")
    approximate = _cell_text(values.get("approximate")).lower()
    if approximate not in _YES | _NO:
        raise ValueError(f"approximate '{approximate}' must be yes or no")
    row = {
        "occurred_on": occurred_on,
        "occurred_time": _parse_time(values.get("time")),
        "approximate": approximate in _YES,
        "what_happened": _cell_text(values.get("what happened"))[:10000],
        "practitioner_role": _cell_text(values.get("practitioner role"))[:200],
        "source_reference": _cell_text(values.get("source reference"))[:200],
        "analysis": _cell_text(values.get("analysis"))[:10000],
    }
    if not row["what_happened"]:
        raise ValueError("enter what happened")
    if not row["practitioner_role"]:
        raise ValueError("enter the practitioner's role (not their name)")
    return row


class _BadRow(list):
    """A row the CSV reader could not read: it stands in the file's rows with the reason."""

    def __init__(self, reason: str):
        super().__init__([reason])
        self.reason = reason


def _xlsx_rows(upload: UploadedFile) -> list[list]:
    """The first sheet's rows, once every part of the workbook has been inflated within limits
    and its XML found free of DTDs."""
    _, names = archive_scan(
        upload, max_inflated=20 * settings.SCR_CHRONOLOGY_MAX_BYTES, wrong_type=_NOT_A_SHEET
    )
    if "xl/workbook.xml" not in names:
        raise ValidationError({"file": _NOT_A_SHEET})
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, IndexError):
        raise ValidationError({"file": _NOT_A_SHEET}) from None


def _csv_rows(text: str) -> list[list]:
    """The CSV's rows; a row the reader refuses (a cell over its 128 KiB limit, say) becomes a
    _BadRow, reported with its number like any other bad row."""
    reader, rows = csv.reader(io.StringIO(text)), []
    while True:
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error as error:
            too_long = "field larger" in str(error)
            rows.append(_BadRow(_CELL_TOO_LONG if too_long else "the row could not be read"))


def _rows_of(upload: UploadedFile) -> list[list]:
    """The file's rows as lists of cell values, from a CSV or an XLSX judged by content."""
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_rows(upload)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _NOT_A_SHEET}) from None
    if head.startswith(b"%PDF") or _CONTROL.search(text):
        raise ValidationError({"file": _NOT_A_SHEET})
    return _csv_rows(text)


def _file_rows(upload: UploadedFile) -> list[list]:
    """The spreadsheet's non-empty rows, header first; raises ValidationError when the file is
    empty, too big, or has no rows or too many."""
    if upload.size == 0:
        raise ValidationError({"file": "The selected file is empty"})
    if (upload.size or 0) > settings.SCR_CHRONOLOGY_MAX_BYTES:
        limit = settings.SCR_CHRONOLOGY_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"The selected file must be smaller than {limit} MB"})
    rows = [row for row in _rows_of(upload) if any(_cell_text(cell) for cell in row)]
    if not rows:
        raise ValidationError({"file": "The selected file has no rows"})
    if len(rows) - 1 > settings.SCR_CHRONOLOGY_MAX_ROWS:
        raise ValidationError(
            {"file": f"The file must have {settings.SCR_CHRONOLOGY_MAX_ROWS:,} rows or fewer"}
        )
    return rows


def chronology_file_parse(upload: UploadedFile) -> ParsedFile:
    """Read a chronology spreadsheet without saving anything; raises ValidationError when the
    file itself is unusable (wrong type, empty, too big, no header)."""
    rows = _file_rows(upload)
    header = [_cell_text(cell).lower() for cell in rows[0]]
    parsed = ParsedFile()
    unknown = [name for name in header if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if isinstance(rows[0], _BadRow):
        parsed.errors.append((1, rows[0].reason))
    elif unknown:
        parsed.errors.append((1, f"unknown column '{unknown[0]}'"))
    if missing:
        parsed.errors.append((1, f"the column '{missing[0]}' is missing"))
    if parsed.errors:
        return parsed
    for number, row in enumerate(rows[1:], start=2):
        try:
            if isinstance(row, _BadRow):
                raise ValueError(row.reason)
            parsed.rows.append(_parse_row(dict(zip(header, row, strict=False))))
        except ValueError as error:
            parsed.errors.append((number, str(error)))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((2, "the file has a header but no entries"))
    return parsed


@transaction.atomic
def chronology_import_preview(
    *, report: ReportRequest, actor: User, file: UploadedFile
) -> tuple[ChronologyImport, ParsedFile]:
    """Keep the uploaded spreadsheet for preview and say what it would become; saves no entry."""
    _editable(report)
    parsed = chronology_file_parse(file)
    batch = ChronologyImport(
        request=report,
        display_name=display_name_of(file.name or "chronology"),
        rows=len(parsed.rows),
        uploaded_by=actor,
    )
    file.seek(0)
    batch.file.save("chronology", file, save=False)
    batch._history_user, batch._change_reason = actor, "previewed"
    batch.save()
    return batch, parsed


def chronology_import_parsed(*, batch: ChronologyImport) -> ParsedFile:
    """Read a previewed file again, as it was stored."""
    with batch.file.open("rb") as stored:
        return chronology_file_parse(
            UploadedFile(stored, name=batch.display_name, size=batch.file.size)
        )


@transaction.atomic
def chronology_import_confirm(*, batch: ChronologyImport, actor: User) -> int:
    """Save every row of a previewed file as entries, or none if any row is bad."""
    batch = ChronologyImport.objects.select_for_update().select_related("request").get(pk=batch.pk)
    _editable(batch.request)
    if batch.status != ChronologyImport.Status.PREVIEW:
        raise ValidationError("This file has already been imported or undone")
    with batch.file.open("rb") as stored:
        parsed = chronology_file_parse(
            UploadedFile(stored, name=batch.display_name, size=batch.file.size)
        )
    if parsed.errors:
        raise ValidationError("Correct the rows listed and upload the file again")
    entries = [
        ChronologyEntry(request=batch.request, imported_from=batch, created_by=actor, **row)
        for row in parsed.rows
    ]
    bulk_create_with_history(
        entries, ChronologyEntry, default_user=actor, default_change_reason="imported"
    )
    batch.status, batch.changed_at, batch.rows = (
        ChronologyImport.Status.IMPORTED,
        timezone.now(),
        len(entries),
    )
    batch._history_user, batch._change_reason = actor, "imported"
    batch.save()
    return len(entries)


@transaction.atomic
def chronology_import_undo(*, batch: ChronologyImport, actor: User) -> int:
    """Remove, as one step, every entry an import made (history keeps them)."""
    batch = ChronologyImport.objects.select_for_update().select_related("request").get(pk=batch.pk)
    _editable(batch.request)
    if batch.status != ChronologyImport.Status.IMPORTED:
        raise ValidationError("Only an imported file can be undone")
    entries = list(batch.entries.all())
    for entry in entries:
        entry._history_user, entry._change_reason = actor, "import undone"
        entry.delete()
    batch.status, batch.changed_at = ChronologyImport.Status.UNDONE, timezone.now()
    batch._history_user, batch._change_reason = actor, "undone"
    batch.save()
    return len(entries)


def chronology_csv(*, report: ReportRequest) -> str:
    """The chronology as CSV with the import's own columns, ordered by date."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name.capitalize() for name in COLUMNS])
    for entry in report.chronology.all():
        writer.writerow(
            spreadsheet_cell(value)
            for value in (
                entry.occurred_on.strftime("%d/%m/%Y"),
                entry.occurred_time.strftime("%H:%M") if entry.occurred_time else "",
                "yes" if entry.approximate else "no",
                entry.what_happened,
                entry.practitioner_role,
                entry.source_reference,
                entry.analysis,
            )
        )
    return out.getvalue()


def _check_markable(review: Review, entry: ChronologyEntry) -> None:
    if review.stage not in MARKING_STAGES:
        raise ValidationError(
            "Key practice episodes cannot change once the overview report is agreed"
        )
    if entry.request.review_id != review.pk or (
        entry.request.status != ReportRequest.Status.ACCEPTED
    ):
        raise ValidationError("Only an entry of an accepted chronology can be a key episode")


@transaction.atomic
def key_episode_mark(
    *, review: Review, entry: ChronologyEntry, actor: User, note: str
) -> KeyEpisode:
    """Mark the entry as a key practice episode, or change the note of its mark; raises
    ValidationError once the overview report is agreed."""
    review = review_lock(review)
    _check_markable(review, entry)
    episode = KeyEpisode.objects.filter(entry=entry).first() or KeyEpisode(entry=entry)
    episode._change_reason = "note changed" if episode.pk else "marked"
    episode.note, episode.marked_by, episode.marked_at = note.strip(), actor, timezone.now()
    episode._history_user = actor
    episode.save()
    return episode


@transaction.atomic
def key_episode_unmark(*, review: Review, entry: ChronologyEntry, actor: User) -> None:
    """Remove the entry's key practice episode mark (its history keeps it); raises
    ValidationError once the overview report is agreed."""
    review = review_lock(review)
    _check_markable(review, entry)
    episode = KeyEpisode.objects.filter(entry=entry).first()
    if episode is not None:
        episode._history_user, episode._change_reason = actor, "unmarked"
        episode.delete()


def combined_chronology_rows(entries):
    """The combined chronology as spreadsheet rows, header first (the CSV download)."""
    yield [
        "Date",
        "Time",
        "Approximate",
        "Agency",
        "What happened",
        "Practitioner role",
        "Source reference",
        "Analysis",
        "Key practice episode",
    ]
    for entry in entries:
        episode = getattr(entry, "key_episode", None)
        yield [
            entry.occurred_on.strftime("%d/%m/%Y"),
            entry.occurred_time.strftime("%H:%M") if entry.occurred_time else "",
            "yes" if entry.approximate else "no",
            entry.request.agency.name,
            entry.what_happened,
            entry.practitioner_role,
            entry.source_reference,
            entry.analysis,
            episode.note if episode else "",
        ]
