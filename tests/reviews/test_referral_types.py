"""What the threshold decision makes of a review: its type, label, reference and deadlines.

A partnership review (below the threshold) and a single-agency review are not Serious Case
Reviews: they must not carry the SCR's name, its reference or its six-month clock.
"""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from reviews.frameworks import Outcome
from reviews.models import Deadline
from reviews.services.referral import decision_record
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def _decide(review, chair, outcome, *, decided_on=None):
    return decision_record(
        review=review,
        actor=chair,
        answers={c.key: not c.mandatory for c in review.profile.criteria},
        outcome=outcome,
        decided_on=decided_on or timezone.localdate(),
        rationale="A lighter review will bring the learning sooner.",
        national_bodies_told_on=None,
    )


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        (Outcome.PARTNERSHIP_REVIEW, "Partnership review"),
        (Outcome.SINGLE_AGENCY_REVIEW, "Single-agency review"),
    ],
)
def test_a_review_below_the_threshold_is_not_labelled_a_serious_case_review(
    client, manager, chair, outcome, label
):
    review = ReviewFactory(created_by=manager, referred_on=timezone.localdate() - timedelta(3))
    decided_on = timezone.localdate() - timedelta(days=1)
    decision = _decide(review, chair, outcome, decided_on=decided_on)
    review = decision.review
    review.refresh_from_db()

    assert not review.reference.startswith("SCR-")
    client.force_login(manager)
    page = client.get(review.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<span class="govuk-caption-l">{label}' in html
    assert "Serious Case Review" not in html.split("<h1")[0].split("<main")[-1]
    target = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert target.due_on != decided_on + relativedelta(months=6)
