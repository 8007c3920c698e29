"""At 320 CSS pixels wide (a small phone, or 1280 zoomed to 400%: WCAG 1.4.10 reflow) no page
of tables scrolls sideways: each table scrolls inside its own labelled, focusable box."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from agencies.models import User
from demo.management.commands.demo_data import DEMO_PASSWORD
from reviews.models import ReportRequest, Review
from tests.browser.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_PAGE_WIDTH = "document.documentElement.scrollWidth"
_TABLES_SCROLL_INSIDE = """() => [...document.querySelectorAll("table")].every((table) => {
    const box = table.parentElement;
    return box.matches(".app-table-wrapper[role=region][tabindex='0'][aria-label]")
        && box.clientWidth <= document.documentElement.clientWidth;
})"""


def _table_pages() -> list[str]:
    """The pages of the demo data that show tables, the dashboard included, as the board
    manager sees them."""
    child_a = Review.objects.get(subject_reference="Child A")
    report = ReportRequest.objects.get(review=child_a, status=ReportRequest.Status.SUBMITTED)
    on_report = [child_a.reference, report.pk]
    plan = Review.objects.get(subject_reference="Child C").reference
    drafts = Review.objects.get(subject_reference="Adult D").reference
    return [
        reverse("reviews:dashboard"),
        reverse("reviews:list"),
        reverse("reviews:tasks"),
        reverse("agencies:people"),
        reverse("agencies:list"),
        reverse("outbox:list"),
        reverse("reviews:panel", args=[child_a.reference]),
        reverse("reviews:report", args=on_report),
        reverse("reviews:chronology", args=on_report),
        reverse("reviews:interviews", args=on_report),
        reverse("reviews:overview", args=[drafts]),
        reverse("reviews:actions", args=[plan]),
    ]


def test_table_pages_do_not_scroll_sideways_at_320_pixels(page: Page, live_server, settings):
    settings.DEBUG = True  # the demo data refuses to load otherwise
    call_command("demo_data", stdout=StringIO())
    settings.DEBUG = False
    manager = User.objects.get(email="manager@northshire.example")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    wide = []
    for path in _table_pages():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("table").first).to_be_visible()
        if page.evaluate(_PAGE_WIDTH) > 320 or not page.evaluate(_TABLES_SCROLL_INSIDE):
            wide.append((path, page.evaluate(_PAGE_WIDTH)))
            continue
        assert_accessible(page)
    assert wide == []
    # The reviews' table is wider than the screen: its box scrolls, by keyboard too.
    page.goto(f"{live_server.url}{reverse('reviews:list')}")
    box = page.get_by_role("region", name="Reviews")
    assert box.evaluate("(box) => box.scrollWidth > box.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.app-table-wrapper').scrollLeft > 0")
