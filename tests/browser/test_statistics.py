"""The board's statistics in a real browser: the board's view, the view as shared outside the
board and a bad year, each scanned with axe; a chart read as an image by its title."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from reviews.frameworks import Outcome
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ReviewFactory, ThresholdDecisionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def decided(manager):
    """Seven decisions in the April 2025 year: 2 reviews initiated, 5 with no further action."""
    for outcome, number in ((Outcome.INITIATE, 2), (Outcome.NO_FURTHER_ACTION, 5)):
        for _ in range(number):
            review = ReviewFactory(
                created_by=manager, referred_on=date(2025, 5, 1), incident_date=date(2025, 5, 1)
            )
            ThresholdDecisionFactory(review=review, decided_on=date(2025, 5, 8), outcome=outcome)


def test_the_chair_reads_the_statistics_as_the_board_and_as_shared(
    page: Page, live_server, chair, decided
):
    sign_in(page, live_server, chair)
    page.goto(f"{live_server.url}/board/statistics/")
    expect(page.get_by_role("heading", name="The board's statistics", level=1)).to_be_visible()
    page.get_by_label("Year the reporting year starts in").fill("2025")
    page.get_by_role("button", name="Show the statistics").click()
    expect(page.get_by_role("heading", name="1 April 2025 to 31 March 2026")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("^Decisions by outcome: bar chart"))
    expect(chart).to_be_visible()
    outcomes = page.get_by_role("table", name="Decisions by outcome")
    expect(outcomes.get_by_role("row", name=re.compile("^All decisions"))).to_contain_text("7")
    expect(outcomes.get_by_role("row", name=re.compile("^Initiate the review"))).to_contain_text(
        "2"
    )
    assert_accessible(page)

    page.get_by_label("As shared outside the board (small counts suppressed)").check()
    page.get_by_role("button", name="Show the statistics").click()
    expect(page.get_by_text("As shared outside the board.", exact=True)).to_be_visible()
    outcomes = page.get_by_role("table", name="Decisions by outcome")
    expect(outcomes.get_by_role("row", name=re.compile("^Initiate the review"))).to_contain_text(
        "fewer than 5"
    )
    expect(outcomes.get_by_role("row", name=re.compile("^No further action"))).to_contain_text(
        "withheld"
    )
    assert_accessible(page)


def test_a_bad_year_is_explained(page: Page, live_server, manager):
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/board/statistics/?year=1999")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name=re.compile("^Enter a year from 2000 to"))).to_be_visible()
    assert_accessible(page)
