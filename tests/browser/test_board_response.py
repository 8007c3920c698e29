"""The board's response in a real browser: the board manager drafts it (markup typed in prints
as text), is refused recording it agreed without a meeting, records it agreed; the public page
of the published report shows it. Each page scanned with axe."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reviews.models import Review
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import BoardResponseFactory, PublicationFactory, ReviewFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "The board accepts every finding.\n\n<script>alert('x')</script> will print as text."


def test_the_board_manager_drafts_and_records_the_response(page: Page, live_server, manager):
    review = ReviewFactory(decided=True, stage=Review.Stage.ACTION_PLAN, created_by=manager)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/reviews/{review.reference}/publication/response/")
    expect(page.get_by_text("The board's response has not been drafted yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Draft the response").click()
    expect(page.get_by_role("heading", name="Draft the board's response")).to_be_visible()
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_role("link", name="Enter the board's response")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The board's response").fill(TEXT)
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_text("The board's response is saved")).to_be_visible()
    expect(page.get_by_text("<script>alert('x')</script> will print as text.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record the board's agreement").click()
    expect(page.get_by_role("heading", name="Record the board's agreement")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the board's agreement").click()
    expect(page.get_by_role("link", name="Enter the board meeting that agreed")).to_be_visible()
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Board meeting").fill("Board meeting, spring")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record the board's agreement").click()
    expect(page.get_by_text("The board's response is recorded agreed")).to_be_visible()
    expect(page.get_by_text(f"Board meeting, spring on {today:%-d %B %Y}")).to_be_visible()
    expect(page.get_by_role("button", name="Correct the response")).to_have_count(0)
    assert_accessible(page)
    assert dialogs == []


def test_the_public_page_shows_the_agreed_response(page: Page, live_server):
    publication = PublicationFactory(version__title="Child Q: a serious case review")
    BoardResponseFactory(
        review=publication.review,
        text="The board accepts the findings.",
        agreed=True,
        updated_by=publication.review.created_by,
    )
    page.goto(f"{live_server.url}/publications/{publication.pk}/")
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="The board's response"
    ).click()
    expect(page.get_by_role("heading", name="The board's response")).to_be_visible()
    expect(page.get_by_text("The board accepts the findings.")).to_be_visible()
    assert_accessible(page)
