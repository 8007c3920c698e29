import pytest

from publication.builders import publication_plan_build
from publication.models import PublicationPlan
from reviews.builders import Built, cast_create, review_at
from reviews.models import Action
from reviews.services.actions import action_progress
from reviews.services.closing import review_sign_off
from tests.factories import AgencyFactory

# Every stage a review is built at for the markers: reviews/builders.py's stages, and closed.
STAGES = (
    "referral",
    "decided",
    "convened",
    "agency_reports",
    "overview",
    "action_plan",
    "publication",
    "closed",
)
DONE = (Action.Status.COMPLETE, "Checks run weekly.", "Audit of March: 40 checks, all on time.")


@pytest.fixture
def agencies():
    return [AgencyFactory(name="Northshire Police"), AgencyFactory(name="Northshire Health")]


@pytest.fixture
def cast(agencies):
    return cast_create(agencies=agencies)


def build_at(stage: str, cast, agencies) -> Built:
    """A review built through the services to ``stage``; "closed" is signed off at
    publication, its one action complete with evidence and the chair's approved plan not to
    publish it."""
    to = "publication" if stage == "closed" else stage
    built = review_at(to, cast=cast, agencies_in_scope=agencies)
    if stage == "closed":
        return _closed(built)
    return built


def _closed(built: Built) -> Built:
    cast = built.cast
    status, note, evidence = DONE
    for action in built.actions:
        action_progress(
            action=action, actor=cast.manager, status=status, note=note, evidence=evidence
        )
    publication_plan_build(
        built, form=PublicationPlan.Form.NONE, rationale="Shared in briefings.", approved=True
    )
    review_sign_off(review=built.review, actor=cast.manager)
    built.review.refresh_from_db()
    return built
