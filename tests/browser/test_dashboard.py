"""The board's dashboard and the review list it leads to, in a real browser, with an
accessibility scan on every page and state reached."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.models import Deadline
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AgencyFactory, DeadlineFactory, ReviewFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _decided(manager, subject: str, due_in_days: int):
    """A decided review whose six-month target falls ``due_in_days`` from today."""
    today = timezone.localdate()
    review = ReviewFactory(
        decided=True,
        created_by=manager,
        subject_reference=subject,
        referred_on=today - timedelta(days=200),
        incident_date=today - timedelta(days=210),
    )
    DeadlineFactory(
        review=review, kind=Deadline.Kind.REVIEW_COMPLETE, due_on=today + timedelta(due_in_days)
    )
    return review


@pytest.fixture
def board(manager, agency):
    """Reviews at several points against their target, one awaiting the chair's decision, and
    an agency (Northshire Constabulary) with an overdue management report."""
    police = agency
    awaiting = ReviewFactory(created_by=manager, subject_reference="Child B")
    over = _decided(manager, "Child C", -12)
    _decided(manager, "Child D", 10)
    _decided(manager, "Child E", 120)
    DeadlineFactory(
        review=over,
        kind=Deadline.Kind.AGENCY_REPORT,
        owner_agency=police,
        due_on=timezone.localdate() - timedelta(days=3),
    )
    return {"awaiting": awaiting, "over": over, "police": police}


def test_manager_reads_the_dashboard_and_follows_its_figures(
    page: Page, live_server, manager, board
):
    sign_in(page, live_server, manager)
    expect(page).to_have_url(f"{live_server.url}/reviews/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    chart = "Open reviews against target at the end of each month"
    expect(page.get_by_role("img", name=chart)).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(f"^{chart}"))).to_be_visible()
    expect(page.get_by_text("At risk: 28 days or fewer left")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="1 review: awaiting decision").click()
    expect(page.get_by_role("link", name=board["awaiting"].reference)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(board["awaiting"].reference))).to_contain_text(
        "Child B"
    )
    expect(page.get_by_role("link", name=board["over"].reference)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="1 overdue deadline, Northshire Constabulary").click()
    expect(page.get_by_role("heading", name="Deadlines")).to_be_visible()
    expect(page.get_by_role("cell", name="Management report", exact=True)).to_be_visible()
    assert_accessible(page)


def test_review_list_searches_sorts_and_filters(page: Page, live_server, manager, board):
    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Reviews", exact=True).click()

    page.get_by_role("link", name="Against target").click()
    header = page.get_by_role("columnheader", name="Against target")
    expect(header).to_have_attribute("aria-sort", "ascending")
    first = page.locator("tbody tr").first
    expect(first).to_contain_text(board["over"].reference)
    assert_accessible(page)
    page.get_by_role("link", name="Against target").click()
    expect(header).to_have_attribute("aria-sort", "descending")

    page.get_by_label("Search").fill("Canary Realname")
    page.get_by_label("Stage").select_option(label="Awaiting decision")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=board["awaiting"].reference)).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_label("Search")).to_have_value("Canary Realname")
    assert "Canary" not in page.url
    assert_accessible(page)

    page.get_by_label("Search").fill("x" * 101)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("100 characters or fewer")
    assert_accessible(page)


def test_an_agency_lead_keeps_the_review_list_as_home(page: Page, live_server):
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    sign_in(page, live_server, lead)
    expect(page).to_have_url(f"{live_server.url}/reviews/")
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    response = page.goto(f"{live_server.url}/reviews/dashboard/")
    assert response.status == 403
    assert_accessible(page)
