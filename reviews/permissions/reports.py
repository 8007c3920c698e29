"""Who may request, work on, read and decide management reports (stage 4)."""

from agencies.models import User
from reviews.models import ReportRequest, Review
from reviews.permissions.panel import can_set_terms, can_view_panel
from reviews.permissions.review import holds, is_agency_lead_of, open_review_only


@open_review_only
def can_request_reports(user: User, review: Review) -> bool:
    """The board manager asks for management reports once the panel has convened."""
    return review.stage == Review.Stage.PANEL and can_set_terms(user, review)


def can_work_on_report(user: User, report: ReportRequest) -> bool:
    """Only the agency's own leads work on its report."""
    return is_agency_lead_of(user, report.agency_id)


@open_review_only
def can_decide_report(user: User, report: ReportRequest) -> bool:
    """The panel and the author accept or return a submitted report."""
    return report.status == ReportRequest.Status.SUBMITTED and can_view_panel(user, report.review)


@open_review_only
def can_excuse_report(user: User, report: ReportRequest) -> bool:
    """The board manager may excuse an agency whose report is still open."""
    still_open = report.status not in (ReportRequest.Status.ACCEPTED, ReportRequest.Status.EXCUSED)
    return still_open and holds(user, "reviews.manage_panel", report.review)


def can_view_report(user: User, report: ReportRequest) -> bool:
    """The agency's own leads, and the panel and author, see a management report."""
    return can_work_on_report(user, report) or can_view_panel(user, report.review)


def can_read_report_papers(user: User, report: ReportRequest) -> bool:
    """A report's chronology and interviews are its agency's own until it is submitted."""
    return can_work_on_report(user, report) or report.submitted_at is not None


@open_review_only
def can_edit_report(user: User, report: ReportRequest) -> bool:
    """The agency's own leads change the report, its chronology and interviews while it can
    still be changed."""
    return report.is_editable and can_work_on_report(user, report)


@open_review_only
def can_decide_reports_in(user: User, report: ReportRequest) -> bool:
    """Whether the user is one who accepts and returns the review's reports (the panel and
    the author), whatever state this one is in now."""
    return can_view_panel(user, report.review)


@open_review_only
def can_excuse_reports_in(user: User, report: ReportRequest) -> bool:
    """Whether the user is one who excuses agencies from the review (the board manager),
    whatever state this report is in now."""
    return holds(user, "reviews.manage_panel", report.review)
