"""Two-factor sign-in: required for board managers and chairs, set up at first sign-in,
impossible to skip by browsing directly, codes never accepted twice, recovery codes shown once."""

import importlib
import re
import time

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.signin import recovery_code_digest
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _password(client, person):
    return client.post(reverse("login"), {"username": person.email, "password": TEST_PASSWORD})


def _code(device, offset=0):
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


def _set_up(client, person):
    """Sign in with the password and set up an authenticator; returns (device, recovery codes)."""
    _password(client, person)
    client.get(reverse("agencies:mfa_setup"))
    device = TOTPDevice.objects.get(user=person)
    page = client.post(reverse("agencies:mfa_setup"), {"code": _code(device)})
    codes = re.findall(r'<li class="scr-recovery-code">([a-z0-9]+)</li>', page.content.decode())
    device.refresh_from_db()
    return device, codes


def test_a_chair_signing_in_is_sent_to_set_up_before_anything_else(client, chair):
    response = _password(client, chair)
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert followed.status_code == 302
    assert followed["Location"].startswith(reverse("agencies:mfa_setup"))
    # Browsing directly to any page does not skip it.
    for name in ("reviews:list", "reviews:tasks", "agencies:people"):
        direct = client.get(reverse(name))
        assert direct.status_code == 302, name
        assert direct["Location"].startswith(reverse("agencies:mfa_setup")), name
    page = client.get(reverse("agencies:mfa_setup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    assert "http" not in re.sub(r'(href|action)="[^"]*"|xmlns[^ >]*', "", html).split("<body")[1]


def test_set_up_confirms_the_app_shows_recovery_codes_once_and_lets_the_chair_in(client, chair):
    device, codes = _set_up(client, chair)
    assert device.confirmed
    assert len(codes) == 10
    assert StaticDevice.objects.get(user=chair).token_set.count() == 10
    assert client.get(reverse("reviews:list")).status_code == 200
    # The set-up page cannot be used again to add another app, nor show the codes again.
    again = client.get(reverse("agencies:mfa_setup"))
    assert again.status_code == 302
    assert codes[0] not in client.get(reverse("agencies:mfa_verify")).content.decode()


def test_next_sign_in_asks_for_a_code_and_a_code_is_never_accepted_twice(client, chair):
    device, _ = _set_up(client, chair)
    used = _code(device)  # accepted at set-up
    other = Client()
    _password(other, chair)
    direct = other.get(reverse("reviews:list"))
    assert direct["Location"].startswith(reverse("agencies:mfa_verify"))
    refused = other.post(reverse("agencies:mfa_verify"), {"code": used})
    assert refused.status_code == 200
    assert "The code is not right" in refused.content.decode()
    assert other.get(reverse("reviews:list")).status_code == 302
    with time_machine.travel(time.time() + 40):  # the next 30-second code, past the throttle
        accepted = other.post(reverse("agencies:mfa_verify"), {"code": _code(device)})
        assert accepted.status_code == 302
        assert other.get(reverse("reviews:list")).status_code == 200


def test_people_in_other_roles_need_no_second_factor_unless_they_set_one_up(client, users_by_role):
    lead = users_by_role["Agency lead"]
    _password(client, lead)
    assert client.get(reverse("reviews:list")).status_code == 200
    device, _ = _set_up(Client(), lead)
    assert device.confirmed
    later = Client()
    _password(later, lead)
    assert later.get(reverse("reviews:list"))["Location"].startswith(reverse("agencies:mfa_verify"))


def test_with_no_roles_required_the_demo_accounts_sign_in_with_a_password(client, settings, chair):
    settings.SCR_MFA_REQUIRED_ROLES = []
    _password(client, chair)
    assert client.get(reverse("reviews:list")).status_code == 200


def test_sign_out_is_allowed_before_the_second_factor(client, chair):
    _password(client, chair)
    assert client.post(reverse("logout")).status_code == 302


def test_recovery_codes_are_stored_only_as_keyed_digests(client, chair):
    _, codes = _set_up(client, chair)
    stored = set(StaticToken.objects.filter(device__user=chair).values_list("token", flat=True))
    assert len(stored) == 10
    assert stored.isdisjoint(codes)
    assert stored == {recovery_code_digest(code) for code in codes}


def test_a_recovery_code_still_works_after_the_secret_key_is_rotated(client, chair, settings):
    _, codes = _set_up(client, chair)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 30
    other = Client()
    _password(other, chair)
    assert other.post(reverse("agencies:mfa_recovery"), {"code": codes[3]}).status_code == 302
    assert other.get(reverse("reviews:list")).status_code == 200
    assert StaticToken.objects.filter(device__user=chair).count() == 9


def test_recovery_codes_stored_before_are_turned_into_digests(chair):
    device = StaticDevice.objects.create(user=chair, name="Recovery codes")
    device.token_set.create(token="plain2222")
    migration = importlib.import_module("agencies.migrations.0008_recovery_codes_as_digests")
    migration.recovery_codes_to_digests(django_apps, None)
    assert list(device.token_set.values_list("token", flat=True)) == [
        recovery_code_digest("plain2222")
    ]


def test_a_recovery_code_works_once_on_its_own_page_in_a_plain_text_field(client, chair):
    _, codes = _set_up(client, chair)
    first, second = Client(), Client()
    _password(first, chair)
    page = first.get(f"{reverse('agencies:mfa_recovery')}?next=/reviews/")
    html = page.content.decode()
    assert 'inputmode="numeric"' not in html
    assert 'autocomplete="off"' in html
    assert f'href="{reverse("agencies:mfa_verify")}?next=/reviews/"' in html
    used = first.post(
        reverse("agencies:mfa_recovery"), {"code": codes[1].upper(), "next": "/reviews/"}
    )
    assert used["Location"] == "/reviews/"
    assert first.get(reverse("reviews:list")).status_code == 200
    _password(second, chair)
    refused = second.post(reverse("agencies:mfa_recovery"), {"code": codes[1]})
    assert "The recovery code is not right, or has been used" in refused.content.decode()
    assert second.get(reverse("reviews:list")).status_code == 302


def test_the_app_code_field_offers_the_digits_keypad_and_links_to_the_recovery_page(client, chair):
    _set_up(client, chair)
    other = Client()
    _password(other, chair)
    html = other.get(f"{reverse('agencies:mfa_verify')}?next=/reviews/").content.decode()
    assert re.search(r'<input[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"', html)
    assert f'href="{reverse("agencies:mfa_recovery")}?next=/reviews/"' in html


def test_a_code_sent_too_soon_after_a_wrong_one_is_told_to_wait_not_that_it_is_wrong(client, chair):
    device, _ = _set_up(client, chair)
    other = Client()
    _password(other, chair)
    with time_machine.travel(time.time() + 40, tick=False) as clock:
        wrong = other.post(reverse("agencies:mfa_verify"), {"code": "000000"})
        assert "The code is not right" in wrong.content.decode()
        again = other.post(reverse("agencies:mfa_verify"), {"code": _code(device)})
        assert "Wait 1 second before you try another code" in again.content.decode()
        assert other.get(reverse("reviews:list")).status_code == 302
        clock.shift(2)
        accepted = other.post(reverse("agencies:mfa_verify"), {"code": _code(device)})
        assert accepted.status_code == 302


def test_using_recovery_codes_does_not_slow_down_the_apps_codes(client, chair):
    """Each page checks its own kind of code: a recovery code is not first tried, and counted
    wrong, as the app's code (which would make the app's next code wait)."""
    device, codes = _set_up(client, chair)
    with time_machine.travel(time.time() + 40, tick=False):
        for code in codes[:3]:
            recovered = Client()
            _password(recovered, chair)
            sent = recovered.post(reverse("agencies:mfa_recovery"), {"code": code})
            assert sent.status_code == 302
        device.refresh_from_db()
        assert device.throttling_failure_count == 0
        other = Client()
        _password(other, chair)
        accepted = other.post(reverse("agencies:mfa_verify"), {"code": _code(device)})
        assert accepted.status_code == 302
