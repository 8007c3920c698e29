"""People and sign-in in a real browser: resetting someone's authenticator app, two tabs on one
person, and a forgotten password; every page reached is scanned with axe-core."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from agencies.models import Role
from outbox.emails import emails_deliver_due
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _open_person(page: Page, name: str) -> None:
    page.get_by_role("link", name="People").first.click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name="Change a person's details and roles")).to_be_visible()


def test_manager_resets_a_persons_authenticator_app(page: Page, live_server):
    manager = UserFactory(role=Role.BOARD_MANAGER, first_name="Mina", last_name="Manager")
    chair = UserFactory(role=Role.CHAIR, first_name="Cary", last_name="Chair")
    TOTPDevice.objects.create(user=chair, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=chair, name="Recovery codes")

    sign_in(page, live_server, manager)
    _open_person(page, "Cary Chair")
    assert_accessible(page)
    page.get_by_role("link", name="Reset the authenticator app of Cary Chair").click()
    expect(
        page.get_by_role("heading", name="Reset the authenticator app of Cary Chair")
    ).to_be_visible()
    expect(page.get_by_text(chair.email)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Reset authenticator app").click()

    expect(page.get_by_text("Cary Chair's authenticator app is reset")).to_be_visible()
    change = page.locator(".govuk-summary-list__value", has_text="Authenticator app reset")
    expect(change).to_contain_text("by Mina Manager")
    assert_accessible(page)
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert not StaticDevice.objects.filter(user=chair).exists()


def test_two_tabs_on_one_person_the_second_save_is_refused_with_its_text_kept(
    page: Page, live_server
):
    manager = UserFactory(role=Role.BOARD_MANAGER, first_name="Mina", last_name="Manager")
    UserFactory(role=Role.PANEL_MEMBER, first_name="Kit", last_name="Member")
    sign_in(page, live_server, manager)
    _open_person(page, "Kit Member")
    other = page.context.new_page()
    other.goto(page.url)

    other.get_by_label("Job title (optional)").fill("Designated nurse")
    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_text("Person changed")).to_be_visible()

    page.get_by_label("Job title (optional)").fill("Head of safeguarding")
    page.get_by_role("button", name="Save changes").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("was changed by Mina Manager at")
    expect(page.get_by_label("Job title (optional)")).to_have_value("Head of safeguarding")
    assert_accessible(page)
    # Having seen the other change, saving again goes through.
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Person changed")).to_be_visible()


def test_a_forgotten_password_is_reset_from_the_emailed_link(page: Page, live_server):
    person = UserFactory(role=Role.PANEL_MEMBER, first_name="Kit", last_name="Member")
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    assert_accessible(page)
    page.get_by_label("Email address").fill(person.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)

    assert emails_deliver_due() == 1
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/password-reset/\S+/", message.body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("violet kettle orbit 42")
    page.get_by_label("Confirm the new password").fill("violet kettle orbit 42")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill("violet kettle orbit 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Reviews", level=1)).to_be_visible()
