"""Who may see a review at all, and the rules every stage builds on."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from agencies.models import User
from agencies.permissions import object_permissions, permission_memo, permitted
from reviews.models import Review
from reviews.selectors.reports import report_list_for_agency_lead

WritePredicate = Callable[..., bool]


def review_of(obj: Any) -> Review | None:
    """The review an object of a review belongs to (the review itself; None for none)."""
    if obj is None or isinstance(obj, Review):
        return obj
    return obj.review


def open_review_only(predicate: WritePredicate) -> WritePredicate:
    """Make a predicate of a change answer False once the review (the object's review) is
    closed, so a closed review's pages offer nothing to change and its doors refuse every
    change (403). Every predicate of a write in a review wears it; the services refuse too
    (``reviews.services.review.review_lock``)."""

    @wraps(predicate)
    def open_only(user: User, obj: Any = None, *args: Any, **kwargs: Any) -> bool:
        review = review_of(obj)
        if review is not None and review.stage == Review.Stage.CLOSED:
            return False
        return predicate(user, obj, *args, **kwargs)

    open_only.open_review_only = True  # type: ignore[attr-defined]
    return open_only


def holds(user: User, perm: str, obj=None) -> bool:
    """Whether an active user holds the permission globally or on the object."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm(perm) or (obj is not None and object_permissions(user).has_perm(perm, obj))


def can_view_all_reviews(user: User) -> bool:
    """Board managers and chairs see every review."""
    return holds(user, "reviews.view_review")


def can_view_review(user: User, review: Review) -> bool:
    """Whether the user may open the review at all."""
    return holds(user, "reviews.view_review", review)


def can_view_subject_identity(user: User, review: Review) -> bool:
    """The subject's real identity is for board managers and chairs only."""
    return holds(user, "reviews.view_subject_identity", review)


def can_view_every_subject_identity(user: User) -> bool:
    """Whether the user may see every review's subject identity (a global permission), so
    may search all of them by the subject's name."""
    return holds(user, "reviews.view_subject_identity")


def leads_own_agency(user: User) -> bool:
    """Whether the user is in their own agency's leads group (asked once a request)."""
    if not (user.is_authenticated and user.is_active):
        return False
    groups = user.groups.filter(agency__pk=user.agency_id)
    return permission_memo(
        ("leads_own_agency", user.pk),
        lambda: permitted(groups, allowed=user.agency_id is not None).exists(),
    )


def is_agency_lead_of(user: User, agency_id: int) -> bool:
    """Whether the user leads for that agency (its leads group, and it is their agency)."""
    return user.agency_id == agency_id and leads_own_agency(user)


def lead_agencies_in(user: User, review: Review) -> frozenset[int]:
    """The agencies the user leads for that have a management report in the review (asked
    once a request)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    return permission_memo(
        ("lead_agencies_in", user.pk, review.pk),
        lambda: frozenset(
            report_list_for_agency_lead(user=user, review=review).values_list(
                "agency_id", flat=True
            )
        ),
    )


def is_agency_lead_in(user: User, review: Review) -> bool:
    """Whether the user leads for an agency that has a management report in the review."""
    return bool(lead_agencies_in(user, review))


def can_view_publication(user: User, review: Review) -> bool:
    """The panel, the author, the board manager and the chair see stage 7 (publication) once
    the review has reached it; agency leads do not."""
    return review.stage in (Review.Stage.PUBLICATION, Review.Stage.CLOSED) and holds(
        user, "reviews.view_panel", review
    )
