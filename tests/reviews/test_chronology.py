"""An agency's chronology: entries, spreadsheet import (preview, all or nothing, undo), export."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from reviews.models import ChronologyEntry, ChronologyImport
from reviews.services.chronology import (
    chronology_csv,
    chronology_entry_save,
    chronology_file_parse,
    chronology_import_confirm,
    chronology_import_preview,
    chronology_import_undo,
)
from scr.versions import version_of

pytestmark = pytest.mark.django_db

HEADER = "Date,Time,Approximate,What happened,Practitioner role,Source reference,Analysis\n"


def _csv(body: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("chronology.csv", (header + body).encode())


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("chronology.xlsx", out.getvalue())


def test_a_valid_csv_parses_every_column():
    parsed = chronology_file_parse(
        _csv(
            "27/03/2025,14:30,no,Home visit,Health Visitor 1,HV-12,Missed signs\n"
            "2025-04-02,,yes,Phone call,Social Worker 2,,\n"
        )
    )
    assert parsed.errors == []
    first, second = parsed.rows
    assert first["occurred_on"] == date(2025, 3, 27)
    assert first["occurred_time"].strftime("%H:%M") == "14:30"
    assert (first["source_reference"], first["analysis"]) == ("HV-12", "Missed signs")
    assert second["approximate"] is True
    assert second["occurred_time"] is None


def test_a_valid_xlsx_parses_dates_from_date_cells():
    parsed = chronology_file_parse(
        _xlsx(
            [
                ["Date", "What happened", "Practitioner role"],
                [date(2025, 5, 1), "School raised attendance", "Head of Year"],
            ]
        )
    )
    assert parsed.errors == []
    assert parsed.rows[0]["occurred_on"] == date(2025, 5, 1)


@pytest.mark.parametrize(
    ("body", "row", "reason"),
    [
        ("31/02/2025,,,Visit,HV,,\n", 2, "is not a real date"),
        ("01/03/2025,,,,HV,,\n", 2, "enter what happened"),
        ("01/03/2025,,,Visit,,,\n", 2, "practitioner's role"),
        ("01/03/2025,25:99,,Visit,HV,,\n", 2, "is not a time"),
        ("01/03/2025,,maybe,Visit,HV,,\n", 2, "must be yes or no"),
        (f"{date.today() + timedelta(days=9):%d/%m/%Y},,,Visit,HV,,\n", 2, "in the future"),
        ("01/03/2025,,,Visit,HV,,\nnot a date,,,Visit,HV,,\n", 3, "is not a real date"),
    ],
)
def test_every_bad_row_is_reported_with_its_number_and_reason(body, row, reason):
    parsed = chronology_file_parse(_csv(body))
    assert len(parsed.errors) == 1
    number, message = parsed.errors[0]
    assert number == row
    assert reason in message


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Date,What happened,Practitioner role,Colour\n", "unknown column 'colour'"),
        ("Date,What happened\n", "the column 'practitioner role' is missing"),
    ],
)
def test_bad_columns_are_reported_on_row_one(header, reason):
    parsed = chronology_file_parse(_csv("01/03/2025,Visit,HV\n", header=header))
    assert parsed.errors == [(1, reason)]
    assert parsed.rows == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("c.csv", b""), "is empty"),
        (SimpleUploadedFile("c.xlsx", b"%PDF-1.4 a pdf"), "must be a CSV or XLSX"),
        (SimpleUploadedFile("c.csv", b"\xff\xfe\x00bin\x00ary"), "must be a CSV or XLSX"),
        (SimpleUploadedFile("c.csv", b"\n\n"), "has no rows"),
    ],
)
def test_files_that_are_not_chronologies_are_refused(upload, message):
    with pytest.raises(ValidationError, match=message):
        chronology_file_parse(upload)


def test_huge_files_and_too_many_rows_are_refused(settings):
    settings.SCR_CHRONOLOGY_MAX_BYTES = 200
    with pytest.raises(ValidationError, match="smaller than"):
        chronology_file_parse(_csv("01/03/2025,,,Visit,HV,,\n" * 20))
    settings.SCR_CHRONOLOGY_MAX_BYTES = 10_000
    settings.SCR_CHRONOLOGY_MAX_ROWS = 3
    with pytest.raises(ValidationError, match="3 rows or fewer"):
        chronology_file_parse(_csv("01/03/2025,,,Visit,HV,,\n" * 4))


def test_preview_saves_nothing_and_confirm_saves_everything(report):
    body = "01/03/2025,,,Visit,HV,,\n02/03/2025,,,Call,SW,,\n"
    batch, parsed = chronology_import_preview(report=report, actor=report.lead, file=_csv(body))
    assert len(parsed.rows) == 2
    assert not ChronologyEntry.objects.exists()
    assert chronology_import_confirm(batch=batch, actor=report.lead) == 2
    assert report.chronology.count() == 2
    entry = report.chronology.first()
    assert entry.history.latest().history_user == report.lead
    with pytest.raises(ValidationError, match="already been imported"):
        chronology_import_confirm(batch=batch, actor=report.lead)


def test_a_file_with_one_bad_row_saves_nothing(report):
    body = "01/03/2025,,,Visit,HV,,\n31/02/2025,,,Call,SW,,\n"
    batch, parsed = chronology_import_preview(report=report, actor=report.lead, file=_csv(body))
    assert parsed.errors
    with pytest.raises(ValidationError, match="Correct the rows"):
        chronology_import_confirm(batch=batch, actor=report.lead)
    assert not ChronologyEntry.objects.exists()


def test_an_import_is_undone_as_one_step(report):
    chronology_entry_save(
        report=report,
        actor=report.lead,
        occurred_on=date(2025, 2, 1),
        occurred_time=None,
        approximate=False,
        what_happened="Typed in by hand",
        practitioner_role="GP",
        source_reference="",
        analysis="",
    )
    body = "01/03/2025,,,Visit,HV,,\n02/03/2025,,,Call,SW,,\n"
    batch, _ = chronology_import_preview(report=report, actor=report.lead, file=_csv(body))
    chronology_import_confirm(batch=batch, actor=report.lead)

    assert chronology_import_undo(batch=batch, actor=report.lead) == 2
    assert list(report.chronology.values_list("what_happened", flat=True)) == ["Typed in by hand"]
    batch.refresh_from_db()
    assert batch.status == ChronologyImport.Status.UNDONE


def test_formulas_are_stored_as_text_and_exported_escaped(report):
    body = "01/03/2025,,,\"=cmd|' /C calc'!A0\",@SUM(A1),+44 7700,-1\n"
    batch, _ = chronology_import_preview(report=report, actor=report.lead, file=_csv(body))
    chronology_import_confirm(batch=batch, actor=report.lead)
    entry = report.chronology.get()
    assert entry.what_happened == "=cmd|' /C calc'!A0"
    exported = chronology_csv(report=report).splitlines()[1]
    assert "'=cmd" in exported
    assert "'@SUM(A1)" in exported
    assert "'+44 7700" in exported
    assert "'-1" in exported


def test_chronology_page_orders_by_date_and_flags_entries_outside_the_period(client, report):
    for day, text in [(date(2025, 6, 1), "Inside"), (date(2024, 6, 1), "Before the period")]:
        chronology_entry_save(
            report=report,
            actor=report.lead,
            occurred_on=day,
            occurred_time=None,
            approximate=False,
            what_happened=text,
            practitioner_role="GP",
            source_reference="",
            analysis="",
        )
    client.force_login(report.lead)
    html = client.get(reverse("reviews:chronology", args=[report.review.reference, report.pk]))
    html = html.content.decode()
    assert html.index("Before the period") < html.index("Inside")
    assert html.count("Outside the period") == 1


def test_the_chronology_page_stays_paginated_with_constant_queries(
    client, report, django_assert_max_num_queries
):
    url = reverse("reviews:chronology", args=[report.review.reference, report.pk])
    client.force_login(report.lead)

    def add(count):
        for n in range(count):
            ChronologyEntry.objects.create(
                request=report,
                occurred_on=date(2025, 1, 1) + timedelta(days=n % 300),
                what_happened=f"Contact {n}",
                practitioner_role="HV",
                created_by=report.lead,
            )

    add(5)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(995)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 1000
    assert len(response.context["page"].object_list) == 50


def test_the_entry_form_shows_govuk_errors_and_saves_nothing(client, report):
    client.force_login(report.lead)
    url = reverse("reviews:chronology_add", args=[report.review.reference, report.pk])
    response = client.post(url, {"occurred_time": "9pm", "approximate": "no"})
    html = response.content.decode()
    for message in ("Enter the date", "Enter the time like 14:30", "Enter what happened"):
        assert message in html
    assert not ChronologyEntry.objects.exists()


def test_the_import_journey_through_the_pages(client, report):
    client.force_login(report.lead)
    start = reverse("reviews:chronology_import", args=[report.review.reference, report.pk])
    response = client.post(start, {"file": _csv("01/03/2025,,,Visit,HV,,\n")})
    preview = response["Location"]
    assert "Import 1 entries" in client.get(preview).content.decode()
    assert not ChronologyEntry.objects.exists()
    client.post(preview)
    assert report.chronology.count() == 1


def test_a_double_clicked_entry_is_added_once(client, report):
    client.force_login(report.lead)
    url = reverse("reviews:chronology_add", args=[report.review.reference, report.pk])
    page = client.get(url).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]{36})"', page).group(1)
    data = {
        "occurred_on_0": "3",
        "occurred_on_1": "3",
        "occurred_on_2": "2025",
        "approximate": "no",
        "what_happened": "Home visit by the health visitor.",
        "practitioner_role": "Health visitor",
        "submission": token,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert report.chronology.count() == 1


def _xlsx_with_a_dtd() -> SimpleUploadedFile:
    """An XLSX whose sheet declares entities (a billion-laughs start) in a DTD."""
    source = io.BytesIO(_xlsx([HEADER.strip().split(","), ["01/03/2025", "", "", "&a;"]]).read())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(out, "w") as hostile:
        for info in book.infolist():
            data = book.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>' + data
            hostile.writestr(info, data)
    return SimpleUploadedFile("chronology.xlsx", out.getvalue())


def _csv_with_a_huge_cell() -> SimpleUploadedFile:
    huge = "x" * (129 * 1024)
    return _csv(f"01/03/2025,,,Visit,HV,,\n02/03/2025,,,{huge},HV,,\n03/03/2025,,,Call,SW,,\n")


def test_an_xlsx_with_a_dtd_is_refused_as_a_file():
    with pytest.raises(ValidationError, match="must not contain a DTD"):
        chronology_file_parse(_xlsx_with_a_dtd())


def test_a_csv_cell_over_128_kib_is_a_row_error():
    parsed = chronology_file_parse(_csv_with_a_huge_cell())
    assert parsed.errors == [(3, "a cell is longer than 128 KiB")]
    assert [row["what_happened"] for row in parsed.rows] == ["Visit", "Call"]


def test_the_import_page_shows_both_errors(client, report, settings):
    client.force_login(report.lead)
    start = reverse("reviews:chronology_import", args=[report.review.reference, report.pk])
    response = client.post(start, {"file": _xlsx_with_a_dtd()})
    assert response.status_code == 200
    assert "must not contain a DTD" in response.content.decode()
    assert not ChronologyImport.objects.exists()
    response = client.post(start, {"file": _csv_with_a_huge_cell()}, follow=True)
    assert response.status_code == 200
    assert "a cell is longer than 128 KiB" in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_an_entry_changed_in_another_tab_is_not_overwritten(report):
    fields = {
        "occurred_on": date(2025, 3, 3),
        "occurred_time": None,
        "approximate": False,
        "what_happened": "Home visit.",
        "practitioner_role": "Health visitor",
        "source_reference": "",
        "analysis": "",
    }
    entry = chronology_entry_save(report=report, actor=report.lead, **fields)
    seen = version_of(entry)
    chronology_entry_save(
        report=report, actor=report.lead, entry=entry, **{**fields, "analysis": "First tab"}
    )
    with pytest.raises(ValidationError) as refused:
        chronology_entry_save(
            report=report,
            actor=report.lead,
            entry=entry,
            version=seen,
            **{**fields, "analysis": "Second tab"},
        )
    assert refused.value.code == "conflict"
    entry.refresh_from_db()
    assert entry.analysis == "First tab"


def test_the_change_page_of_an_entry_opens_with_its_values_and_version(client, report):
    entry = chronology_entry_save(
        report=report,
        actor=report.lead,
        occurred_on=date(2025, 3, 3),
        occurred_time=None,
        approximate=False,
        what_happened="Home visit.",
        practitioner_role="Health visitor",
        source_reference="",
        analysis="",
    )
    client.force_login(report.lead)
    url = reverse("reviews:chronology_edit", args=[report.review.reference, report.pk, entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == version_of(entry)
    assert "Home visit." in response.content.decode()
