"""The quality markers in a real browser: the board manager opens a review's quality page from
its task list, answers a marker (first with a mistake), opens the board's view from the
navigation and has the markers counted, with an accessibility scan of each page on the way."""

import pytest
from playwright.sync_api import Page, expect

from reviews.models import Review
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import BoardResponseFactory, FamilyMemberFactory, ReviewFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_board_manager_answers_a_marker_and_reads_the_boards_view(
    page: Page, live_server, manager
):
    review = ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION)
    FamilyMemberFactory(review=review)
    BoardResponseFactory(review=review)

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="Quality markers").click()
    expect(page.get_by_role("heading", name="Quality markers", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Answer advising board members").click()
    expect(page.get_by_role("heading", name="Advising board members", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a note saying why")
    assert_accessible(page)
    page.get_by_label("Partly met").check()
    page.get_by_label("Note").fill("The chair told the board at its next meeting, late.")
    page.get_by_role("button", name="Save the answer").click()

    expect(page.get_by_role("heading", name="Quality markers", level=1)).to_be_visible()
    expect(page.get_by_text("The chair told the board at its next meeting, late.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.get_by_role("link", name="Quality markers across the board's reviews").click()
    expect(
        page.get_by_role("heading", name="Quality markers across the board's reviews")
    ).to_be_visible()
    expect(page.get_by_text("The markers have not been counted yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Count the markers").click()
    expect(page.get_by_text("Counting the quality markers again")).to_be_visible()
    expect(page.get_by_role("link", name=review.reference).first).to_be_visible()
    expect(page.get_by_role("button", name="Count again")).to_be_visible()
    assert_accessible(page)
