"""Reads of the panel, its candidates and its meetings."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet

from agencies.models import Role, User
from reviews.models import (
    AuthorAppointment,
    PanelMeeting,
    PanelMember,
    ReportRequest,
    Review,
)
from reviews.selectors.review import review_list_visible_to


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


def panel_member_seated_get(*, review: Review, pk: int) -> PanelMember | None:
    """One member seated on the review's panel now."""
    return (
        review.panel.select_related("person")
        .filter(pk=pk, status=PanelMember.Status.SEATED)
        .first()
    )
