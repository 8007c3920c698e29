"""Interviews with the workers involved, and the check of the notes for factual accuracy."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from agencies.models import User
from agencies.selectors import agency_lead_list
from reviews.models import Deadline, Interview, ReportRequest
from reviews.services.clock import deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.reports import report_check_editable, report_lock
from reviews.services.review import check_not_before, check_not_future, repeated_submission


def _editable(report: ReportRequest) -> None:
    report_check_editable(
        report, message="The interviews of a submitted or accepted report cannot change"
    )


def _save(interview: Interview, actor: User, reason: str) -> Interview:
    interview._history_user, interview._change_reason = actor, reason
    interview.save()
    return interview


@transaction.atomic
def interview_record(
    *,
    report: ReportRequest,
    actor: User,
    worker_role: str,
    worker_name: str,
    held_on: date,
    interviewer: str,
    supporter_attended: bool,
    notes: str,
    submission: uuid.UUID | None = None,
) -> Interview:
    """Record an interview with a worker (once per submission); raises ValidationError."""
    report = report_lock(report)
    if earlier := repeated_submission(Interview, submission):
        return earlier
    _editable(report)
    check_not_future(held_on, field="held_on", label="Date of the interview")
    interview = Interview(
        request=report,
        worker_role=worker_role,
        worker_name=worker_name,
        held_on=held_on,
        interviewer=interviewer,
        supporter_attended=supporter_attended,
        notes=notes,
        created_by=actor,
        submission=submission,
    )
    return _save(interview, actor, "recorded")


@transaction.atomic
def interview_notes_send(
    *, interview: Interview, actor: User, sent_on: date, response_due_on: date
) -> Interview:
    """Record that the notes went to the worker to check, and by when they should answer."""
    _editable(interview.request)
    check_not_future(sent_on, field="sent_on", label="Date the notes were sent")
    check_not_before(
        sent_on,
        interview.held_on,
        field="sent_on",
        message="Date sent must be on or after the interview",
    )
    check_not_before(
        response_due_on,
        sent_on,
        field="response_due_on",
        message="Reply date must be on or after the date sent",
    )
    if interview.response != Interview.Response.PENDING:
        raise ValidationError("The worker has already answered")
    interview.notes_sent_on, interview.response_due_on = sent_on, response_due_on
    _save(interview, actor, "notes sent for accuracy")
    report = interview.request
    deadline_open(
        review=report.review,
        kind=Deadline.Kind.ACCURACY_RESPONSE,
        due_on=response_due_on,
        actor=actor,
        owner_agency=report.agency,
        interview=interview,
    )
    handoff_notify(
        "interview_notes_sent",
        review=report.review,
        actor=actor,
        people=agency_lead_list(agency_ids=[report.agency_id]),
        text=(
            f"interview notes are with a worker of {report.agency} to check: record their "
            f"answer by {response_due_on:%-d %B %Y}"
        ),
        url=reverse("reviews:interview", args=[report.review.reference, report.pk, interview.pk]),
    )
    return interview


@transaction.atomic
def interview_response_record(
    *,
    interview: Interview,
    actor: User,
    response: str,
    response_on: date,
    amendments: str = "",
    agreed_notes: str = "",
) -> Interview:
    """Record the worker's answer; the agreed version is kept beside the original notes."""
    _editable(interview.request)
    if interview.notes_sent_on is None:
        raise ValidationError("Record that the notes were sent to the worker first")
    if interview.response != Interview.Response.PENDING:
        raise ValidationError("The worker's answer has already been recorded")
    check_not_future(response_on, field="response_on", label="Date of the answer")
    check_not_before(
        response_on,
        interview.notes_sent_on,
        field="response_on",
        message="Date must be on or after the notes were sent",
    )
    if response == Interview.Response.AGREED:
        agreed_notes = interview.notes
    elif response == Interview.Response.AMENDMENTS:
        if not amendments.strip():
            raise ValidationError({"amendments": "Enter the amendments the worker asked for"})
        if not agreed_notes.strip():
            raise ValidationError({"agreed_notes": "Enter the notes as amended"})
    elif response == Interview.Response.NO_RESPONSE:
        if interview.response_due_on and response_on < interview.response_due_on:
            raise ValidationError(
                {"response_on": "No response can only be recorded once the reply date has passed"}
            )
        agreed_notes = ""
    else:
        raise ValidationError({"response": "Select the worker's answer"})
    interview.response, interview.response_on = response, response_on
    interview.amendments, interview.agreed_notes = amendments.strip(), agreed_notes.strip()
    _save(interview, actor, interview.get_response_display().lower())
    deadline_close(
        review=interview.request.review,
        kind=Deadline.Kind.ACCURACY_RESPONSE,
        actor=actor,
        state=Deadline.State.MISSED
        if response == Interview.Response.NO_RESPONSE
        else Deadline.State.MET,
        interview=interview,
    )
    return interview
