"""Reads of a report's chronology and its imports, and of the review's combined chronology."""

from datetime import date

from django.db.models import F, QuerySet

from agencies.models import Agency
from reviews.models import ChronologyEntry, ChronologyImport, ReportRequest, Review


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


def combined_chronology_agencies(*, review: Review) -> QuerySet[Agency]:
    """The agencies whose chronology is in the combined one: those whose report was accepted."""
    return Agency.objects.filter(
        report_requests__review=review, report_requests__status=ReportRequest.Status.ACCEPTED
    ).order_by("name", "pk")


def combined_chronology_list(
    *,
    review: Review,
    agency_ids: list[int] | None = None,
    since: date | None = None,
    until: date | None = None,
    key_only: bool = False,
) -> QuerySet[ChronologyEntry]:
    """Every entry of the review's accepted chronologies, by date, then time (entries with no
    time first in their day), then agency, then id; with their agency and key episode mark."""
    entries = ChronologyEntry.objects.filter(
        request__review=review, request__status=ReportRequest.Status.ACCEPTED
    )
    if agency_ids:
        entries = entries.filter(request__agency_id__in=agency_ids)
    if since:
        entries = entries.filter(occurred_on__gte=since)
    if until:
        entries = entries.filter(occurred_on__lte=until)
    if key_only:
        entries = entries.filter(key_episode__isnull=False)
    return entries.select_related("request__agency", "key_episode").order_by(
        "occurred_on",
        F("occurred_time").asc(nulls_first=True),
        "request__agency__name",
        "pk",
    )


def combined_chronology_entry_get(*, review: Review, pk: int) -> ChronologyEntry | None:
    """One entry of the review's accepted chronologies, with its agency and mark."""
    return combined_chronology_list(review=review).filter(pk=pk).first()


def combined_chronology_entries_in(*, pks: list[int]) -> list[ChronologyEntry]:
    """The entries of a page of ids, in the ids' order, with their agency and mark: the page
    is found from ids alone, so that a late page sorts and skips ids, not whole rows."""
    entries = ChronologyEntry.objects.select_related("request__agency", "key_episode")
    found = entries.in_bulk(pks)
    return [found[pk] for pk in pks]
