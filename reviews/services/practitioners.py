"""Practitioners' own voice: the author sends a worker interviewed, through their agency's
leads, the passages of the chronology and the draft report that describe their practice, with
a date for comments; the leads record what the worker said, and the author reads it."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from agencies.selectors import agency_lead_list
from reviews.models import (
    ChronologyEntry,
    Deadline,
    Interview,
    PractitionerComment,
    ReportRequest,
    Review,
)
from reviews.selectors.handoffs import review_author
from reviews.services.clock import deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.review import repeated_submission, review_lock
from reviews.workdays import add_working_days

Status = PractitionerComment.Status


def practitioner_comments_due_default() -> date:
    """The date for comments a worker is given unless the author sets another."""
    return add_working_days(
        timezone.localdate(),
        settings.SCR_PRACTITIONER_COMMENT_WORKING_DAYS,
        settings.SCR_JURISDICTION,
    )


def _save(comment: PractitionerComment, actor: User, reason: str) -> PractitionerComment:
    comment._history_user, comment._change_reason = actor, reason
    comment.save()
    return comment


@transaction.atomic
def practitioner_comments_send(
    *,
    interview: Interview,
    actor: User,
    entries: list[ChronologyEntry],
    extract: str,
    due_on: date,
    submission: uuid.UUID | None = None,
) -> PractitionerComment:
    """Send a worker interviewed, through their agency's leads, the entries of their agency's
    chronology and the passages of the current version of the report that describe their
    practice, with a date for comments (once per submission): opens the agency's deadline and
    tells its leads. Raises ValidationError."""
    review = review_lock(interview.request.review_id)
    if earlier := repeated_submission(PractitionerComment, submission):
        return earlier
    if review.stage != Review.Stage.OVERVIEW:
        raise ValidationError("Passages can only be sent while the overview report is written")
    report = interview.request
    if report.review_id != review.pk or report.status != ReportRequest.Status.ACCEPTED:
        raise ValidationError("Choose a worker interviewed for an accepted management report")
    if any(entry.request_id != report.pk for entry in entries):
        raise ValidationError(
            {"entries": "Choose entries from the chronology of the worker's own agency"}
        )
    extract = extract.strip()
    if not entries and not extract:
        raise ValidationError(
            "Choose the chronology entries or quote the passages of the report that describe "
            "the worker's practice"
        )
    if due_on <= timezone.localdate():
        raise ValidationError({"due_on": "Date for comments must be in the future"})
    version = review.overview_versions.order_by("-number").first() if extract else None
    comment = _save(
        PractitionerComment(
            interview=interview,
            version=version,
            extract=extract,
            due_on=due_on,
            sent_by=actor,
            submission=submission,
        ),
        actor,
        "sent",
    )
    comment.entries.set(entries)
    deadline_open(
        review=review,
        kind=Deadline.Kind.PRACTITIONER_COMMENTS,
        due_on=due_on,
        actor=actor,
        owner_agency=report.agency,
        key=comment.deadline_key,
    )
    handoff_notify(
        "practitioner_comments_sent",
        review=review,
        actor=actor,
        people=agency_lead_list(agency_ids=[report.agency_id]),
        text=(
            f"passages about the practice of {interview.worker_role} are for them to comment "
            f"on: pass them on and record their comments by {due_on:%-d %B %Y}"
        ),
        url=comment.get_absolute_url(),
    )
    return comment


_ENDS: dict[str, tuple[str, str]] = {
    Status.RECEIVED: (Deadline.State.MET, "comments received"),
    Status.DECLINED: (Deadline.State.MET, "chose not to comment"),
    Status.NO_RESPONSE: (Deadline.State.MISSED, "no comments by the date"),
}


@transaction.atomic
def practitioner_comments_record(
    *, comment: PractitionerComment, actor: User, outcome: str, comments: str = ""
) -> PractitionerComment:
    """Record the worker's answer: their comments, that they chose not to comment (with
    anything they said), or, once the date has passed, that none came. Closes the deadline
    (met, or missed for none) and tells the author. Raises ValidationError."""
    review = review_lock(comment.interview.request.review_id)
    comment = PractitionerComment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
    if outcome not in _ENDS:
        raise ValidationError({"outcome": "Select what the worker said"})
    comment.check_transition(outcome)
    comments = comments.strip()
    if outcome == Status.RECEIVED and not comments:
        raise ValidationError({"comments": "Enter the worker's comments"})
    if outcome == Status.NO_RESPONSE:
        if comment.due_on >= timezone.localdate():
            raise ValidationError(
                {"outcome": "No comments can only be recorded once the date has passed"}
            )
        comments = ""
    state, reason = _ENDS[outcome]
    comment.status, comment.comments = outcome, comments
    comment.recorded_by, comment.recorded_at = actor, timezone.now()
    _save(comment, actor, reason)
    deadline_close(
        review=review,
        kind=Deadline.Kind.PRACTITIONER_COMMENTS,
        actor=actor,
        state=state,
        key=comment.deadline_key,
    )
    comment = PractitionerComment.objects.select_related(
        "interview__request__review", "interview__request__agency"
    ).get(pk=comment.pk)
    handoff_notify(
        "practitioner_comments_recorded",
        review=review,
        actor=actor,
        people=review_author(review=review),
        text=f"{comment.interview.worker_role} of {comment.agency}: {reason}",
        url=comment.get_absolute_url(),
    )
    return comment


@transaction.atomic
def practitioner_comments_no_response(
    *, comment: PractitionerComment, actor: User
) -> PractitionerComment:
    """Record that no comments came by the date (the author's or a lead's button)."""
    return practitioner_comments_record(comment=comment, actor=actor, outcome=Status.NO_RESPONSE)
