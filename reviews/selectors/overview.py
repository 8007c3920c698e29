"""Reads of the overview report: drafts and comment rounds."""

from django.db.models import Prefetch

from agencies.models import Agency
from reviews.models import (
    CommentRound,
    DraftComment,
    OverviewDraft,
    Recommendation,
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
        own = own_report.agency_id if own_report else None
        comments = comments.filter(agency_id=own) if own else comments.none()
    return list(
        review.comment_rounds.select_related("draft", "opened_by", "closed_by").prefetch_related(
            Prefetch("comments", queryset=comments)
        )
    )


def comment_round_open_get(*, review: Review) -> CommentRound | None:
    """The review's comment round still open, if there is one."""
    return review.comment_rounds.select_related("draft").filter(closed_at__isnull=True).first()


def overview_draft_get(*, review: Review, number: int, panel: bool) -> OverviewDraft | None:
    """One draft of the overview report, if the reader may see it (see
    ``overview_drafts_visible``)."""
    drafts = overview_drafts_visible(review=review, panel=panel)
    return next((draft for draft in drafts if draft.number == number), None)


def recommendation_list(*, review: Review) -> list[Recommendation]:
    """The review's recommendations, by number."""
    return list(review.recommendations.all())


def overview_draft_latest(*, review: Review) -> OverviewDraft | None:
    """The overview report's latest draft, with who uploaded it: the one agreeing agrees."""
    return review.overview_drafts.select_related("uploaded_by").first()


def overview_agreement_version(*, review: Review) -> str:
    """What agreeing the overview report agrees, as the confirmation page carries it: the
    latest draft's id and the recommendations' ids ("12:3.4.5"). A draft uploaded or a
    recommendation added since changes it."""
    draft = review.overview_drafts.values_list("pk", flat=True).first()
    recommendations = review.recommendations.values_list("pk", flat=True)
    return f"{draft or 0}:{'.'.join(str(pk) for pk in recommendations)}"


def comment_round_agencies(*, comment_round: CommentRound) -> tuple[list[Agency], list[Agency]]:
    """The agencies asked to comment on the round's draft: those that have commented, and
    those that have not."""
    asked = [
        report.agency
        for report in comment_round.review.report_requests.select_related("agency").order_by(
            "agency__name"
        )
    ]
    commented = set(
        comment_round.comments.filter(agency__isnull=False).values_list("agency_id", flat=True)
    )
    return (
        [agency for agency in asked if agency.pk in commented],
        [agency for agency in asked if agency.pk not in commented],
    )
