"""The proxy's own error pages (deploy/errors/) in a real browser, sent with the headers
deploy/nginx.conf gives them: their inline style applies under that CSP, they reflow at 320
pixels and axe-core finds nothing wrong."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.test_proxy import ERRORS, PAGES, errors_location, header

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("name", "heading"), sorted(set(PAGES.values())))
def test_an_error_page_is_styled_under_its_csp_reflows_and_is_accessible(page: Page, name, heading):
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": header(errors_location(), "Content-Security-Policy"),
    }
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    body = (ERRORS / name).read_bytes()
    page.route(
        "http://proxy.test/**", lambda route: route.fulfill(status=502, headers=headers, body=body)
    )

    page.goto(f"http://proxy.test/_errors/{name}")
    expect(page).to_have_title(f"{heading} \N{EN DASH} SCR manager")
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    banner = page.get_by_role("banner")
    expect(banner).to_have_css("background-color", "rgb(11, 12, 12)")
    expect(page.locator("h1")).to_have_css("font-weight", "700")
    assert not [text for text in refused if "Content Security Policy" in text], refused
    assert_accessible(page, app_stylesheet=False)

    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, app_stylesheet=False)
