"""Reads of a report's chronology and its imports."""

from django.db.models import QuerySet

from reviews.models import ChronologyEntry, ChronologyImport, ReportRequest


def chronology_entry_list(*, report: ReportRequest) -> QuerySet[ChronologyEntry]:
    """The report's entries in date order, with the import each came from."""
    return report.chronology.select_related("imported_from")


def chronology_entry_get(*, report: ReportRequest, pk: int) -> ChronologyEntry | None:
    """One of the report's entries."""
    return report.chronology.filter(pk=pk).first()


def chronology_import_list(*, report: ReportRequest) -> QuerySet[ChronologyImport]:
    """The report's imports that were confirmed or undone (previews are not history)."""
    return report.imports.exclude(status=ChronologyImport.Status.PREVIEW)


def chronology_import_get(
    *, report: ReportRequest, pk: int, preview: bool = False
) -> ChronologyImport | None:
    """One of the report's imports; with ``preview``, only one still awaiting confirmation."""
    imports = report.imports.filter(pk=pk)
    if preview:
        imports = imports.filter(status=ChronologyImport.Status.PREVIEW)
    return imports.first()
