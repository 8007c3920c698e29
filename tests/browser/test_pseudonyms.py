"""The pseudonym map in a real browser: the board manager fills it from the review's records,
adds a school by hand and checks a text against it, with an accessibility scan of each page
(and the check's results at 320 pixels wide)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ReferralFamilyMemberFactory, ReviewFactory, SubjectIdentityFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_board_manager_fills_the_map_and_checks_a_text(page: Page, live_server, manager):
    review = ReviewFactory(created_by=manager, identity=None)
    SubjectIdentityFactory(review=review, full_name="Leo Farrant")
    ReferralFamilyMemberFactory(review=review, name="Kerry Farrant")

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="Pseudonym map").click()
    expect(page.get_by_role("heading", name="Pseudonym map")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Fill from the review's records").click()
    expect(page.get_by_text("2 added from the review's records")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Kerry Farrant")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add an entry").click()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Real value").fill("Mill Lane Primary School")
    page.get_by_label("Replacement").fill("the child's school")
    page.get_by_label("Organisation").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("rowheader", name="Mill Lane Primary School")).to_be_visible()

    page.get_by_role("link", name="Check text for identifiers").click()
    assert_accessible(page)
    page.get_by_label("Text to check").fill(
        "<script>alert(1)</script> Leo's mother, K. Farrant, took him to mill lane primary school."
    )
    page.get_by_role("button", name="Check the text").click()
    expect(page.get_by_role("heading", name="3 entries found")).to_be_visible()
    expect(page.locator("mark", has_text="K. Farrant")).to_be_visible()
    expect(page.locator("li", has_text="<script>alert(1)</script>").first).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
