"""The idle-timeout warning in a real browser, driven by Playwright's fake clock (no sleeps)."""

import pytest
from playwright.sync_api import Page, expect

from agencies.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_timeout_warning_is_focused_accessible_and_extends_the_session(
    page: Page, live_server, settings
):
    settings.SCR_IDLE_SECONDS = 300
    page.clock.install()
    sign_in(page, live_server, UserFactory(role=Role.BOARD_MANAGER))
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_hidden()

    page.clock.run_for("03:01")  # two minutes before the end of five
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    expect(dialog).to_contain_text("signed out in 2 minutes")
    assert_accessible(page)

    with page.expect_response("**/session/extend/") as extended:
        page.keyboard.press("Escape")
    assert extended.value.json() == {"expires_in": 300}
    expect(dialog).to_be_hidden()

    page.clock.run_for("03:01")
    expect(dialog).to_be_visible()
    page.clock.run_for("02:00")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?timed_out=1")
    expect(
        page.get_by_text("You were signed out because you had not done anything")
    ).to_be_visible()
