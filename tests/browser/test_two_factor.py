"""Two-factor sign-in and re-authentication in a real browser: setting up an authenticator app
from its QR code or key, codes and recovery codes at sign-in, and the password asked again
before approving publication or exporting a chronology. Every page and error state is scanned
with axe-core; codes are typed and sent from the keyboard."""

import base64
import csv
import io
import re
import time
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from agencies.models import Role
from agencies.services import authenticator_confirm, authenticator_start, person_roles_set
from agencies.signin import AUTHENTICATED_AT
from publication.models import PublicationPlan
from publication.services import publication_plan_save
from reviews.builders import Cast, report_advance, review_at
from reviews.models import Review
from reviews.services.chronology import chronology_entry_save
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PERIOD_2025
from tests.factories import TEST_PASSWORD, AgencyFactory, ReviewFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _code(secret: bytes, steps_ahead: int = 0) -> str:
    """The code an authenticator app holding ``secret`` shows now (or ``steps_ahead`` 30-second
    steps later: a code is never accepted twice, so a second sign-in in the same half-minute
    uses the next one, which is still accepted)."""
    return f"{TOTP(secret, drift=steps_ahead).token():06d}"


def _password(page: Page, live_server, person) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _type_and_send(field: Locator, text: str) -> None:
    """Type into the empty field and send the form with Enter, from the keyboard alone."""
    field.fill("")
    field.focus()
    field.page.keyboard.type(text)
    field.page.keyboard.press("Enter")


def _expect_code_field(field: Locator) -> None:
    """A field for a code an app shows: phones offer the digits keypad and the code itself."""
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_have_attribute("inputmode", "numeric")
    expect(field).to_have_attribute("spellcheck", "false")


def _expect_error(page: Page, message: str, field: Locator) -> None:
    """The GOV.UK error summary has focus, its link takes focus to the field, the page title
    starts "Error:", and the page is accessible in that state."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    link = summary.get_by_role("link", name=message)
    expect(link).to_be_visible()
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    assert_accessible(page)
    link.focus()
    page.keyboard.press("Enter")
    expect(field).to_be_focused()


def _past_the_throttle(person) -> None:
    """Each wrong code makes the next try wait (a second, doubling with each further mistake;
    tests/agencies/test_two_factor.py tests it): move the last mistake back a minute rather
    than wait."""
    earlier = timezone.now() - timedelta(minutes=1)
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=person, throttling_failure_count__gt=0):
            device.throttling_failure_timestamp = earlier
            device.save(update_fields=["throttling_failure_timestamp"])


def _password_given_minutes_ago(page: Page, minutes: int) -> None:
    """Move back, in the browser's session on the server, when the password was last given."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[AUTHENTICATED_AT] = time.time() - minutes * 60
    session.save()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_board_manager_sets_up_the_app_then_signs_in_with_a_code_or_a_recovery_code_once(
    page: Page, live_server, settings
):
    settings.SCR_MFA_REQUIRED_ROLES = [Role.BOARD_MANAGER, Role.CHAIR]
    manager = UserFactory(role=Role.BOARD_MANAGER)

    _password(page, live_server, manager)
    expect(page).to_have_url(re.compile(r"/two-factor/set-up/\?next="))
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    qr = page.get_by_role("img", name="QR code that adds SCR manager to your authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("(image) => image.complete && image.naturalWidth > 0")
    secret = base64.b32decode(page.locator("code").inner_text())
    assert secret == TOTPDevice.objects.get(user=manager).bin_key
    code = page.get_by_label("Code", exact=True)
    _expect_code_field(code)
    assert_accessible(page)

    _type_and_send(code, "000000")
    _expect_error(page, "The code is not right: enter the 6 digits the app shows now", code)
    _past_the_throttle(manager)
    _type_and_send(code, _code(secret))

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    recovery_codes = page.locator(".scr-recovery-code").all_inner_texts()
    assert len(recovery_codes) == 10
    assert_accessible(page)
    page.get_by_role("button", name="I have saved the codes: continue").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert_accessible(page)

    _sign_out(page)
    _password(page, live_server, manager)
    expect(page).to_have_url(re.compile(r"/two-factor/\?next="))
    heading = page.get_by_role("heading", name="Enter the code from your authenticator app")
    expect(heading).to_be_visible()
    code = page.get_by_label("Code", exact=True)
    _expect_code_field(code)
    assert_accessible(page)
    _type_and_send(code, "123456")
    _expect_error(page, "The code is not right: enter the code the app shows now", code)

    # The app's mistake does not hold up a recovery code, nor the reverse, below.
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", name="Enter a recovery code")).to_be_visible()
    recovery = page.get_by_label("Recovery code")
    expect(recovery).not_to_have_attribute("inputmode", "numeric")
    expect(recovery).to_have_attribute("spellcheck", "false")
    assert_accessible(page)
    _type_and_send(recovery, recovery_codes[0])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    _sign_out(page)
    _password(page, live_server, manager)
    page.get_by_role("link", name="Use a recovery code instead").click()
    recovery = page.get_by_label("Recovery code")
    _type_and_send(recovery, recovery_codes[0])
    _expect_error(page, "The recovery code is not right, or has been used", recovery)
    page.get_by_role("link", name="Use a code from your authenticator app").click()
    _type_and_send(page.get_by_label("Code", exact=True), _code(secret, steps_ahead=1))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert StaticDevice.objects.get(user=manager).token_set.count() == 9


def test_approving_publication_ten_minutes_on_asks_for_the_password_then_approves(
    page: Page, live_server, manager, chair
):
    review = ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION, created_by=manager)
    publication_plan_save(
        review=review,
        actor=manager,
        # Not to publish: approving it needs no publication version (tests/publication/).
        form=PublicationPlan.Form.NONE,
        planned_on=None,
        rationale="The family asked that it not be published.",
    )
    sign_in(page, live_server, chair)
    page.goto(f"{live_server.url}/reviews/{review.reference}/publication/")
    page.get_by_role("button", name="Approve the publication plan").click()
    confirm = page.get_by_role("button", name="Confirm and approve the plan")
    expect(confirm).to_be_visible()

    _password_given_minutes_ago(page, 11)
    confirm.click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("autocomplete", "current-password")
    expect(page.get_by_label("Or a code from your authenticator app")).to_have_count(0)
    assert_accessible(page)
    _type_and_send(password, "not-the-password")
    _expect_error(page, "Your password is not right", password)
    assert not PublicationPlan.objects.get(review=review).is_approved

    _type_and_send(password, TEST_PASSWORD)
    # A form sent before the password cannot be replayed: back to the page, to press again.
    expect(confirm).to_be_visible()
    assert not PublicationPlan.objects.get(review=review).is_approved
    assert_accessible(page)
    confirm.click()
    expect(page.get_by_text("Approved by")).to_be_visible()
    assert PublicationPlan.objects.get(review=review).approved_by == chair


