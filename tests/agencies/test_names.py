"""Names that end up in email headers: no line breaks or other control characters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import Agency, Role, User
from agencies.services import agency_create, person_invite
from outbox.kinds import subject_line

pytestmark = pytest.mark.django_db

EVIL = ["Evil\r\nBcc: everyone@example.org", "Evil\nBcc: x@example.org", "Tab\there", "Nul\x00"]


@pytest.mark.parametrize("name", EVIL)
def test_agency_names_with_control_characters_are_refused(manager, name):
    before = Agency.objects.count()
    with pytest.raises(ValidationError, match="line breaks"):
        agency_create(actor=manager, name=name, sector="police", contact_email="")
    # Counted, not looked up by name: PostgreSQL refuses a NUL even in a query.
    assert Agency.objects.count() == before


def test_the_agency_form_shows_a_govuk_error(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("agencies:create"),
        {"name": "Evil\r\nBcc: everyone@example.org", "sector": "police"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "must not include line breaks" in response.content.decode()
    assert not Agency.objects.filter(name__startswith="Evil").exists()


@pytest.mark.parametrize("field", ["first_name", "last_name", "job_title"])
def test_peoples_names_with_control_characters_are_refused(manager, agency, field):
    data = {
        "email": "new@example.org",
        "first_name": "New",
        "last_name": "Person",
        "job_title": "",
        "agency": agency,
        "roles": [Role.AGENCY_LEAD],
    }
    with pytest.raises(ValidationError, match="line breaks"):
        person_invite(actor=manager, **{**data, field: "A\r\nBcc: x@example.org"})
    assert not User.objects.filter(email="new@example.org").exists()


def test_names_may_have_accents_and_non_breaking_spaces(manager):
    agency = agency_create(
        actor=manager, name="Hôpital\u00a0Sainte-Anne", sector="health", contact_email=""
    )
    assert agency.pk


def test_subjects_are_one_line():
    assert subject_line("SCR-1: report requested from Evil\r\nBcc: x@example.org") == (
        "SCR-1: report requested from Evil Bcc: x@example.org"
    )
