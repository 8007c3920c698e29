"""Reads of reviews, scoped to what the reader may see and tuned in one place."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from agencies.models import Role, User
from reviews.models import (
    Action,
    AuthorAppointment,
    CommentRound,
    Deadline,
    DraftComment,
    Notification,
    OverviewDraft,
    PanelMeeting,
    PanelMember,
    ReportRequest,
    ReportVersion,
    Review,
    StageTransition,
)
from reviews.permissions import can_see_every_deadline, can_view_all_reviews


def review_list_visible_to(*, user: User) -> QuerySet[Review]:
    """Reviews the user may open: all of them for a global viewer, else those granted per object."""
    if not (user.is_authenticated and user.is_active):
        return Review.objects.none()
    if can_view_all_reviews(user):
        reviews = Review.objects.all()
    else:
        reviews = get_objects_for_user(
            user, "reviews.view_review", klass=Review, accept_global_perms=False
        )
    open_deadlines = Deadline.objects.filter(state=Deadline.State.OPEN).order_by("due_on", "id")
    return reviews.select_related("decision").prefetch_related(
        Prefetch("deadlines", queryset=open_deadlines, to_attr="open_deadlines")
    )


def review_list(*, user: User, stage: str = "", framework: str = "") -> QuerySet[Review]:
    """The review list, filtered by stage and review type when given."""
    reviews = review_list_visible_to(user=user)
    if stage:
        reviews = reviews.filter(stage=stage)
    if framework:
        reviews = reviews.filter(framework=framework)
    return reviews.order_by("-referred_on", "-id")


def review_get_for_detail(*, user: User, reference: str) -> Review | None:
    """One review with everything its page shows, or None if the user may not see it."""
    return (
        review_list_visible_to(user=user)
        .select_related(
            "referring_agency",
            "created_by",
            "subject_identity",
            "decision__decided_by",
            "rapid_review__recorded_by",
        )
        .prefetch_related(
            "agencies_involved",
            Prefetch("transitions", queryset=StageTransition.objects.select_related("actor")),
        )
        .filter(reference=reference)
        .first()
    )


def review_get_for_panel(*, user: User, reference: str) -> Review | None:
    """A review with its panel, author, terms and meetings, or None if the user may not see it."""
    return (
        review_list_visible_to(user=user)
        .prefetch_related(
            Prefetch(
                "panel",
                queryset=PanelMember.objects.select_related("person__agency").order_by(
                    "status", "added_at"
                ),
            ),
            Prefetch(
                "author_appointments",
                queryset=AuthorAppointment.objects.select_related("person").filter(
                    ended_at__isnull=True
                ),
                to_attr="current_authors",
            ),
            Prefetch("meetings", queryset=PanelMeeting.objects.prefetch_related("attendees")),
            "terms__agencies_in_scope",
            Prefetch(
                "report_requests",
                queryset=ReportRequest.objects.select_related("agency").order_by("agency__name"),
            ),
        )
        .filter(reference=reference)
        .first()
    )


def panel_candidates(*, review: Review) -> QuerySet[User]:
    """Active people: those of the agencies involved in or in scope for the review first
    (anyone else may sit only as a co-opted member)."""
    agencies = set(review.agencies_involved.values_list("pk", flat=True))
    if hasattr(review, "terms"):
        agencies |= set(review.terms.agencies_in_scope.values_list("pk", flat=True))
    from_involved = ExpressionWrapper(Q(agency__in=agencies), output_field=BooleanField())
    return (
        User.objects.filter(is_active=True)
        .select_related("agency")
        .annotate(from_involved=from_involved)
        .order_by("-from_involved", "agency__name", "last_name", "first_name")
    )


def author_candidates() -> QuerySet[User]:
    """Active independent authors."""
    return User.objects.filter(is_active=True, groups__name=Role.INDEPENDENT_AUTHOR).order_by(
        "last_name", "first_name"
    )


def meeting_attendee_candidates(*, review: Review) -> QuerySet[User]:
    """People who may attend a panel meeting: seated members and the current author."""
    return (
        User.objects.filter(
            Q(panel_seats__review=review, panel_seats__status=PanelMember.Status.SEATED)
            | Q(author_appointments__review=review, author_appointments__ended_at__isnull=True)
        )
        .distinct()
        .order_by("last_name", "first_name")
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
    return review.report_requests.filter(agency_id=user.agency_id, agency__leads_group__user=user)


def deadline_list_for(
    *, user: User, reference: str = "", agency_id: int | None = None, overdue: bool = False
) -> QuerySet[Deadline]:
    """Open deadlines: every one for a board manager; an agency lead's own agency's; none for
    anyone else. Filtered by review, agency and overdue when asked; soonest first."""
    deadlines = Deadline.objects.filter(state=Deadline.State.OPEN).select_related(
        "review", "owner_agency"
    )
    if not can_see_every_deadline(user):
        lead_of = user.agency_id if user.groups.filter(name=Role.AGENCY_LEAD).exists() else None
        if lead_of is None:
            return deadlines.none()
        deadlines = deadlines.filter(owner_agency_id=lead_of)
    if reference:
        deadlines = deadlines.filter(review__reference=reference)
    if agency_id:
        deadlines = deadlines.filter(owner_agency_id=agency_id)
    if overdue:
        deadlines = deadlines.filter(due_on__lt=timezone.localdate())
    return deadlines.order_by("due_on", "id")


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    """How many of the person's notifications are unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


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


def action_list_visible(*, review: Review, agency_id: int | None) -> QuerySet[Action]:
    """The review's actions, by recommendation: all of them, or only one agency's."""
    actions = review.actions.select_related("recommendation", "agency")
    return actions if agency_id is None else actions.filter(agency_id=agency_id)
