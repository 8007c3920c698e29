"""The combined chronology in a real browser: the author filters it, meets a bad date, and
marks a key practice episode; every page is scanned with axe-core, and the page does not
scroll sideways at 320 pixels."""

import re
from datetime import date, time

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reviews.models import KeyEpisode
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ChronologyEntryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_author_filters_the_combined_chronology_and_marks_a_key_episode(
    page: Page, live_server, overview
):
    first, second = overview.reports
    for report, at, text in (
        (first, time(9, 0), "Police attended a call about shouting."),
        (second, time(11, 30), "Health visitor found the home cold."),
    ):
        ChronologyEntryFactory(
            request=report, occurred_on=date(2025, 3, 4), occurred_time=at, what_happened=text
        )
    ChronologyEntryFactory(
        request=second, occurred_on=date(2025, 6, 1), what_happened="Clinic appointment missed."
    )
    sign_in(page, live_server, overview.author)
    page.goto(live_server.url + reverse("reviews:overview", args=[overview.review.reference]))
    page.get_by_role("link", name="Combined chronology of every accepted agency").click()
    expect(page.get_by_role("heading", name="Combined chronology")).to_be_visible()
    expect(page.get_by_role("rowheader", name="4 Mar 2025")).to_be_visible()
    assert_accessible(page)

    page.get_by_label(str(second.agency)).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("2 entries matching the filters")).to_be_visible()
    expect(page.get_by_text("Police attended a call")).to_have_count(0)

    page.get_by_role("group", name="From").get_by_label("Day").fill("31")
    page.get_by_role("group", name="From").get_by_label("Month").fill("2")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Start date must be a real date")
    expect(page.get_by_text("Health visitor found the home cold.")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name=re.compile(r"^Mark as key episode.*4 March 2025")).first.click()
    page.get_by_role("button", name="Save key practice episode").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why this is a key practice episode"
    )
    assert_accessible(page)
    page.get_by_label("Why this is a key practice episode").fill("No referral was made.")
    page.get_by_role("button", name="Save key practice episode").click()
    expect(page.get_by_role("alert")).to_contain_text("Key practice episode saved")
    page.get_by_label("Key practice episodes only").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 entry matching the filters")).to_be_visible()
    expect(page.get_by_text("No referral was made.")).to_be_visible()
    assert_accessible(page)
    assert KeyEpisode.objects.get().marked_by == overview.author

    # At 320 pixels the page does not scroll sideways: the table scrolls in its own box.
    page.set_viewport_size({"width": 320, "height": 640})
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".app-table-wrapper table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
