"""Closing a review in a real browser, with an accessibility scan on every page and state
reached: the board manager withdraws a review, and signs off one whose actions are complete."""

import re

import pytest
from playwright.sync_api import Page, expect

from publication.builders import publication_plan_build
from publication.models import PublicationPlan
from reviews.builders import cast_create, review_at
from reviews.models import Action, Review
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, AgencyFactory, ReviewFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_board_manager_withdraws_a_review(page: Page, live_server, manager):
    review = ReviewFactory(created_by=manager)
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("button", name="Withdraw the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the review")
    expect(page.locator(".govuk-warning-text")).to_contain_text("You cannot undo this.")
    assert_accessible(page)

    page.get_by_role("button", name="Withdraw the review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter why the review is withdrawn")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("Why is the review withdrawn?").fill("The family asked the board to stop.")
    page.get_by_role("button", name="Withdraw the review").click()
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("This review is closed")
    expect(banner).to_contain_text("Withdrawn")
    expect(banner).to_contain_text("The family asked the board to stop.")
    expect(page.get_by_role("button", name="Withdraw the review")).to_have_count(0)
    assert_accessible(page)
    review.refresh_from_db()
    assert review.closed_how == Review.Closure.WITHDRAWN


def test_the_board_manager_signs_off_a_review_whose_actions_are_complete(page: Page, live_server):
    agency = AgencyFactory(name="Northshire Police")
    cast = cast_create(agencies=[agency], password=TEST_PASSWORD)
    done = (Action.Status.COMPLETE, "Checks run weekly.", "Audit of March: all on time.")
    built = review_at(
        "publication",
        cast=cast,
        agencies_in_scope=[agency],
        recommendations=["Share attendance data."],
        actions=[{"recommendation": 0, "progress": done}],
    )
    publication_plan_build(
        built, form=PublicationPlan.Form.NONE, rationale="Shared in briefings.", approved=True
    )
    sign_in(page, live_server, cast.manager)
    page.goto(f"{live_server.url}{built.review.get_absolute_url()}")
    page.get_by_role("button", name="Sign off the review").click()
    expect(page.get_by_text("Every action of the plan is complete with evidence")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign off the review").click()
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("This review is closed")
    expect(banner).to_contain_text("Signed off")
    expect(page.get_by_role("button", name="Sign off the review")).to_have_count(0)
    assert_accessible(page)
