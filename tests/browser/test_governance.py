"""The board's information governance in a real browser: a review's audit trail (filtered, and
a mistaken filter), then the reviews past retention, keeping one (a mistake first) and
destroying another, with an accessibility scan of each page."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reviews.services.closing import review_withdraw
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ReviewFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_board_manager_reads_the_trail_and_decides_on_retention(
    page: Page, live_server, manager, settings, erase_function
):
    settings.SCR_RETENTION_YEARS = 0
    kept = ReviewFactory(created_by=manager, subject_reference="Child K")
    destroyed = ReviewFactory(created_by=manager, subject_reference="Child D")
    for review in (kept, destroyed):
        review_withdraw(review=review, actor=manager, reason="Withdrawn for the test.")

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/reviews/{kept.reference}/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_role("heading", name=f"Review {kept.pk}: Created")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Access log").check()
    page.get_by_role("button", name="Filter the audit trail").click()
    looked = f"View audit trail {kept.reference}: allowed"
    expect(page.get_by_role("heading", name=looked).first).to_be_visible()
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_role("group", name="From").get_by_label("Year").fill(str(today.year + 1))
    page.get_by_role("group", name="From").get_by_label("Month").fill("1")
    page.get_by_role("group", name="From").get_by_label("Day").fill("1")
    page.get_by_role("group", name="To").get_by_label("Year").fill(str(today.year))
    page.get_by_role("group", name="To").get_by_label("Month").fill("1")
    page.get_by_role("group", name="To").get_by_label("Day").fill("1")
    page.get_by_role("button", name="Filter the audit trail").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/board/retention/")
    expect(page.get_by_role("heading", name="Reviews past the retention period")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Keep {kept.reference} longer").click()
    page.get_by_role("button", name="Keep the review").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill(str(today.year + 2))
    page.get_by_label("Why the board keeps it longer").fill("A civil claim is pending.")
    page.get_by_role("button", name="Keep the review").click()
    expect(page.get_by_text(f"{kept.reference} will be kept")).to_be_visible()
    expect(page.get_by_role("link", name=f"Keep {kept.reference} longer")).to_have_count(0)

    page.get_by_role("link", name=f"Destroy {destroyed.reference}'s records").click()
    assert_accessible(page)
    page.get_by_label("Why the board destroys its records").fill("Past the retention period.")
    page.get_by_label("Type the review's reference to confirm").fill(destroyed.reference)
    page.get_by_role("button", name="Destroy the records").click()
    expect(page.get_by_role("heading", name="Records destroyed")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}{destroyed.get_absolute_url()}")
    expect(
        page.get_by_role("heading", name=f"{destroyed.reference} no longer exists")
    ).to_be_visible()
    assert_accessible(page)
