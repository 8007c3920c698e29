import pytest

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.builders import Cast, review_at
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def report(manager, chair):
    """A review at stage 4 whose one agency in scope has a lead (``report.lead``)."""
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    cast = Cast(manager=manager, chair=chair, leads={agency.pk: lead})
    (report,) = review_at(
        "agency_reports", cast=cast, agencies_in_scope=[agency], terms=PERIOD_2025
    ).reports
    report.lead = lead
    return report
