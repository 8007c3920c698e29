"""Board managers manage agencies and people: invitations, roles, deactivation."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import Agency, Role, User
from agencies.services import (
    agency_create,
    person_deactivate,
    person_invite,
    person_reactivate,
    person_update,
)
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite(manager, **overrides):
    fields = {
        "email": "New.Lead@Example.org",
        "first_name": "Nia",
        "last_name": "Lead",
        "job_title": "",
        "agency": AgencyFactory(),
        "roles": [Role.AGENCY_LEAD],
    }
    return person_invite(actor=manager, **{**fields, **overrides})


def _invitation_link(message) -> str:
    return re.search(r"http://\S+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_an_invitation_is_emailed_once_the_account_is_saved(
    manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person = _invite(manager)
    assert len(callbacks) == 1
    assert person.email == "new.lead@example.org"
    assert not person.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new.lead@example.org"]]
    assert "/set-password/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives  # an HTML part too
    assert person.history.latest().history_user == manager


def test_the_invitation_link_sets_a_password_once(
    client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = _invite(manager)
    link = _invitation_link(mail.outbox[0])
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "a-long-and-new-one", "new_password2": "a-long-and-new-one"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-long-and-new-one")

    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_a_deactivated_persons_invitation_link_does_not_work(
    client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = _invite(manager)
    person_deactivate(actor=manager, person=person, reason="Invited by mistake")
    response = client.get(_invitation_link(mail.outbox[0]), follow=True)
    assert "This link does not work" in response.content.decode()


def test_an_email_address_cannot_be_used_twice(manager):
    UserFactory(email="taken@example.org")
    with pytest.raises(ValidationError, match="already has an account"):
        _invite(manager, email="TAKEN@example.org")
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_an_agency_lead_needs_an_agency(manager):
    with pytest.raises(ValidationError, match="agency this agency lead works for"):
        _invite(manager, agency=None)
    assert not User.objects.filter(email="new.lead@example.org").exists()


def test_invite_form_shows_govuk_errors_and_creates_nobody(client, manager):
    client.force_login(manager)
    count = User.objects.count()
    response = client.post(reverse("agencies:invite"), {"email": "not-an-email"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter an email address in the correct format" in html
    assert 'href="#id_roles_0"' in html
    assert User.objects.count() == count


def test_deactivation_signs_the_person_out_everywhere(client, manager):
    person = UserFactory(role=Role.CHAIR)
    client.force_login(person)
    assert client.get(reverse("reviews:list")).status_code == 200

    person_deactivate(actor=manager, person=person, reason="Term ended")

    assert client.get(reverse("reviews:list")).status_code == 302
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all()
    )
    latest = User.objects.get(pk=person.pk).history.latest()
    assert latest.history_user == manager
    assert latest.history_change_reason == "deactivated: Term ended"


def test_a_deactivated_person_cannot_sign_in(client, manager):
    person = UserFactory(role=Role.CHAIR)
    person_deactivate(actor=manager, person=person, reason="Term ended")
    response = client.post(
        reverse("login"), {"username": person.email, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_managers_cannot_deactivate_themselves(manager):
    with pytest.raises(ValidationError, match="your own account"):
        person_deactivate(actor=manager, person=manager, reason="Oops")
    manager.refresh_from_db()
    assert manager.is_active


def test_reactivation_restores_sign_in(manager):
    person = UserFactory()
    person_deactivate(actor=manager, person=person, reason="Leave")
    person_reactivate(actor=manager, person=person)
    person.refresh_from_db()
    assert person.is_active


def test_a_change_of_role_ends_the_persons_sessions(client, manager):
    person = UserFactory(role=Role.CHAIR)
    client.force_login(person)
    person_update(
        actor=manager,
        person=person,
        first_name="Sam",
        last_name="Moved",
        job_title="",
        agency=None,
        roles=[Role.PANEL_MEMBER],
    )
    assert client.get(reverse("reviews:list")).status_code == 302
    assert sorted(g.name for g in person.groups.all()) == [Role.PANEL_MEMBER]


def test_an_agency_lead_joins_their_agencys_leads_group(manager):
    agency = AgencyFactory()
    person = _invite(manager, agency=agency)
    agency.refresh_from_db()
    assert agency.leads_group in person.groups.all()


def test_agency_names_are_unique_whatever_their_case(manager):
    agency_create(actor=manager, name="Northshire Homes", sector="housing", contact_email="")
    with pytest.raises(ValidationError, match="already exists"):
        agency_create(actor=manager, name="northshire homes", sector="housing", contact_email="")
    assert Agency.objects.filter(name__iexact="northshire homes").count() == 1


def test_people_page_lists_everyone_with_their_roles(client, manager):
    UserFactory(role=Role.CHAIR, first_name="Chair", last_name="Person")
    client.force_login(manager)
    html = client.get(reverse("agencies:people")).content.decode()
    assert "Chair Person" in html
    assert "Chair</td>" in html or "Chair<" in html


def test_no_one_is_both_board_manager_and_chair(client, manager):
    """A board manager tried to give herself the Chair role, to approve her own plan."""
    client.force_login(manager)
    response = client.post(
        reverse("agencies:person_update", args=[manager.pk]),
        {
            "first_name": manager.first_name,
            "last_name": manager.last_name,
            "job_title": "",
            "roles": [Role.BOARD_MANAGER, Role.CHAIR],
        },
    )
    assert response.status_code == 200
    assert "A person cannot be both board manager and chair" in response.content.decode()
    assert sorted(g.name for g in manager.groups.all()) == [Role.BOARD_MANAGER]
    with pytest.raises(ValidationError, match="both board manager and chair"):
        person_invite(
            actor=manager,
            email="dual@example.org",
            first_name="Dual",
            last_name="Role",
            job_title="",
            agency=None,
            roles=[Role.CHAIR, Role.BOARD_MANAGER],
        )


def test_a_role_change_is_history_with_the_roles_before_and_after(client, manager):
    person = UserFactory(role=Role.PANEL_MEMBER)
    person_update(
        actor=manager,
        person=person,
        first_name=person.first_name,
        last_name=person.last_name,
        job_title="",
        agency=None,
        roles=[Role.INDEPENDENT_AUTHOR],
    )
    latest = person.history.latest()
    assert latest.history_user == manager
    assert latest.history_change_reason == "roles changed: Panel member → Independent author"
    client.force_login(manager)
    page = client.get(reverse("agencies:person_update", args=[person.pk])).content.decode()
    assert "Panel member → Independent author" in page
