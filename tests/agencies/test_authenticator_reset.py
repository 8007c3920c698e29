"""A person who manages people resets someone's authenticator app (a lost phone): a page naming
the person, then a POST that removes their app and recovery codes, signs them out everywhere,
is in their history, and emails them. Nobody else may, and nobody may on their own account."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.emails import AUTHENTICATOR_RESET
from agencies.models import Role
from agencies.services import authenticator_reset
from outbox.emails import emails_deliver_due
from outbox.models import Email
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _with_authenticator(person):
    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    codes = StaticDevice.objects.create(user=person, name="Recovery codes")
    for token in ("aaaa2222", "bbbb3333"):
        codes.token_set.create(token=token)
    return person


def _has_devices(person) -> bool:
    return (
        TOTPDevice.objects.filter(user=person).exists()
        or StaticDevice.objects.filter(user=person).exists()
    )


@pytest.fixture
def chair_with_app(chair):
    return _with_authenticator(chair)


def _url(person):
    return reverse("agencies:authenticator_reset", args=[person.pk])


def test_the_confirmation_page_names_the_person_and_changes_nothing(
    client, manager, chair_with_app
):
    client.force_login(manager)
    page = client.get(_url(chair_with_app))
    html = page.content.decode()
    assert page.status_code == 200
    assert str(chair_with_app) in html
    assert chair_with_app.email in html
    assert "Reset authenticator app" in html
    assert 'method="post"' in html
    assert _has_devices(chair_with_app)
    assert not Email.objects.exists()


def test_a_reset_removes_the_app_and_codes_signs_them_out_records_it_and_emails_them(
    client, manager, chair_with_app, mailoutbox
):
    elsewhere = Client()
    elsewhere.force_login(chair_with_app)
    client.force_login(manager)
    response = client.post(_url(chair_with_app))
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:person_update", args=[chair_with_app.pk])
    assert not _has_devices(chair_with_app)
    assert not StaticToken.objects.exists()
    # Their sessions end; the manager's does not.
    assert elsewhere.get(reverse("reviews:list")).status_code == 302
    assert client.get(reverse("reviews:list")).status_code == 200
    latest = chair_with_app.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (manager, "authenticator reset")
    page = client.get(response["Location"]).content.decode()
    assert "Authenticator app reset" in page
    assert f"by {manager}" in page
    (queued,) = Email.objects.all()
    assert (queued.kind, queued.recipient) == (AUTHENTICATOR_RESET, chair_with_app)
    assert emails_deliver_due() == 1
    (message,) = mailoutbox
    assert message.to == [chair_with_app.email]
    assert f"reset by {manager}" in message.body
    assert "set up an authenticator app again" in message.body
    assert emails_deliver_due() == 0


def test_after_a_reset_the_next_sign_in_sets_up_a_new_app(client, manager, chair_with_app):
    client.force_login(manager)
    client.post(_url(chair_with_app))
    again = Client()
    again.post(reverse("login"), {"username": chair_with_app.email, "password": TEST_PASSWORD})
    response = again.get(reverse("reviews:list"))
    assert response["Location"].startswith(reverse("agencies:mfa_setup"))


@pytest.mark.parametrize(
    "role", [Role.CHAIR, Role.INDEPENDENT_AUTHOR, Role.PANEL_MEMBER, Role.AGENCY_LEAD, "outsider"]
)
def test_nobody_else_may_reset_an_authenticator(client, users_by_role, role):
    person = _with_authenticator(UserFactory(role=Role.PANEL_MEMBER))
    client.force_login(users_by_role[role])
    assert client.get(_url(person)).status_code == 403
    assert client.post(_url(person)).status_code == 403
    assert _has_devices(person)
    assert not Email.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, chair_with_app):
    response = client.post(_url(chair_with_app))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _has_devices(chair_with_app)


def test_a_manager_cannot_reset_their_own_authenticator(client, manager):
    _with_authenticator(manager)
    client.force_login(manager)
    for method in (client.get, client.post):
        response = method(_url(manager), follow=True)
        html = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse(
            "agencies:person_update", args=[manager.pk]
        )
        assert "You cannot reset your own authenticator app" in html
    assert _has_devices(manager)
    assert not Email.objects.exists()
    with pytest.raises(ValidationError, match="your own authenticator app"):
        authenticator_reset(actor=manager, person=manager)
    assert _has_devices(manager)


def test_a_person_with_no_authenticator_has_nothing_to_reset(client, manager):
    person = UserFactory(role=Role.PANEL_MEMBER, first_name="Kit", last_name="Member")
    before = person.history.count()
    client.force_login(manager)
    page = client.get(_url(person)).content.decode()
    assert "Kit Member has not set up an authenticator app" in page
    assert "Reset authenticator app</button>" not in page
    response = client.post(_url(person))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert person.history.count() == before
    assert not Email.objects.exists()


def test_the_person_page_offers_the_reset_for_others_only(client, manager, chair_with_app):
    _with_authenticator(manager)
    client.force_login(manager)
    theirs = client.get(reverse("agencies:person_update", args=[chair_with_app.pk]))
    assert _url(chair_with_app) in theirs.content.decode()
    own = client.get(reverse("agencies:person_update", args=[manager.pk]))
    assert _url(manager) not in own.content.decode()


def test_a_person_whose_role_needs_no_app_is_told_where_to_set_one_up_again(
    client, manager, mailoutbox, settings
):
    settings.SCR_SITE_URL = "https://scr.example.org"
    member = _with_authenticator(UserFactory(role=Role.PANEL_MEMBER))
    client.force_login(manager)
    page = client.get(_url(member)).content.decode()
    assert "they will sign in with their password alone until they set one up again" in page
    client.post(_url(member))
    emails_deliver_due()
    (message,) = mailoutbox
    assert "https://scr.example.org/two-factor/set-up/" in message.body
