"""Reads of a report's interviews with workers."""

from django.db.models import QuerySet

from reviews.models import Interview, ReportRequest


def interview_list(*, report: ReportRequest) -> QuerySet[Interview]:
    """The report's interviews, in the order they were held."""
    return report.interviews.all()


def interview_get(*, report: ReportRequest, pk: int) -> Interview | None:
    """One of the report's interviews."""
    return report.interviews.filter(pk=pk).first()
