"""Reads of the overview report: drafts and comment rounds."""

from django.db.models import Prefetch

from reviews.models import (
    CommentRound,
    DraftComment,
    OverviewDraft,
    ReportRequest,
    Review,
)


def overview_drafts_visible(*, review: Review, panel: bool) -> list[OverviewDraft]:
    """The overview report's drafts, newest first: every one for the panel, only those sent
    for comments for an agency lead."""
    drafts = review.overview_drafts.select_related("uploaded_by")
    if not panel:
        drafts = drafts.filter(rounds__isnull=False).distinct()
    return list(drafts)


def overview_rounds_visible(
    *, review: Review, own_report: ReportRequest | None, panel: bool
) -> list[CommentRound]:
    """The rounds of comments, newest first, with the comments the user may read: all of them
    for the panel, only their own agency's for an agency lead."""
    comments = DraftComment.objects.select_related("agency", "author")
    if not panel:
        comments = comments.filter(agency_id=own_report.agency_id if own_report else None)
    return list(
        review.comment_rounds.select_related("draft", "opened_by", "closed_by").prefetch_related(
            Prefetch("comments", queryset=comments)
        )
    )
