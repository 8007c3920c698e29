"""Build stage 7 on a review that ``reviews.builders`` brought to publication: the board's
response agreed at a board meeting, the publication plan and its publication version (made
from the overview text the builder wrote and the panel agreed) through the real services,
approved by the chair if asked."""

from datetime import timedelta

from django.utils import timezone

from publication.checks import proposed_title
from publication.models import BoardResponse, PublicationPlan
from publication.responses import board_response_agree, board_response_save
from publication.services import publication_approve, publication_plan_save
from publication.versions import publication_version_make
from reviews.builders import Built

RESPONSE_TEXT = (
    "The board accepts the review's findings and each of its recommendations.\n\n"
    "Every agency has an action for each recommendation, and the board will check their "
    "progress at each meeting until the last action is complete."
)


def board_response_build(built: Built, *, text: str = RESPONSE_TEXT) -> BoardResponse:
    """Draft the board's response as the board manager and record it agreed at yesterday's
    board meeting, unless the review's response is agreed already."""
    review, manager = built.review, built.cast.manager
    response = BoardResponse.objects.filter(review=review).first()
    if response is not None and response.is_agreed:
        return response
    board_response_save(review=review, actor=manager, text=text)
    return board_response_agree(
        review=review,
        actor=manager,
        meeting="Board meeting",
        agreed_on=timezone.localdate() - timedelta(days=1),
    )


def publication_plan_build(
    built: Built, *, approved: bool = False, **plan_fields
) -> PublicationPlan:
    """Record the board's response agreed (``board_response_build``), save the review's
    publication plan (full report in four weeks unless told otherwise) as the board manager,
    make its publication version (unless the plan is not to publish) and approve both as the
    chair when ``approved``."""
    review, cast = built.review, built.cast
    board_response_build(built)
    fields = {
        "form": PublicationPlan.Form.FULL,
        "planned_on": timezone.localdate() + timedelta(weeks=4),
        "rationale": "",
        **plan_fields,
    }
    plan = publication_plan_save(review=review, actor=cast.manager, **fields)
    if plan.form != PublicationPlan.Form.NONE:
        publication_version_make(review=review, actor=cast.manager, title=proposed_title(review))
    if approved:
        plan = publication_approve(review=review, actor=cast.chair)
    review.refresh_from_db()
    return plan
