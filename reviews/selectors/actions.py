"""Reads of the action plan."""

from django.db.models import QuerySet

from reviews.models import (
    Action,
    Review,
)


def action_list_visible(*, review: Review, agency_id: int | None) -> QuerySet[Action]:
    """The review's actions, by recommendation: all of them, or only one agency's."""
    actions = review.actions.select_related("recommendation", "agency")
    return actions if agency_id is None else actions.filter(agency_id=agency_id)