def test_exporting_a_chronology_ten_minutes_on_asks_again_then_downloads_it(
    page: Page, live_server, manager, chair
):
    agency = AgencyFactory(name="Northshire Homes")
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    cast = Cast(manager=manager, chair=chair, leads={agency.pk: lead})
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[agency],
        terms=PERIOD_2025,
        reports="secured",
    )
    report = built.report_of(agency)
    chronology_entry_save(
        report=report,
        actor=lead,
        occurred_on=date(2025, 3, 4),
        occurred_time=None,
        approximate=False,
        what_happened="Invented: a tenancy officer visited the flat.",
        practitioner_role="Tenancy officer",
        source_reference="",
        analysis="",
    )
    report_advance(report, cast=cast, to="submitted")  # now the panel's to read
    # The manager has set up an app, so a code will do instead of the password.
    device = authenticator_start(person=manager)
    assert authenticator_confirm(person=manager, device=device, code=_code(device.bin_key))
    _password(page, live_server, manager)
    _type_and_send(page.get_by_label("Code", exact=True), _code(device.bin_key, steps_ahead=1))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    page.goto(f"{live_server.url}/reviews/{built.review.reference}/reports/{report.pk}/chronology/")
    _password_given_minutes_ago(page, 11)
    page.get_by_role("link", name="Download as CSV").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    _expect_code_field(page.get_by_label("Or a code from your authenticator app"))
    assert_accessible(page)
    password = page.get_by_label("Password")
    _type_and_send(password, "not-the-password")
    _expect_error(page, "Your password is not right", password)

    with page.expect_download() as download:
        _type_and_send(password, TEST_PASSWORD)
    assert download.value.suggested_filename == (
        f"{built.review.reference}-chronology-{agency.pk}.csv"
    )
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Invented: a tenancy officer visited the flat." in row for row in rows)
