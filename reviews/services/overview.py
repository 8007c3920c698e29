"""Stage 5: the author's drafts of the overview report, their circulation to the agencies for
comments by a date (a deadline per agency), the recommendations, and the move on to the
action plan once the report is final."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from agencies.selectors import agency_lead_list
from reviews.files import DOCX, document_inspect, document_name, document_quota_check
from reviews.models import (
    CommentRound,
    Deadline,
    DraftComment,
    OverviewAgreement,
    OverviewDraft,
    OverviewVersion,
    Recommendation,
    ReportRequest,
    Review,
    StageTransition,
)
from reviews.selectors.handoffs import (
    board_managers,
    review_agencies_in_scope,
    review_author,
    review_panel_members,
)
from reviews.selectors.overview import comment_round_open_get, overview_agreement_version
from reviews.services.clock import deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.review import (
    check_not_future,
    repeated_submission,
    review_lock,
    stage_move,
    timeline_event_record,
)
from scr.versions import check_unchanged


def _lock(review: Review) -> Review:
    return review_lock(review)


def _check_overview_stage(review: Review) -> None:
    if review.stage != Review.Stage.OVERVIEW:
        raise ValidationError("The overview report can only change at the overview stage")


@transaction.atomic
def overview_draft_upload(
    *, review: Review, actor: User, file: UploadedFile, note: str, word_only: bool = False
) -> OverviewDraft:
    """Keep a new version of the overview report, checked from its content and within the
    quota of drafts (``word_only``: a DOCX, for its text to be imported); raises
    ValidationError."""
    review = _lock(review)
    _check_overview_stage(review)
    kept = review.overview_drafts.aggregate(
        last=Max("number"), count=Count("pk"), total=Sum("size")
    )
    document_quota_check(
        versions=kept["count"], total_bytes=kept["total"] or 0, size=file.size or 0
    )
    content_type, sha256 = document_inspect(file)
    if word_only and content_type != DOCX:
        raise ValidationError({"file": "The selected file must be a Word document (DOCX)"})
    draft = OverviewDraft(
        review=review,
        number=(kept["last"] or 0) + 1,
        display_name=document_name(file.name or "", content_type),
        content_type=content_type,
        size=file.size or 0,
        sha256=sha256,
        note=note.strip(),
        uploaded_by=actor,
    )
    draft.file.save("upload", file, save=False)
    draft._history_user, draft._change_reason = actor, "uploaded"
    draft.save()
    return draft


@transaction.atomic
def comments_request(*, review: Review, actor: User, due_on: date) -> CommentRound:
    """Send the latest draft to every agency in scope for comments by ``due_on``: one deadline
    per agency; raises ValidationError if a round is open, there is no draft or the date has
    passed."""
    review = _lock(review)
    _check_overview_stage(review)
    if comment_round_open_get(review=review):
        raise ValidationError("Close the open round of comments before starting another")
    draft = review.overview_drafts.order_by("-number").first()
    if draft is None:
        raise ValidationError("Upload a draft before sending it for comments")
    if due_on <= timezone.localdate():
        raise ValidationError({"due_on": "Date for comments must be in the future"})
    comment_round = CommentRound(review=review, draft=draft, due_on=due_on, opened_by=actor)
    comment_round._history_user, comment_round._change_reason = actor, "opened"
    comment_round.save()
    for report in review.report_requests.select_related("agency"):
        deadline_open(
            review=review,
            kind=Deadline.Kind.DRAFT_COMMENTS,
            due_on=due_on,
            actor=actor,
            owner_agency=report.agency,
            report=report,
        )
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.OVERVIEW,
        actor=actor,
        summary=f"Draft {draft.number} of the overview report sent to the agencies for "
        f"comments by {due_on:%-d %B %Y}",
    )
    handoff_notify(
        "draft_out_for_comment",
        review=review,
        actor=actor,
        people=[
            *review_panel_members(review=review),
            *agency_lead_list(agency_ids=review_agencies_in_scope(review=review)),
        ],
        text=f"draft {draft.number} of the overview report is out for comment by "
        f"{due_on:%-d %B %Y}",
        url=_overview_url(review),
    )
    return comment_round


def _overview_url(review: Review) -> str:
    return reverse("reviews:overview", args=[review.reference])


@transaction.atomic
def comment_add(
    *,
    comment_round: CommentRound,
    actor: User,
    text: str,
    report: ReportRequest | None,
    submission: uuid.UUID | None = None,
) -> DraftComment:
    """Add a comment to an open round, for ``report``'s agency (which meets its deadline) or,
    without a report, for the panel."""
    _lock(comment_round.review)
    comment_round = CommentRound.objects.select_for_update().get(pk=comment_round.pk)
    if earlier := repeated_submission(DraftComment, submission):
        return earlier
    if not comment_round.is_open:
        raise ValidationError("Comments on this draft are closed")
    if not text.strip():
        raise ValidationError({"text": "Enter your comments"})
    comment = DraftComment(
        round=comment_round,
        agency=report.agency if report else None,
        text=text.strip(),
        author=actor,
        submission=submission,
    )
    comment._history_user, comment._change_reason = actor, "commented"
    comment.save()
    if report:
        deadline_close(
            review=comment_round.review,
            kind=Deadline.Kind.DRAFT_COMMENTS,
            actor=actor,
            report=report,
        )
    review = comment_round.review
    handoff_notify(
        "comment_received",
        review=review,
        actor=actor,
        people=review_author(review=review),
        text=f"a comment on the draft overview report from {comment.agency or 'the panel'}",
        url=_overview_url(review),
    )
    return comment


@transaction.atomic
def comments_close(*, review: Review, actor: User) -> CommentRound:
    """Close the open round: agencies that did not comment miss their deadline if it has
    passed, or are let off (waived) if it is closed early."""
    review = _lock(review)
    comment_round = comment_round_open_get(review=review)
    if comment_round is None:
        raise ValidationError("There is no open round of comments")
    overdue = comment_round.due_on < timezone.localdate()
    for report in review.report_requests.all():
        deadline_close(
            review=review,
            kind=Deadline.Kind.DRAFT_COMMENTS,
            actor=actor,
            state=Deadline.State.MISSED if overdue else Deadline.State.WAIVED,
            report=report,
        )
    comment_round.closed_at, comment_round.closed_by = timezone.now(), actor
    comment_round._history_user, comment_round._change_reason = actor, "closed"
    comment_round.save()
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.OVERVIEW,
        actor=actor,
        summary=f"Comments on draft {comment_round.draft.number} closed",
    )
    handoff_notify(
        "agreement_awaited",
        review=review,
        actor=actor,
        people=[*board_managers(), *review_author(review=review)],
        text="comments on the draft are closed: the overview report awaits agreement",
        url=_overview_url(review),
    )
    return comment_round


@transaction.atomic
def recommendation_add(
    *, review: Review, actor: User, text: str, submission: uuid.UUID | None = None
) -> Recommendation:
    """Add the next numbered recommendation to the overview report (once per submission)."""
    review = _lock(review)
    if earlier := repeated_submission(Recommendation, submission):
        return earlier
    _check_overview_stage(review)
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation"})
    number = (review.recommendations.aggregate(last=Max("number"))["last"] or 0) + 1
    recommendation = Recommendation(
        review=review, number=number, text=text.strip(), created_by=actor, submission=submission
    )
    recommendation._history_user, recommendation._change_reason = actor, "added"
    recommendation.save()
    return recommendation


def _recommendation_lock(recommendation: Recommendation, version: int | None) -> Recommendation:
    """Lock the review and the recommendation; raise ValidationError unless it may still
    change: changed since read at ``version`` (code "conflict"), removed, or agreed."""
    _lock(recommendation.review)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    what = f"Recommendation {recommendation.number}"
    check_unchanged(recommendation, version, what=what)
    if recommendation.review.stage != Review.Stage.OVERVIEW:
        raise ValidationError("Recommendations can only change until the report is agreed")
    if recommendation.is_removed:
        raise ValidationError(f"{what} was removed")
    return recommendation


def _reason(prefix: str, reason: str) -> str:
    return f"{prefix}: {reason.strip()}" if reason.strip() else prefix


@transaction.atomic
def recommendation_correct(
    *,
    recommendation: Recommendation,
    actor: User,
    text: str,
    reason: str = "",
    version: int | None = None,
) -> Recommendation:
    """Correct a recommendation's text until the report is agreed, keeping its number, with
    the reason in its history; raises ValidationError (code "conflict" if it changed since it
    was read at ``version``)."""
    recommendation = _recommendation_lock(recommendation, version)
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation"})
    if text.strip() == recommendation.text:
        raise ValidationError({"text": "Change the recommendation, or cancel"})
    recommendation.text = text.strip()
    recommendation._history_user = actor
    recommendation._change_reason = _reason("corrected", reason)
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_remove(
    *, recommendation: Recommendation, actor: User, reason: str, version: int | None = None
) -> Recommendation:
    """Take a recommendation out of the report until it is agreed, with the reason: its row
    and number stay (shown to the panel as removed) and it never becomes an action; raises
    ValidationError (code "conflict" if it changed since it was read at ``version``)."""
    recommendation = _recommendation_lock(recommendation, version)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the recommendation is removed"})
    recommendation.removed_at, recommendation.removed_by = timezone.now(), actor
    recommendation.removed_reason = reason.strip()
    recommendation._history_user = actor
    recommendation._change_reason = _reason("removed", reason)
    recommendation.save()
    return recommendation


def _agreement_changes(review: Review, seen: str) -> list[str]:
    """What changed in the report since the confirmation page showed ``seen``."""
    seen_draft, _, rest = seen.partition(":")
    seen_recommendations, _, seen_text = rest.partition(":")
    changes = []
    draft = review.overview_drafts.select_related("uploaded_by").first()
    if draft and str(draft.pk) != seen_draft:
        changes.append(f"draft {draft.number} was uploaded by {draft.uploaded_by}")
    pairs = (pair.partition("-") for pair in seen_recommendations.split("."))
    shown = {pk: history_id for pk, _, history_id in pairs}
    for recommendation in review.recommendations.select_related("created_by"):
        latest = recommendation.history.select_related("history_user").first()
        what = f"recommendation {recommendation.number}"
        who = (latest.history_user if latest else None) or "someone else"
        if str(recommendation.pk) not in shown:
            changes.append(f"{what} was added by {recommendation.created_by}")
        elif latest and shown[str(recommendation.pk)] != str(latest.history_id):
            verb = "removed" if recommendation.is_removed else "corrected"
            changes.append(f"{what} was {verb} by {who}")
    text = review.overview_versions.select_related("created_by").order_by("-number").first()
    if text and str(text.pk) != seen_text:
        changes.append(f"version {text.number} of the report text was made by {text.created_by}")
    return changes


def _check_agreement_unchanged(review: Review, seen: str | None) -> None:
    """Raise ValidationError (code "conflict") if the draft or the recommendations changed
    since the confirmation page showed ``seen``; no version (the shell, a task) checks
    nothing."""
    current = overview_agreement_version(review=review)
    if not seen or seen == current:
        return
    changes = _agreement_changes(review, seen) or ["it was changed"]
    raise ValidationError(
        "The overview report changed after you opened this page: %(changes)s. Nothing was "
        "agreed. Check the report below, then confirm again.",
        code="conflict",
        params={"changes": "; ".join(changes), "version": current},
    )


def _agreed_text(review: Review, chosen: OverviewVersion | None) -> OverviewVersion | None:
    """The version of the report's text being agreed: the one chosen (of this review), or the
    latest; none only while the report has no version of its text."""
    if chosen is None:
        return review.overview_versions.order_by("-number").first()
    if chosen.review_id != review.pk:
        raise ValidationError({"text_version": "Select one of this report's versions"})
    return chosen


@transaction.atomic
def overview_finalise(
    *,
    review: Review,
    actor: User,
    meeting_on: date,
    draft: OverviewDraft | None = None,
    text_version: OverviewVersion | None = None,
    meeting_note: str = "",
    uncirculated_reason: str = "",
    version: str | None = None,
) -> OverviewAgreement:
    """Record that the panel agreed ``draft`` (the latest if none), with the report's text as
    ``text_version`` (the latest version if none, once there is one), as the final overview
    report at its meeting on ``meeting_on``, and move to the action plan. Needs a draft, at
    least one recommendation kept, no round of comments still open, and a reason when the
    draft was never sent to the agencies for comments. ``version`` is what the person
    confirmed (``overview_agreement_version``): a draft or recommendation added, corrected or
    removed since is refused (ValidationError, code "conflict"), not agreed."""
    review = _lock(review)
    review.check_transition(Review.Stage.ACTION_PLAN)
    _check_agreement_unchanged(review, version)
    latest = review.overview_drafts.order_by("-number").first()
    if latest is None:
        raise ValidationError("Upload the overview report before agreeing it")
    draft = draft or latest
    if draft.review_id != review.pk:
        raise ValidationError({"draft": "Select one of this review's drafts"})
    text_version = _agreed_text(review, text_version)
    if comment_round_open_get(review=review):
        raise ValidationError("Close the open round of comments before agreeing the report")
    if not review.recommendations.filter(removed_at__isnull=True).exists():
        raise ValidationError("Add the report's recommendations before agreeing it")
    check_not_future(meeting_on, field="meeting_on", label="Date of the panel meeting")
    circulated = draft.rounds.exists()
    reason = "" if circulated else uncirculated_reason.strip()
    if not circulated and not reason:
        raise ValidationError(
            {
                "uncirculated_reason": f"Enter why draft {draft.number} is agreed although it "
                "was never sent to the agencies for comments"
            }
        )
    agreement = OverviewAgreement(
        review=review,
        draft=draft,
        version=text_version,
        meeting_on=meeting_on,
        meeting=review.meetings.filter(held_on=meeting_on).first(),
        meeting_note=meeting_note.strip(),
        uncirculated_reason=reason,
        agreed_by=actor,
    )
    agreement._history_user, agreement._change_reason = actor, "agreed"
    agreement.save()
    stage_move(
        review=review,
        to=Review.Stage.ACTION_PLAN,
        actor=actor,
        summary=f"Overview report agreed (draft {draft.number}"
        + (f", text version {text_version.number}" if text_version else "")
        + f") at the panel meeting on {meeting_on:%-d %B %Y}; the action plan starts",
        reason=f"Draft {draft.number} was never sent for comments: {reason}" if reason else "",
        occurred_on=meeting_on,
    )
    handoff_notify(
        "overview_agreed",
        review=review,
        actor=actor,
        people=[
            *review_author(review=review),
            *review_panel_members(review=review),
            *agency_lead_list(agency_ids=review_agencies_in_scope(review=review)),
        ],
        text="the overview report is agreed: its recommendations become the action plan",
        url=review.get_absolute_url(),
    )
    return agreement
