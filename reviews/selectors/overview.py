"""Reads of the overview report: drafts, comment rounds, recommendations and the agreement."""

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, Subquery

from agencies.models import Agency
from reviews.models import (
    CommentRound,
    DraftComment,
    OverviewAgreement,
    OverviewDraft,
    OverviewVersion,
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


def recommendation_list(*, review: Review, with_removed: bool) -> list[Recommendation]:
    """The review's recommendations, by number: with those removed (for the panel, who see
    them marked as removed), or only those kept."""
    recommendations = review.recommendations.select_related("removed_by")
    if not with_removed:
        recommendations = recommendations.filter(removed_at__isnull=True)
    return list(recommendations)


def recommendation_get(*, review: Review, number: int) -> Recommendation | None:
    """One of the review's recommendations, by its number."""
    return review.recommendations.filter(number=number).first()


def overview_drafts_for_agreement(*, review: Review) -> QuerySet[OverviewDraft]:
    """The drafts the panel may agree, newest first, each marked ``circulated`` if it was ever
    sent to the agencies for comments."""
    sent = CommentRound.objects.filter(draft=OuterRef("pk"))
    return review.overview_drafts.annotate(circulated=Exists(sent))


def overview_agreement_get(*, review: Review) -> OverviewAgreement | None:
    """The agreement of the overview report that holds (the latest), if it was agreed."""
    return (
        review.overview_agreements.select_related("draft", "version", "agreed_by", "meeting")
        .order_by("-agreed_at", "-id")
        .first()
    )


def agreed_overview_version(review: Review) -> OverviewVersion | None:
    """The report's text as the panel agreed it: the version bound to the agreement that holds
    (the latest), with its sections; None if the report is not agreed, or was agreed before it
    had a version."""
    latest = review.overview_agreements.order_by("-agreed_at", "-id").values("version_id")[:1]
    return (
        OverviewVersion.objects.filter(pk=Subquery(latest))
        .select_related("created_by", "draft")
        .prefetch_related("sections")
        .first()
    )


def overview_draft_latest(*, review: Review) -> OverviewDraft | None:
    """The overview report's latest draft, with who uploaded it: the one agreeing agrees."""
    return review.overview_drafts.select_related("uploaded_by").first()


def overview_agreement_version(*, review: Review) -> str:
    """What agreeing the overview report agrees, as the confirmation page carries it: the
    latest draft's id, each recommendation's id with the id of its latest history row, and the
    latest version of the report's text ("12:3-40.4-41:7"). A draft uploaded, a recommendation
    added, corrected or removed, or a version of the text made since, changes it."""
    draft = review.overview_drafts.values_list("pk", flat=True).first()
    text = review.overview_versions.order_by("-number").values_list("pk", flat=True).first()
    latest = (
        Recommendation.history.filter(review_id=review.pk)
        .values("id")
        .annotate(last=Max("history_id"))
        .order_by("id")
    )
    recommendations = ".".join(f"{row['id']}-{row['last']}" for row in latest)
    return f"{draft or 0}:{recommendations}:{text or 0}"


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
