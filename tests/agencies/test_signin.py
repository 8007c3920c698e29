"""Signing in: lockout by account and by address (behind trusted proxies), passwords, reset."""

import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agencies.emails import PASSWORD_RESET
from outbox.emails import emails_deliver_due
from outbox.models import Email
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Sign-in is locked for now"


def _sign_in(client, email, password=TEST_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_guesses_spread_over_many_addresses_still_lock_the_account(chair):
    for address in range(10):
        guesser = Client(REMOTE_ADDR=f"127.0.1.{address}")
        for _ in range(4):
            _sign_in(guesser, chair.email, "wrong-password")
    owner = Client(REMOTE_ADDR="127.0.2.1")
    response = _sign_in(owner, chair.email)
    assert LOCKED in response.content.decode()
    assert SESSION_KEY not in owner.session


def test_failures_are_recorded_against_the_account_in_lower_case(chair):
    _sign_in(Client(REMOTE_ADDR="127.0.1.1"), chair.email.upper(), "wrong-password")
    assert AccessAttempt.objects.get().username == chair.email


def test_without_trusted_proxies_a_forwarded_address_is_ignored(settings, manager, chair):
    settings.SCR_TRUSTED_PROXIES = 0
    for n in range(5):
        _sign_in(
            Client(REMOTE_ADDR="127.0.3.1"),
            f"nobody{n}@example.org",
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"127.0.4.{n}",
        )
    # Every guess came from 127.0.3.1 whatever it claimed: that address is now locked.
    assert LOCKED in _sign_in(Client(REMOTE_ADDR="127.0.3.1"), chair.email).content.decode()


def test_behind_a_trusted_proxy_one_persons_failures_lock_only_their_address(settings, chair):
    settings.SCR_TRUSTED_PROXIES = 1
    proxy = "127.0.9.9"
    for n in range(5):
        _sign_in(
            Client(REMOTE_ADDR=proxy),
            f"nobody{n}@example.org",
            "wrong-password",
            HTTP_X_FORWARDED_FOR="127.0.5.5",
        )
    colleague = Client(REMOTE_ADDR=proxy)
    response = _sign_in(colleague, chair.email, HTTP_X_FORWARDED_FOR="127.0.6.6")
    assert response.status_code == 302
    assert colleague.session[SESSION_KEY] == str(chair.pk)
    # The address the proxy saw is locked, even for a new account name …
    again = _sign_in(Client(REMOTE_ADDR=proxy), chair.email, HTTP_X_FORWARDED_FOR="127.0.5.5")
    assert LOCKED in again.content.decode()
    # … and a client cannot escape it by prepending an address of its own choosing.
    spoofed = _sign_in(
        Client(REMOTE_ADDR=proxy), chair.email, HTTP_X_FORWARDED_FOR="127.0.7.7, 127.0.5.5"
    )
    assert LOCKED in spoofed.content.decode()


def test_the_lockout_page_is_the_same_for_unknown_accounts(chair):
    for n in range(5):
        _sign_in(Client(REMOTE_ADDR=f"127.0.1.{n}"), chair.email, "wrong-password")
    for n in range(5):
        _sign_in(Client(REMOTE_ADDR=f"127.0.2.{n}"), "nobody@example.org", "wrong-password")
    known = _sign_in(Client(REMOTE_ADDR="127.0.3.1"), chair.email, "wrong-password")
    unknown = _sign_in(Client(REMOTE_ADDR="127.0.3.2"), "nobody@example.org", "wrong-password")
    assert known.status_code == unknown.status_code == 429
    assert _page(known) == _page(unknown)


def _page(response):
    """The page without its per-request parts (CSRF token, nonce, request id)."""
    html = response.content.decode()
    return re.sub(r'(nonce|value)="[^"]*"|Reference: \w+', "", html)


def test_an_administrator_can_unlock_an_account(chair):
    for n in range(5):
        _sign_in(Client(REMOTE_ADDR=f"127.0.1.{n}"), chair.email, "wrong-password")
    assert LOCKED in _sign_in(Client(REMOTE_ADDR="127.0.2.1"), chair.email).content.decode()
    call_command("axes_reset_username", chair.email)
    owner = Client(REMOTE_ADDR="127.0.2.2")
    assert _sign_in(owner, chair.email).status_code == 302


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "abababababab",
        "121212121212xy",
        "password1234",
        "sam.person@example",
    ],
)
def test_weak_passwords_are_refused(password):
    person = UserFactory(first_name="Sam", last_name="Person", email="sam.person@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user=person)


def test_a_passphrase_is_accepted():
    validate_password("violet kettle orbit 42", user=UserFactory())


def _reset_link(mailoutbox) -> str:
    (message,) = mailoutbox
    match = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _request_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_reset_answers_the_same_for_unknown_emails_and_queues_only_known_ones(
    client, chair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_known:
        known = _request_reset(client, chair.email.upper())
    (queued,) = Email.objects.all()
    assert (queued.kind, queued.recipient, queued.status) == (
        PASSWORD_RESET,
        chair,
        Email.Status.PENDING,
    )
    with django_capture_on_commit_callbacks() as after_unknown:
        unknown = _request_reset(client, "nobody@example.org")
    assert Email.objects.count() == 1
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _page(client.get(known["Location"])) == _page(client.get(unknown["Location"]))
    # Nothing is sent, nor handed to the broker, while the person waits: the outbox's sweep
    # sends it, so a known address costs the request no more than an unknown one.
    assert after_known == after_unknown == []
    assert mailoutbox == []


def test_delivering_the_outbox_sends_the_reset_link_once(client, chair, mailoutbox, settings):
    settings.SCR_SITE_URL = "https://scr.example.org"
    _request_reset(client, chair.email)
    assert emails_deliver_due() == 1
    assert emails_deliver_due() == 0
    (message,) = mailoutbox
    assert message.to == [chair.email]
    assert message.subject == "Reset your password for SCR manager"
    assert "https://scr.example.org/password-reset/" in message.body
    assert "1 hour" in message.body
    assert message.alternatives  # an HTML part too
    assert Email.objects.get().status == Email.Status.SENT
    assert "token" not in str(Email.objects.get().context)


@pytest.mark.parametrize("who", ["deactivated", "invited"])
def test_no_reset_is_queued_for_a_deactivated_or_invited_account(client, who):
    person = UserFactory(deactivated=who == "deactivated")
    if who == "invited":
        person.set_unusable_password()
        person.save()
    response = _request_reset(client, person.email)
    assert response["Location"] == reverse("password_reset_sent")
    assert not Email.objects.exists()


def test_a_reset_form_without_a_valid_address_says_so_and_queues_nothing(client):
    response = _request_reset(client, "not an address")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter an email address in the correct format" in html
    assert not Email.objects.exists()


def test_a_reset_link_works_once_signs_nobody_in_and_ends_other_sessions(client, chair, mailoutbox):
    elsewhere = Client()
    elsewhere.force_login(chair)
    _request_reset(client, chair.email)
    emails_deliver_due()
    link = _reset_link(mailoutbox)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = {"new_password1": "violet kettle orbit 42", "new_password2": "violet kettle orbit 42"}
    done = client.post(form_page.redirect_chain[-1][0], new)
    assert done.status_code == 302
    assert SESSION_KEY not in client.session
    assert elsewhere.get(reverse("reviews:list")).status_code == 302
    chair.refresh_from_db()
    assert chair.check_password("violet kettle orbit 42")
    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_a_reset_link_expires_after_an_hour(client, chair, mailoutbox):
    with time_machine.travel("2026-03-02 09:00", tick=False):
        _request_reset(client, chair.email)
        emails_deliver_due()
    link = _reset_link(mailoutbox)
    with time_machine.travel("2026-03-02 10:01", tick=False):
        page = client.get(link, follow=True)
    assert "This link does not work" in page.content.decode()


def test_a_reset_not_sent_within_the_hour_is_not_sent_at_all(client, chair, mailoutbox):
    with time_machine.travel("2026-03-02 09:00", tick=False):
        _request_reset(client, chair.email)
    with time_machine.travel("2026-03-02 10:01", tick=False):
        assert emails_deliver_due() == 0
    assert mailoutbox == []
    assert Email.objects.get().status == Email.Status.CANCELLED


def test_an_invitation_link_is_not_a_reset_link(client, chair):
    token = default_token_generator.make_token(chair)
    uid = urlsafe_base64_encode(force_bytes(chair.pk))
    page = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    assert "This link does not work" in page.content.decode()
