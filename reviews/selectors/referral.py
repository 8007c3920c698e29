"""Reads of stages 1 and 2: who may be named as the chair who made a decision."""

from django.db.models import QuerySet

from agencies.models import Role, User
from reviews.selectors.handoffs import chairs


def decision_chair_candidates() -> QuerySet[User]:
    """Active chairs, by name: those a board manager may record a decision for. Nobody who is
    also a board manager, so that no one records a decision as their own chair."""
    return (
        chairs()
        .exclude(groups__name=Role.BOARD_MANAGER)
        .order_by("last_name", "first_name", "email")
    )
