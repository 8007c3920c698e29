"""Reads of a review's family records."""

from django.db.models import QuerySet

from families.models import FamilyMember
from reviews.models import Review


def family_member_list(*, review: Review) -> QuerySet[FamilyMember]:
    """The review's family members and significant others, by name."""
    return FamilyMember.objects.filter(review=review).order_by("name", "id")


def family_member_get(*, review: Review, pk: int) -> FamilyMember | None:
    """One family member of the review; None if there is none with that id in it."""
    return FamilyMember.objects.filter(review=review, pk=pk).first()
