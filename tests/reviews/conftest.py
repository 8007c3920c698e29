from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.services.panel import terms_save
from reviews.services.reports import reports_request
from tests.factories import AgencyFactory, ReviewFactory, UserFactory


@pytest.fixture
def report(manager):
    """A review at stage 4 whose one agency in scope has a lead (``report.lead``)."""
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set([agency])
    terms_save(
        review=review,
        actor=manager,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        lines_of_enquiry=["What was known?"],
        agencies_in_scope=[agency],
        family_involvement_plan="Write to the family.",
        scoping_meeting_on=None,
    )
    (report,) = reports_request(
        review=review, actor=manager, due_on=timezone.localdate() + timedelta(weeks=6)
    )
    report.lead = lead
    return report
