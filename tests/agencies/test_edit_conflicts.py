"""Two tabs editing the same agency or person: the save over a change made since is refused
(409), saying who changed it and when, with the person's text kept and nothing changed."""

import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from agencies.models import Agency, Role, User
from agencies.services import agency_update, person_invite, person_update
from tests.factories import TEST_PASSWORD, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _version(page) -> str:
    return re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)


@pytest.fixture
def colleague():
    """Another board manager, working in the other tab."""
    return UserFactory(role=Role.BOARD_MANAGER, first_name="Olu", last_name="Colleague")


def _agency_post(**changes):
    return {
        "name": "Riverside Constabulary",
        "sector": "police",
        "contact_email": "",
        "is_active": "yes",
        **changes,
    }


def test_two_tabs_on_an_agency_the_stale_save_is_refused_with_its_text_kept(
    client, manager, colleague
):
    agency = AgencyFactory(name="Riverside Police", sector="police")
    url = reverse("agencies:update", args=[agency.pk])
    client.force_login(manager)
    seen = _version(client.get(url))
    # The other tab saves first.
    agency_update(
        actor=colleague,
        agency=agency,
        name="Riverside Police North",
        sector="police",
        contact_email="north@police.example",
        is_active=True,
    )
    response = client.post(url, _agency_post(name="Riverside Police Service", version=seen))
    html = response.content.decode()
    assert response.status_code == 409
    assert "The agency was changed by Olu Colleague at" in html
    assert "nothing was saved" in html
    assert 'value="Riverside Police Service"' in html
    agency.refresh_from_db()
    assert agency.name == "Riverside Police North"
    assert agency.contact_email == "north@police.example"
    # Having seen the other change, saving again is deliberate and goes through.
    again = client.post(
        url, _agency_post(name="Riverside Police Service", version=_version(response))
    )
    assert again.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Riverside Police Service"


def test_an_agency_saved_from_the_version_read_is_saved(client, manager):
    agency = AgencyFactory(name="Riverside Police", sector="police")
    url = reverse("agencies:update", args=[agency.pk])
    client.force_login(manager)
    seen = _version(client.get(url))
    # A lead invited meanwhile makes the agency's leads group: bookkeeping, not a change.
    person_invite(
        actor=manager,
        email="lead@police.example",
        first_name="Lee",
        last_name="Lead",
        job_title="",
        agency=agency,
        roles=[Role.AGENCY_LEAD],
    )
    response = client.post(url, _agency_post(version=seen))
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Riverside Constabulary"


def test_the_agency_service_refuses_a_stale_version(manager, colleague):
    agency = AgencyFactory(name="Riverside Police", sector="police")
    fields = {"sector": "police", "contact_email": "", "is_active": True}
    seen = agency.history.latest().history_id
    agency_update(actor=colleague, agency=agency, name="Riverside North", **fields)
    stale = Agency.objects.get(pk=agency.pk)
    with pytest.raises(ValidationError) as refused:
        agency_update(actor=manager, agency=stale, name="Riverside South", version=seen, **fields)
    assert refused.value.code == "conflict"
    assert Agency.objects.get(pk=agency.pk).name == "Riverside North"


def _person_post(person, **changes):
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "agency": "",
        "roles": [Role.PANEL_MEMBER],
        **changes,
    }


def test_two_tabs_on_a_person_the_stale_save_is_refused_with_its_text_kept(
    client, manager, colleague
):
    person = UserFactory(role=Role.PANEL_MEMBER, first_name="Kit", last_name="Member")
    url = reverse("agencies:person_update", args=[person.pk])
    client.force_login(manager)
    seen = _version(client.get(url))
    # The other tab makes Kit the independent author first.
    person_update(
        actor=colleague,
        person=User.objects.get(pk=person.pk),
        first_name="Kit",
        last_name="Member",
        job_title="Consultant",
        agency=None,
        roles=[Role.INDEPENDENT_AUTHOR],
    )
    response = client.post(
        url, _person_post(person, job_title="Head of Safeguarding", version=seen)
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "changed by Olu Colleague at" in html
    assert "nothing was saved" in html
    assert 'value="Head of Safeguarding"' in html
    person.refresh_from_db()
    assert person.job_title == "Consultant"
    assert [g.name for g in person.groups.all()] == [Role.INDEPENDENT_AUTHOR]


def test_the_person_signing_in_meanwhile_is_not_a_change_to_their_details(client, manager):
    person = UserFactory(role=Role.PANEL_MEMBER, first_name="Kit", last_name="Member")
    url = reverse("agencies:person_update", args=[person.pk])
    client.force_login(manager)
    seen = _version(client.get(url))
    # Signing in saves the person (their last sign-in) and so writes a history row.
    other = Client()
    other.post(reverse("login"), {"username": person.email, "password": TEST_PASSWORD})
    assert person.history.count() > 1
    response = client.post(
        url, _person_post(person, job_title="Head of Safeguarding", version=seen)
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.job_title == "Head of Safeguarding"


def test_a_change_made_in_the_admin_counts_as_a_change(client, manager):
    person = UserFactory(role=Role.PANEL_MEMBER, first_name="Kit", last_name="Member")
    url = reverse("agencies:person_update", args=[person.pk])
    client.force_login(manager)
    seen = _version(client.get(url))
    superuser = UserFactory(is_superuser=True, is_staff=True, first_name="Ada", last_name="Admin")
    request = RequestFactory().post("/admin/")
    request.user = superuser
    person.job_title = "Renamed in the admin"
    admin.site._registry[User].save_model(request, person, form=None, change=True)
    assert person.history.latest().history_change_reason == "changed in the admin"
    response = client.post(
        url, _person_post(person, job_title="Head of Safeguarding", version=seen)
    )
    assert response.status_code == 409
    assert "changed by Ada Admin at" in response.content.decode()


def test_the_person_service_refuses_a_stale_version(manager, colleague):
    person = UserFactory(role=Role.PANEL_MEMBER)
    fields = {"first_name": "Kit", "last_name": "Member", "agency": None}
    person_update(actor=manager, person=person, job_title="", roles=[Role.PANEL_MEMBER], **fields)
    seen = person.history.latest().history_id
    person_update(actor=colleague, person=person, job_title="Author", roles=[Role.CHAIR], **fields)
    with pytest.raises(ValidationError) as refused:
        person_update(
            actor=manager,
            person=User.objects.get(pk=person.pk),
            job_title="Member",
            roles=[Role.PANEL_MEMBER],
            version=seen,
            **fields,
        )
    assert refused.value.code == "conflict"
    assert [g.name for g in person.groups.all()] == [Role.CHAIR]
