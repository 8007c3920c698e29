"""The review's timeline: what happened and when, filtered by kind, access changes folded, and
only the milestones and their own agency's events for an agency lead."""

import pytest

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.builders import Cast, review_at
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(manager, chair):
    """A review at the overview stage with two agencies in scope, each with a lead, a seated
    panel member and an author."""
    police, school = AgencyFactory(name="Northshire Police"), AgencyFactory(name="Riverside School")
    cast = Cast(
        manager=manager,
        chair=chair,
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR, first_name="Ash", last_name="Author"),
        panel=[
            UserFactory(role=Role.PANEL_MEMBER, agency=police, first_name="Pat", last_name="Panel")
        ],
    )
    for agency in (police, school):
        lead = UserFactory(agency=agency)
        person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
        cast.leads[agency.pk] = lead
    built = review_at("overview", cast=cast, agencies_in_scope=[police, school], terms=PERIOD_2025)
    return built, police, school


def test_an_agency_lead_sees_the_milestones_and_their_own_agency_only(client, two_agencies):
    built, police, _school = two_agencies
    client.force_login(built.cast.lead_of(police))
    html = client.get(built.review.get_absolute_url()).content.decode()
    assert "Threshold decision" in html
    assert "Every management report is accepted or excused" in html
    assert "Northshire Police put in scope" in html
    assert "Riverside School put in scope" not in html
    assert "Access granted to" not in html
    assert "seated on the panel" not in html
    assert "appointed overview author" not in html
    assert "Terms of reference set" not in html
