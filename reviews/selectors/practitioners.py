"""Reads of what the author sent workers interviewed, and of what they said back."""

from django.db.models import F, Prefetch, QuerySet

from reviews.models import (
    ChronologyEntry,
    Interview,
    OverviewSection,
    PractitionerComment,
    ReportRequest,
    Review,
)
from reviews.selectors.chronology import combined_chronology_list
from reviews.selectors.overview_text import overview_version_latest, sections_html
from scr.richtext import plain_text


def _comments(review: Review) -> QuerySet[PractitionerComment]:
    entries = ChronologyEntry.objects.select_related("request__agency").order_by(
        "occurred_on", F("occurred_time").asc(nulls_first=True), "pk"
    )
    return (
        PractitionerComment.objects.filter(interview__request__review=review)
        .select_related(
            "interview__request__review",
            "interview__request__agency",
            "version",
            "sent_by",
            "recorded_by",
        )
        .prefetch_related(Prefetch("entries", queryset=entries))
    )


def practitioner_comment_list(
    *, review: Review, agency_id: int | None = None
) -> QuerySet[PractitionerComment]:
    """What was sent in the review (only to ``agency_id``'s workers, when given), oldest first,
    each with its interview, agency, version, entries and who sent and recorded it."""
    comments = _comments(review)
    if agency_id is not None:
        comments = comments.filter(interview__request__agency_id=agency_id)
    return comments.order_by("sent_at", "pk")


def practitioner_comment_get(*, review: Review, pk: int) -> PractitionerComment | None:
    """One of the review's practitioner comments, with what practitioner_comment_list joins."""
    return _comments(review).filter(pk=pk).first()


def practitioner_interview_list(*, review: Review) -> QuerySet[Interview]:
    """The workers interviewed for the review's accepted reports (the ones whose chronology
    is in the combined chronology), with their agency, by agency then date."""
    return (
        Interview.objects.filter(
            request__review=review, request__status=ReportRequest.Status.ACCEPTED
        )
        .select_related("request__agency")
        .order_by("request__agency__name", "held_on", "pk")
    )


def practitioner_interview_get(*, review: Review, pk: int) -> Interview | None:
    """One worker the author may send passages to, with their agency's report."""
    return (
        practitioner_interview_list(review=review)
        .select_related("request__review")
        .filter(pk=pk)
        .first()
    )


def practitioner_entry_list(*, interview: Interview) -> QuerySet[ChronologyEntry]:
    """The combined chronology's entries of the worker's agency: those the author may send."""
    return combined_chronology_list(
        review=interview.request.review, agency_ids=[interview.request.agency_id]
    )


def practitioner_extract_start(*, review: Review, section: str) -> str:
    """The words of a section of the current version of the report, for the author to cut down
    to the passages about a worker's practice ("" without a version or such a section)."""
    if section not in OverviewSection.Key.values:
        return ""
    return plain_text(sections_html(overview_version_latest(review=review))[section]).strip()
