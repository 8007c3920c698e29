"""The builders take a review to each stage through the real services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from publication.builders import publication_plan_build
from reviews.builders import STAGES, Cast, review_advance, review_at
from reviews.models import Deadline, ReportRequest, Review
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

REVIEW_STAGE = {
    "referral": Review.Stage.REFERRAL,
    "decided": Review.Stage.PANEL,
    "convened": Review.Stage.PANEL,
    "agency_reports": Review.Stage.AGENCY_REPORTS,
    "overview": Review.Stage.OVERVIEW,
    "action_plan": Review.Stage.ACTION_PLAN,
    "publication": Review.Stage.PUBLICATION,
}


@pytest.fixture
def cast(manager, chair):
    agencies = [AgencyFactory(), AgencyFactory()]
    leads = {}
    for agency in agencies:
        leads[agency.pk] = UserFactory(agency=agency)
        person_roles_set(person=leads[agency.pk], roles=[Role.AGENCY_LEAD], agency=agency)
    return Cast(
        manager=manager,
        chair=chair,
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR),
        panel=[UserFactory(role=Role.PANEL_MEMBER, agency=agencies[0])],
        leads=leads,
    ), agencies


@pytest.mark.parametrize("stage", STAGES)
def test_a_review_reaches_each_stage_with_its_timeline(cast, stage):
    cast, agencies = cast
    built = review_at(stage, cast=cast, agencies_in_scope=agencies)
    assert built.review.stage == REVIEW_STAGE[stage]
    assert built.review.transitions.first().summary.startswith("Referral recorded")
    assert built.review.history.first().history_user is not None
    if STAGES.index(stage) >= STAGES.index("convened"):
        assert cast.leads[agencies[0].pk].has_perm("reviews.view_review", built.review)
        assert cast.author.has_perm("reviews.view_panel", built.review)
    if stage == "publication":
        assert publication_plan_build(built, approved=True).is_approved
        assert built.review.deadlines.filter(kind=Deadline.Kind.ACTION).count() == 1


def test_reports_go_as_far_as_asked_and_a_continued_build_finishes_them(cast):
    cast, (first, second) = cast
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[first, second],
        reports={first: "submitted"},
    )
    assert built.report_of(first).status == ReportRequest.Status.SUBMITTED
    assert built.report_of(second).status == ReportRequest.Status.REQUESTED
    review_advance(
        built, "overview", drafts=1, comments_due_on=timezone.localdate() + timedelta(days=14)
    )
    assert built.review.stage == Review.Stage.OVERVIEW
    assert {r.status for r in built.reports} == {ReportRequest.Status.ACCEPTED}
    assert built.comment_round.draft == built.drafts[0]
    assert built.reports[0].decided_by == cast.author
