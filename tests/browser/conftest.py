"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browser here, so it launches /usr/bin/chromium. Every page
a journey reaches is scanned with axe-core for WCAG 2.2 AA and must show no violation.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.factories import TEST_PASSWORD

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()
_STYLESHEET_LOADED = """() => [...document.styleSheets].some(
    (sheet) => (sheet.href || "").includes("/build/css/app.css") && sheet.cssRules.length > 0
)"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    """The live server speaks plain HTTP, so cookies cannot be Secure-only here. The journeys
    sign in with a password alone, as `make run`'s demo accounts do (the second factor has its
    own tests in tests/agencies/test_two_factor.py)."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SCR_MFA_REQUIRED_ROLES = []


def _violations_report(url: str, violations: list[dict]) -> str:
    """One block per violation: its rule id, impact and help text, then every node it hit."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    target: {', '.join(map(str, node['target']))}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Page, *, app_stylesheet: bool = True) -> None:
    """Run axe-core on the page as it is now; fail listing every violation.

    The built stylesheet must have loaded first: without it the colour-contrast rule checks
    the browser's defaults, not the service's colours. (``app_stylesheet=False`` for the
    proxy's error pages, which carry their own.)
    """
    if app_stylesheet:
        # A page is in the DOM before its stylesheet has finished loading: wait for it (a
        # loaded machine can take a moment), failing only if it never comes.
        try:
            page.wait_for_function(_STYLESHEET_LOADED, timeout=10_000)
        except PlaywrightTimeoutError:
            pytest.fail(f"{page.url}: static/build/css/app.css did not load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, _violations_report(page.url, violations)


def sign_in(page: Page, live_server, person) -> None:
    """Sign in through the real sign-in page, checking it is accessible."""
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Home: the dashboard for board managers and chairs, the review list for everyone else.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^(Dashboard|Reviews)$"))
