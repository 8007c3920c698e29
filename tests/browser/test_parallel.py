"""Parallel processes in a real browser: the board manager records criminal proceedings that
stop the clock and hold publication (first with a mistake), sees where they hold the clock,
corrects them and records their end, with an accessibility scan of every page on the way."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.models import Role
from reviews.builders import Cast, review_at
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _date(page: Page, field: str, day) -> None:
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def test_the_board_manager_records_corrects_and_ends_a_parallel_process(
    page: Page, live_server, manager, chair
):
    police = AgencyFactory(name="Northshire Police")
    cast = Cast(
        manager=manager, chair=chair, panel=[UserFactory(role=Role.PANEL_MEMBER, agency=police)]
    )
    review = review_at("convened", cast=cast, agencies_in_scope=[police], terms=PERIOD_2025).review
    today = timezone.localdate()
    since = f"since {today:%-d %B %Y}"

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="Parallel processes").click()
    expect(page.get_by_role("heading", name="Parallel processes", level=1)).to_be_visible()
    expect(page.get_by_text("No parallel process has been recorded.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record a process").click()
    expect(page.get_by_role("heading", name="Record a parallel process")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Criminal proceedings").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the organisation that runs it")
    assert_accessible(page)

    page.get_by_label("Organisation that runs it").fill("Northshire Constabulary")
    page.get_by_label("Who the board deals with about it").fill("DCI Invented")
    _date(page, "started_on", today)
    page.get_by_label("Stops the clock").check()
    page.get_by_label("Holds publication").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("#parallel-holds")).to_contain_text(
        f"The clock is stopped while criminal proceedings run, {since}"
    )
    expect(page.locator("#parallel-holds")).to_contain_text("The report is held while")
    assert_accessible(page)

    page.goto(f"{live_server.url}/reviews/{review.reference}/clock/")
    expect(page.locator("#clock-held")).to_contain_text(f"criminal proceedings run, {since}")
    assert_accessible(page)
    page.goto(f"{live_server.url}/reviews/{review.reference}/parallel/")

    page.get_by_role("link", name="Criminal proceedings").click()
    expect(page.get_by_role("heading", name="Criminal proceedings", level=1)).to_be_visible()
    expect(page.locator("#history")).to_contain_text("recorded")
    assert_accessible(page)

    page.get_by_role("button", name="Change it").click()
    expect(page.get_by_role("heading", name="Change the criminal proceedings")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who the board deals with about it").fill("DI Someone Else")
    page.get_by_label("Holds publication").uncheck()
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("DI Someone Else")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("corrected")
    assert_accessible(page)

    page.get_by_role("button", name="Record its end").click()
    expect(
        page.get_by_role("heading", name="Record the end of the criminal proceedings")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the end").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter how it ended")
    assert_accessible(page)
    _date(page, "ended_on", today)
    page.get_by_label("How did it end?").fill("No charges will be brought.")
    page.get_by_role("button", name="Record the end").click()
    expect(page.get_by_role("heading", name="Parallel processes", level=1)).to_be_visible()
    expect(page.locator("#parallel-holds")).to_have_count(0)
    expect(page.get_by_text("Ended", exact=True)).to_be_visible()
    assert_accessible(page)
