"""The statistics as the page, the PDF and the CSV show them: bar charts drawn as inline SVG
(no script); the PDF, in the review documents' layout (templates/pdf/document.html) with no
security marking, since it is made to be shared outside the board (always suppressed: its
figures are not OFFICIAL-SENSITIVE); the CSV, every cell safe from spreadsheet formulas."""

import csv
import io
from dataclasses import dataclass

from django.utils import timezone

from learning.statistics import SUPPRESSION_RULE, Statistics, Table
from reviews.files import spreadsheet_cell
from scr.pdf import render_pdf

# The chart's geometry, in the SVG's own units (it scales to the width of its column): a line
# of text above each bar, the bar, and its count after it.
WIDTH, BAR_MAX, LINE, BAR = 640, 500, 50, 20


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the count as shown ("fewer than 5" when suppressed)
    width: int  # 0 when suppressed: the bar must not give the count away
    label_y: int
    bar_y: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    height: int
    bars: list[Bar]
    width: int = WIDTH
    bar_height: int = BAR


def chart_of(table: Table) -> Chart | None:
    """A horizontal bar chart of the table's first column, or None for a table not charted."""
    if not table.chart or not table.rows:
        return None
    counts = [row.counts[0] for row in table.rows]
    largest = max([c.value for c in counts if not c.hidden] or [0]) or 1
    bars = []
    for i, (row, count) in enumerate(zip(table.rows, counts, strict=True)):
        width = 0 if count.hidden else round(BAR_MAX * count.value / largest)
        top = i * LINE
        bars.append(
            Bar(
                label=row.label,
                text=count.text,
                width=width,
                label_y=top + 16,
                bar_y=top + 22,
                text_x=width + 8,
                text_y=top + 38,
            )
        )
    column = table.columns[0].lower()
    return Chart(
        key=table.key,
        title=f"{table.title}: bar chart",
        description=(
            f"{column.capitalize()} for each {table.heading.lower()}, as a bar each; "
            "the table beside it gives the same figures."
        ),
        height=len(bars) * LINE + 4,
        bars=bars,
    )


def statistics_csv(statistics: Statistics) -> str:
    """One CSV of every table: section, table, row and a column per count, then the days."""
    out = io.StringIO()
    writer = csv.writer(out)
    period = statistics.period
    writer.writerow(["Reporting year", period.label])
    writer.writerow(["Counts of 1 to 4", "<5"])
    writer.writerow([])
    writer.writerow(["Section", "Table", "Row", "Column", "Count"])
    for section in statistics.sections:
        for table in section.tables:
            for row in [*table.rows, *([table.total] if table.total else [])]:
                for column, count in zip(table.columns, row.counts, strict=True):
                    cells = [section.title, table.title, row.label, column, count.csv]
                    writer.writerow([spreadsheet_cell(cell) for cell in cells])
        for days in section.days:
            figures = [
                ("Reviews counted", days.count.csv),
                ("Median days", "withheld" if days.withheld else days.median),
                ("Fewest days", "withheld" if days.withheld else days.shortest),
                ("Most days", "withheld" if days.withheld else days.longest),
            ]
            for label, value in figures:
                cells = [section.title, days.title, label, "Days", "" if value is None else value]
                writer.writerow([spreadsheet_cell(cell) for cell in cells])
    return "\ufeff" + out.getvalue()


def statistics_pdf(statistics: Statistics) -> bytes:
    """The statistics as a PDF: a cover with the reporting year and the rule, contents, and
    each section's definitions and tables. Short whatever the number of reviews (a few pages),
    so it is rendered in the request."""
    context = {
        "statistics": statistics,
        "rule": SUPPRESSION_RULE,
        "title": "The board's statistics",
        "reference": statistics.period.label,
        "reference_label": "Reporting year",
        "review_kind": "Statistics as shared outside the board",
        "dated": timezone.localdate(),
        "marking": "",
        "sections": [{"anchor": s.key, "title": s.title} for s in statistics.sections],
    }
    return render_pdf("learning/statistics_pdf.html", context)
