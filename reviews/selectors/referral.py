"""Reads of stages 1 and 2: who may be named as the chair who made a decision, and the
referrals being recorded."""

import uuid

from django.db.models import QuerySet

from agencies.models import Role, User
from reviews.models import ReferralDraft, ReferralFamilyMember, Review
from reviews.selectors.handoffs import chairs


def decision_chair_candidates() -> QuerySet[User]:
    """Active chairs, by name: those a board manager may record a decision for. Nobody who is
    also a board manager, so that no one records a decision as their own chair."""
    return (
        chairs()
        .exclude(groups__name=Role.BOARD_MANAGER)
        .order_by("last_name", "first_name", "email")
    )


def referral_draft_get(*, user: User, pk: uuid.UUID) -> ReferralDraft | None:
    """The user's own draft referral, or None (nobody sees another person's draft)."""
    return ReferralDraft.objects.filter(pk=pk, owner=user).first()


def referral_draft_list(*, user: User) -> QuerySet[ReferralDraft]:
    """The user's unfinished referrals, the latest first."""
    return ReferralDraft.objects.filter(owner=user)


def referral_of_draft(*, user: User, pk: uuid.UUID) -> Review | None:
    """The review the user recorded from their draft ``pk``, once it is submitted."""
    return Review.objects.filter(submission=pk, created_by=user).first()


def referral_family_list(*, review: Review) -> QuerySet[ReferralFamilyMember]:
    """The household and significant others the referral named, in the order given."""
    return ReferralFamilyMember.objects.filter(review=review)


def referral_family_not_added(*, review: Review) -> QuerySet[ReferralFamilyMember]:
    """The people the referral named who are not yet in the review's family records."""
    return referral_family_list(review=review).filter(added_to_family_at__isnull=True)
