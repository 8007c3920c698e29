"""Stage 4: agency management reports, from the request to acceptance, and the move on to the
overview report once every agency in scope is accepted or excused."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from agencies.selectors import agency_lead_list
from outbox.models import Email
from outbox.services import email_queue
from reviews.emails import REPORT_REQUESTED
from reviews.files import document_inspect, document_name, document_quota_check
from reviews.models import Deadline, ReportRequest, ReportVersion, Review, StageTransition
from reviews.selectors.handoffs import (
    board_managers,
    review_author,
    review_panel_members,
)
from reviews.services.clock import deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.review import review_lock, stage_move, timeline_event_record


def report_check_editable(report: ReportRequest, *, message: str) -> None:
    """Raise ValidationError with ``message`` unless the agency may still change the report,
    its chronology and its interviews; a closed review refuses first (the check takes the
    review's lock, as every write in a review does)."""
    review_lock(report.review_id)
    if not report.is_editable:
        raise ValidationError(message)


def report_lock(report: ReportRequest) -> ReportRequest:
    """The report read afresh with its row locked until the transaction ends, after its
    review's (``review_lock``: refused once the review is closed)."""
    review_lock(report.review_id)
    return (
        ReportRequest.objects.select_for_update(of=("self",))
        .select_related("review", "agency")
        .get(pk=report.pk)
    )


def _save(report: ReportRequest, actor: User, reason: str) -> None:
    report._history_user, report._change_reason = actor, reason
    report.save()


@transaction.atomic
def reports_request(*, review: Review, actor: User, due_on: date) -> list[ReportRequest]:
    """Ask every agency in scope for its management report and move the review to stage 4;
    raises ValidationError if the terms of reference name no agency or the date has passed."""
    review = review_lock(review)
    review.check_transition(Review.Stage.AGENCY_REPORTS)
    terms = getattr(review, "terms", None)
    agencies = list(terms.agencies_in_scope.all()) if terms else []
    if not agencies:
        raise ValidationError("Set the terms of reference, with the agencies in scope, first.")
    if due_on <= timezone.localdate():
        raise ValidationError({"due_on": "Due date must be in the future"})
    requests = []
    for agency in agencies:
        report = ReportRequest(review=review, agency=agency, due_on=due_on, requested_by=actor)
        _save(report, actor, "requested")
        deadline_open(
            review=review,
            kind=Deadline.Kind.AGENCY_REPORT,
            due_on=due_on,
            actor=actor,
            owner_agency=agency,
            report=report,
        )
        requests.append(report)
    stage_move(
        review=review,
        to=Review.Stage.AGENCY_REPORTS,
        actor=actor,
        summary=f"Management reports requested from {len(agencies)} agencies, due "
        f"{due_on:%-d %B %Y}",
    )
    report_requests_notify(reports=requests)
    return requests


@transaction.atomic
def report_records_secure(*, report: ReportRequest, actor: User, note: str) -> ReportRequest:
    """Record that the agency's case records are secured against loss: who, when, which."""
    report = report_lock(report)
    if report.records_secured:
        raise ValidationError("The records have already been confirmed as secured")
    report.records_secured_at, report.records_secured_by = timezone.now(), actor
    report.records_secured_note = note
    _save(report, actor, "records secured")
    return report


@transaction.atomic
def report_upload(*, report: ReportRequest, actor: User, file: UploadedFile) -> ReportVersion:
    """Keep a new version of the report, checked from its content and within the report's
    quota; raises ValidationError."""
    report = report_lock(report)
    report_check_editable(report, message="A submitted or accepted report cannot be changed")
    kept = report.versions.aggregate(last=Max("number"), count=Count("pk"), total=Sum("size"))
    document_quota_check(
        versions=kept["count"], total_bytes=kept["total"] or 0, size=file.size or 0
    )
    content_type, sha256 = document_inspect(file)
    version = ReportVersion(
        request=report,
        number=(kept["last"] or 0) + 1,
        display_name=document_name(file.name or "", content_type),
        content_type=content_type,
        size=file.size or 0,
        sha256=sha256,
        uploaded_by=actor,
    )
    file.seek(0)
    version.file.save("upload", file, save=False)
    version._history_user, version._change_reason = actor, "uploaded"
    version.save()
    return version


@transaction.atomic
def report_submit(*, report: ReportRequest, actor: User) -> ReportRequest:
    """Submit the latest version to the panel; needs the records secured and a file."""
    report = report_lock(report)
    report.check_transition(ReportRequest.Status.SUBMITTED)
    if not report.records_secured:
        raise ValidationError("Confirm that the agency's records are secured before submitting")
    latest = report.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError("Upload the report before submitting it")
    latest.submitted_at = timezone.now()
    latest._history_user, latest._change_reason = actor, "submitted"
    latest.save()
    report.status = ReportRequest.Status.SUBMITTED
    report.submitted_at, report.submitted_by = latest.submitted_at, actor
    _save(report, actor, "submitted")
    deadline_close(
        review=report.review, kind=Deadline.Kind.AGENCY_REPORT, actor=actor, report=report
    )
    review = report.review
    _report_event(report, actor, "submitted")
    handoff_notify(
        "report_submitted",
        review=review,
        actor=actor,
        people=[*review_panel_members(review=review), *review_author(review=review)],
        text=f"the management report from {report.agency} is submitted: accept or return it",
        url=_report_url(report),
    )
    return report


def _report_url(report: ReportRequest) -> str:
    return reverse("reviews:report", args=[report.review.reference, report.pk])


def _report_event(report: ReportRequest, actor: User, what: str, reason: str = "") -> None:
    """A line on the review's timeline about one agency's report: its leads and the panel
    see it, other agencies' leads do not."""
    timeline_event_record(
        review=report.review,
        kind=StageTransition.Kind.REPORTS,
        actor=actor,
        summary=f"{report.agency}'s management report {what}",
        reason=reason,
        agency=report.agency,
    )


def _move_on_when_all_done(*, review: Review, actor: User) -> None:
    open_reports = ReportRequest.objects.filter(review=review).exclude(
        status__in=[ReportRequest.Status.ACCEPTED, ReportRequest.Status.EXCUSED]
    )
    if not open_reports.exists():
        review = review_lock(review)
        stage_move(
            review=review,
            to=Review.Stage.OVERVIEW,
            actor=actor,
            summary="Every management report is accepted or excused",
        )
        handoff_notify(
            "overview_can_start",
            review=review,
            actor=actor,
            people=[*review_author(review=review), *board_managers()],
            text="every management report is in: the overview report can start",
            url=reverse("reviews:overview", args=[review.reference]),
        )


def _check_not_stale(report: ReportRequest, to: str) -> None:
    """Raise ValidationError (code "stale") saying what happened when someone else has decided
    the report since the page was opened."""
    if to in report.TRANSITIONS[report.status]:
        return
    if report.decided_at is None:
        raise ValidationError(
            f"This report is {report.get_status_display().lower()}, not waiting for a "
            "decision: nothing was changed.",
            code="stale",
        )
    raise ValidationError(
        f"This report has already been {report.get_status_display().lower()} by "
        f"{report.decided_by} on {report.decided_at:%-d %B %Y}: nothing was changed.",
        code="stale",
    )


def _decide(*, report: ReportRequest, actor: User, to: str, comments: str) -> ReportRequest:
    report = report_lock(report)
    _check_not_stale(report, to)
    report.status = to
    report.decided_at, report.decided_by, report.comments = timezone.now(), actor, comments
    _save(report, actor, f"{report.get_status_display().lower()}: {comments}".strip(": "))
    _report_event(report, actor, report.get_status_display().lower(), reason=comments)
    if to == ReportRequest.Status.EXCUSED:
        deadline_close(
            review=report.review,
            kind=Deadline.Kind.AGENCY_REPORT,
            actor=actor,
            state=Deadline.State.WAIVED,
            report=report,
        )
    if to in _TELL_LEADS:
        event, text = _TELL_LEADS[to]
        handoff_notify(
            event,
            review=report.review,
            actor=actor,
            people=agency_lead_list(agency_ids=[report.agency_id]),
            text=text,
            url=_report_url(report),
        )
    if to != ReportRequest.Status.RETURNED:
        _move_on_when_all_done(review=report.review, actor=actor)
    return report


_TELL_LEADS: dict[str, tuple[str, str]] = {
    ReportRequest.Status.RETURNED: (
        "report_returned",
        "your management report is returned with the panel's comments: revise and resubmit it",
    ),
    ReportRequest.Status.ACCEPTED: ("report_accepted", "your management report is accepted"),
}


@transaction.atomic
def report_accept(*, report: ReportRequest, actor: User, comments: str = "") -> ReportRequest:
    """The panel accepts the submitted report; the last one accepted moves the review on."""
    return _decide(report=report, actor=actor, to=ReportRequest.Status.ACCEPTED, comments=comments)


@transaction.atomic
def report_return(*, report: ReportRequest, actor: User, comments: str) -> ReportRequest:
    """The panel returns the submitted report for revision, saying what to change."""
    if not comments.strip():
        raise ValidationError({"comments": "Enter what the agency should change"})
    return _decide(report=report, actor=actor, to=ReportRequest.Status.RETURNED, comments=comments)


@transaction.atomic
def report_excuse(*, report: ReportRequest, actor: User, comments: str) -> ReportRequest:
    """The board manager excuses an agency from reporting, with the reason."""
    if not comments.strip():
        raise ValidationError({"comments": "Enter why the agency is excused"})
    return _decide(report=report, actor=actor, to=ReportRequest.Status.EXCUSED, comments=comments)


def report_due_default(*, review: Review) -> date:
    """The report due date the review type's profile suggests."""
    return timezone.localdate() + timedelta(weeks=review.type_profile.report_due_weeks)


def report_requests_notify(*, reports: list[ReportRequest]) -> int:
    """Queue each request's email to every active lead of its agency who has not had it;
    returns how many were queued. Call inside a transaction."""
    leads: dict[int, list[User]] = {}
    for lead in agency_lead_list(agency_ids=[report.agency_id for report in reports]):
        leads.setdefault(lead.agency_id or 0, []).append(lead)
    had = set(
        Email.objects.filter(
            kind=REPORT_REQUESTED, key__in=[f"report:{report.pk}" for report in reports]
        ).values_list("recipient_id", "key")
    )
    queued = 0
    for report in reports:
        for lead in leads.get(report.agency_id, []):
            if (lead.pk, f"report:{report.pk}") in had:
                continue
            email = email_queue(
                kind=REPORT_REQUESTED,
                recipient=lead,
                context={"report": report.pk},
                key=f"report:{report.pk}",
            )
            if email is not None:
                handoff_notify(
                    "report_requested",
                    review=report.review,
                    actor=None,
                    people=[lead],
                    text=f"a management report is requested from {report.agency}",
                    url=_report_url(report),
                    email=False,
                )
                queued += 1
    return queued


@transaction.atomic
def report_requests_catch_up() -> int:
    """Email every report still requested to the leads its agency has gained since (invited,
    or given the role); the outbox sweep runs this, leaving out closed (withdrawn) reviews.
    Returns how many emails were queued."""
    waiting = ReportRequest.objects.filter(status=ReportRequest.Status.REQUESTED).exclude(
        review__stage=Review.Stage.CLOSED
    )
    return report_requests_notify(reports=list(waiting))
