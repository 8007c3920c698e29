"""The review page in a real browser: where the review stands as a GOV.UK task list, what
happens next, and the timeline filtered and folded, with an accessibility scan of each state,
as the board manager and as an agency lead."""

import pytest
from playwright.sync_api import Page, expect

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.builders import Cast, review_at
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _lead(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return lead


def test_the_task_list_and_timeline_as_the_board_manager_and_an_agency_lead(
    page: Page, live_server, browser, manager, chair
):
    police, school = AgencyFactory(name="Northshire Police"), AgencyFactory(name="Riverside School")
    cast = Cast(
        manager=manager,
        chair=chair,
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR, first_name="Ash", last_name="Author"),
        panel=[UserFactory(role=Role.PANEL_MEMBER, agency=police)],
        leads={police.pk: _lead(police), school.pk: _lead(school)},
    )
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[police, school],
        terms=PERIOD_2025,
        reports={police: "submitted"},
    )
    url = f"{live_server.url}{built.review.get_absolute_url()}"

    sign_in(page, live_server, manager)
    page.goto(url)
    expect(page.locator("#next-step")).to_contain_text(
        "Waiting for management report from Riverside School."
    )
    police_report = page.get_by_role("link", name="Northshire Police's management report")
    expect(police_report).to_be_visible()
    expect(page.locator(".govuk-task-list__item", has=police_report)).to_contain_text("In progress")
    expect(
        page.locator(".govuk-task-list__item", has_text="Publication plan approved by the chair")
    ).to_contain_text("Cannot start yet")
    assert_accessible(page)

    page.get_by_label("Access changes").check()
    page.get_by_role("button", name="Filter the timeline").click()
    expect(page.get_by_label("Access changes")).to_be_checked()
    expect(page.get_by_text("Terms of reference set")).to_have_count(0)
    page.get_by_text("2 access changes").click()
    expect(page.get_by_text("Access granted to Ash Author")).to_be_visible()
    assert_accessible(page)

    police_report.click()
    expect(page.get_by_role("heading", name="Northshire Police")).to_be_visible()

    lead_page = browser.new_context().new_page()
    sign_in(lead_page, live_server, cast.lead_of(school))
    lead_page.goto(url)
    expect(lead_page.locator("#next-step")).to_contain_text(
        "Waiting for management report from your agency, Riverside School."
    )
    expect(
        lead_page.get_by_role("link", name="Riverside School's management report")
    ).to_be_visible()
    expect(lead_page.get_by_text("Northshire Police's management report")).to_have_count(0)
    expect(lead_page.get_by_text("Panel members seated")).to_have_count(0)
    expect(lead_page.get_by_text("Access granted to")).to_have_count(0)
    assert_accessible(lead_page)
