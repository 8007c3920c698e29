"""Reads of management reports and their versions."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from agencies.models import User
from agencies.permissions import permitted
from agencies.selectors import agency_ids_without_leads
from reviews.models import (
    ReportRequest,
    ReportVersion,
    Review,
)


def report_get(*, review: Review, pk: int) -> ReportRequest | None:
    """One of the review's management reports with its agency and versions."""
    return (
        review.report_requests.select_related("agency", "records_secured_by", "decided_by")
        .prefetch_related(
            Prefetch("versions", queryset=ReportVersion.objects.select_related("uploaded_by"))
        )
        .filter(pk=pk)
        .first()
    )


def report_versions_visible(*, report: ReportRequest, own_agency: bool) -> list[ReportVersion]:
    """Every version for the agency's own leads; only submitted ones for everyone else."""
    versions = list(report.versions.all())
    return versions if own_agency else [v for v in versions if v.submitted_at]


def report_list_for_agency_lead(*, user: User, review: Review) -> QuerySet[ReportRequest]:
    """The reports of the review that belong to the lead's own agency."""
    # Asked even of someone with no agency (nothing found), so the query runs whoever asks.
    reports = review.report_requests.filter(
        Q(agency_id=user.agency_id), agency__leads_group__user=user
    )
    return permitted(reports, allowed=user.agency_id is not None)


def report_of_agency_lead(*, user: User, review: Review) -> ReportRequest | None:
    """The lead's own agency's report in the review, if they lead for one in it."""
    return report_list_for_agency_lead(user=user, review=review).select_related("agency").first()


def report_version_get(*, report: ReportRequest, number: int, own_agency: bool):
    """One version of the report, if the reader may see it (see ``report_versions_visible``)."""
    versions = report_versions_visible(report=report, own_agency=own_agency)
    return next((version for version in versions if version.number == number), None)


def report_ids_unreachable(*, reports: Iterable[ReportRequest]) -> set[int]:
    """The reports still requested from an agency with no active lead, whom no request email
    can reach until one is invited (or given the role)."""
    waiting = [r for r in reports if r.status == ReportRequest.Status.REQUESTED]
    nobody = agency_ids_without_leads(agency_ids=[r.agency_id for r in waiting])
    return {r.pk for r in waiting if r.agency_id in nobody}
