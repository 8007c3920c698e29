"""A review at publication whose overview report's text is agreed, with a map, a worker
interviewed, the board's response agreed and a plan: what the publication version's tests build
on."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from publication.models import PseudonymEntry
from publication.services import publication_plan_save
from reviews.models import OverviewSection, Review
from tests.factories import (
    AgencyFactory,
    BoardResponseFactory,
    InterviewFactory,
    OverviewAgreementFactory,
    OverviewVersionFactory,
    PseudonymEntryFactory,
    ReportRequestFactory,
    ReviewFactory,
)

Key = OverviewSection.Key
WORKER = "Jo Pike"
SECTIONS = {
    Key.EXECUTIVE_SUMMARY: (
        "<p>Leo Farrant lived with his mother at 12 Mill Lane. His health visitor saw him in "
        "March and wrote that all was well.</p>"
    ),
    Key.CASE_SUMMARY: "<p>Leo's school, <em>Canary Primary</em>, saw bruises; Jo Pike visited.</p>",
    Key.LESSONS: "<ul><li>Agencies must share what they know about Leo &amp; others.</li></ul>",
}


@pytest.fixture
def agreed(manager):
    """Returns a namespace: review, overview (the agreed text), entries (the map), police
    (the agency whose worker was interviewed)."""
    review = ReviewFactory(
        decided=True,
        stage=Review.Stage.PUBLICATION,
        created_by=manager,
        referrer_name="Duty desk",
        subject_reference="Child A",
    )
    overview = OverviewVersionFactory(review=review, sections=SECTIONS)
    OverviewAgreementFactory(draft__review=review, version=overview)
    entries = [
        PseudonymEntryFactory(
            review=review,
            real_value="Leo James Farrant",
            replacement="Child A",
            kind=PseudonymEntry.Kind.PERSON,
        ),
        PseudonymEntryFactory(
            review=review,
            real_value="12 Mill Lane",
            replacement="the family's home",
            kind=PseudonymEntry.Kind.PLACE,
        ),
    ]
    police = AgencyFactory(name="Northshire Police")
    InterviewFactory(request=ReportRequestFactory(review=review, agency=police), worker_name=WORKER)
    # Published with the report: publishing needs it agreed.
    BoardResponseFactory(review=review, agreed=True, updated_by=manager)
    return SimpleNamespace(review=review, overview=overview, entries=entries, police=police)


def plan_save(review, manager, *, form="full", days=30, rationale=""):
    """The board manager's plan: published in ``days`` days."""
    return publication_plan_save(
        review=review,
        actor=manager,
        form=form,
        planned_on=timezone.localdate() + timedelta(days=days),
        rationale=rationale,
    )
