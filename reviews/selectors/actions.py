"""Reads of the action plan."""

from django.db.models import Max, QuerySet

from agencies.models import User
from reviews.models import (
    Action,
    ActionUpdate,
    Review,
)
from reviews.permissions.panel import can_view_panel


def action_list_visible(*, review: Review, agency_id: int | None) -> QuerySet[Action]:
    """The review's actions, by recommendation: all of them, or only one agency's."""
    actions = review.actions.select_related("recommendation", "agency")
    return actions if agency_id is None else actions.filter(agency_id=agency_id)


def action_get(*, review: Review, pk: int) -> Action | None:
    """One action of the review's plan, with its recommendation and agency."""
    return action_list_visible(review=review, agency_id=None).filter(pk=pk).first()


def action_plan_agency_of(user: User, review: Review) -> int | None:
    """The one agency whose actions the user sees (an agency lead's own), or None for the
    panel and the author, who see every agency's."""
    if can_view_panel(user, review):
        return None
    return user.agency_id


def action_update_list(*, action: Action) -> QuerySet[ActionUpdate]:
    """The action's progress updates, with who wrote each."""
    return action.updates.select_related("author")


def action_plan_version(*, review: Review) -> str:
    """What agreeing the action plan agrees, as the confirmation page carries it: each
    action's id with the id of its latest history row ("actions:7.31,8.35"). An action added,
    or one changed (its target moved, progress recorded), since changes it."""
    latest = (
        Action.history.filter(review_id=review.pk)
        .values("id")
        .annotate(last=Max("history_id"))
        .order_by("id")
    )
    return "actions:" + ",".join(f"{row['id']}.{row['last']}" for row in latest)
