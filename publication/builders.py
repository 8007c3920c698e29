"""Build stage 7 on a review that ``reviews.builders`` brought to publication: the publication
plan and its publication version (made from the overview text the builder wrote and the panel
agreed) through the real services, approved by the chair if asked."""

from datetime import timedelta

from django.utils import timezone

from publication.checks import proposed_title
from publication.models import PublicationPlan
from publication.services import publication_approve, publication_plan_save
from publication.versions import publication_version_make
from reviews.builders import Built


def publication_plan_build(
    built: Built, *, approved: bool = False, **plan_fields
) -> PublicationPlan:
    """Save the review's publication plan (full report in four weeks unless told otherwise)
    as the board manager, make its publication version (unless the plan is not to publish)
    and approve both as the chair when ``approved``."""
    review, cast = built.review, built.cast
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
