"""Approving publication and exporting a chronology ask for the password again when it was
given more than 10 minutes ago, and then return to where the person was (on this site only)."""

import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from agencies.services import authenticator_confirm, authenticator_start
from publication.models import PublicationPlan
from publication.services import publication_plan_save
from reviews.models import Review
from tests.factories import TEST_PASSWORD, ReviewFactory

pytestmark = pytest.mark.django_db


def _again(back: str) -> str:
    return f"{reverse('agencies:reauthenticate')}?{urlencode({'next': back})}"


@pytest.fixture
def planned(manager):
    review = ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION, created_by=manager)
    publication_plan_save(
        review=review,
        actor=manager,
        # Not to publish: approving it needs no publication version (tests/publication/).
        form=PublicationPlan.Form.NONE,
        planned_on=None,
        rationale="The family asked that it not be published.",
    )
    return review


def test_approving_an_hour_after_signing_in_asks_for_the_password_first(client, chair, planned):
    approve = reverse("publication:approve", args=[planned.reference])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(chair)
        clock.shift(timedelta(minutes=11))
        response = client.post(approve)
        assert response.status_code == 302
        # A POST cannot be replayed: after the password, back to the confirmation page.
        assert response["Location"] == _again(approve)
        assert not PublicationPlan.objects.get().is_approved
        wrong = client.post(response["Location"], {"password": "not-it", "next": approve})
        assert "Your password is not right" in wrong.content.decode()
        back = client.post(response["Location"], {"password": TEST_PASSWORD, "next": approve})
        assert back["Location"] == approve
        assert client.post(approve).status_code == 302
    assert PublicationPlan.objects.get().approved_by == chair


def test_within_ten_minutes_approval_needs_no_password(client, chair, planned):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(chair)
        clock.shift(timedelta(minutes=9))
        client.post(reverse("publication:approve", args=[planned.reference]))
    assert PublicationPlan.objects.get().is_approved


def test_the_chronology_export_asks_again_and_returns_to_the_download(client, manager):
    url = reverse("reviews:chronology_export", args=["SCR-2026-0001", 1])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(manager)
        clock.shift(timedelta(minutes=11))
        response = client.get(url)
    assert response["Location"] == _again(url)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_return_address_must_be_on_this_site(client, chair, next_url):
    client.force_login(chair)
    page = reverse("agencies:reauthenticate")
    response = client.post(page, {"password": TEST_PASSWORD, "next": next_url})
    assert response["Location"] == reverse("home")


def test_a_code_from_the_app_does_instead_and_each_mistake_is_shown_by_its_field(client, chair):
    device = authenticator_start(person=chair)

    def code():
        device.refresh_from_db()
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    assert authenticator_confirm(person=chair, device=device, code=code())
    page = reverse("agencies:reauthenticate")
    with time_machine.travel(time.time() + 40, tick=False) as clock:
        client.force_login(chair)
        empty = client.post(page, {"password": "", "code": ""}).content.decode()
        assert '<a href="#id_password">Enter your password</a>' in empty
        wrong = client.post(page, {"code": "000000"}).content.decode()
        assert '<a href="#id_code">The code is not right' in wrong
        too_soon = client.post(page, {"code": code()}).content.decode()
        assert '<a href="#id_code">Wait 1 second before you try another code' in too_soon
        clock.shift(2)
        back = client.post(page, {"code": code(), "next": "/reviews/"})
    assert back["Location"] == "/reviews/"
