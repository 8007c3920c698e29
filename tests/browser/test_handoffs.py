"""Handoffs in a real browser: each person finds what waits for them on "My tasks" and does it
from there, with an accessibility scan on every page reached."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reviews.builders import Seat, cast_create, review_at
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, AgencyFactory

# serialized_rollback keeps the role groups that a migration created between tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def cast():
    police = AgencyFactory(name="Northshire Police")
    return cast_create(agencies=[police], password=TEST_PASSWORD), police


def _answer(page: Page, criterion: str, answer: str) -> None:
    page.get_by_role("group", name=criterion).get_by_label(answer, exact=True).check()


def test_the_chair_finds_the_decision_in_my_tasks_and_makes_it(page: Page, live_server, cast):
    cast, police = cast
    reference = review_at("referral", cast=cast, agencies_in_scope=[police]).review.reference
    sign_in(page, live_server, cast.chair)
    page.get_by_role("link", name="Notifications (1)").click()
    expect(page.get_by_role("link", name=f"{reference}: the referral awaits")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="My tasks").click()
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Make the threshold decision for {reference}").click()
    expect(page.get_by_role("heading", name="Record the threshold decision")).to_be_visible()
    _answer(page, "Abuse or neglect of the child is known or suspected", "Yes")
    _answer(page, "The child has died", "No")
    _answer(page, "The child has been seriously harmed", "Yes")
    _answer(page, "There is cause for concern about the way the authority", "Yes")
    for mandatory in ("died in custody", "secure children's home", "suspected suicide"):
        _answer(page, mandatory, "No")
    page.get_by_label("Initiate a Serious Case Review").check()
    today = timezone.localdate()
    page.locator("#id_decided_on_0").fill(str(today.day))
    page.locator("#id_decided_on_1").fill(str(today.month))
    page.locator("#id_decided_on_2").fill(str(today.year))
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Threshold decision recorded")).to_be_visible()

    page.get_by_role("link", name="My tasks").click()
    expect(
        page.get_by_role("link", name=f"Make the threshold decision for {reference}")
    ).to_have_count(0)
    expect(
        page.get_by_role("link", name=f"Appoint the independent overview author for {reference}")
    ).to_be_visible()
    assert_accessible(page)


def test_the_panel_finds_a_submitted_report_and_returns_it(page: Page, live_server, cast, browser):
    cast, police = cast
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[police],
        seats=[Seat(person, panel_role="co_opted") for person in cast.panel],
        reports={police: "submitted"},
        report_due_on=timezone.localdate() + timedelta(weeks=6),
    )
    reference = built.review.reference
    sign_in(page, live_server, cast.panel[0])
    page.get_by_role("link", name="My tasks").click()
    task = f"Accept or return the management report from Northshire Police for {reference}"
    page.get_by_role("link", name=task).click()
    expect(page.get_by_role("heading", name="Northshire Police")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Comments").fill("Add the GP's contacts in March")
    page.get_by_role("button", name="Return for revision").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_role("link", name="My tasks").click()
    expect(page.get_by_role("link", name=task)).to_have_count(0)

    lead_page = browser.new_context().new_page()
    sign_in(lead_page, live_server, cast.lead_of(police))
    lead_page.get_by_role("link", name="My tasks").click()
    expect(lead_page.get_by_text("Add the GP's contacts in March")).to_be_visible()
    expect(
        lead_page.get_by_role(
            "link",
            name=f"Revise the returned management report and submit it again for {reference}",
        )
    ).to_be_visible()
    assert_accessible(lead_page)


def test_a_person_chooses_a_daily_digest(page: Page, live_server, cast):
    cast, _ = cast
    sign_in(page, live_server, cast.author)
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("link", name="choose how you hear about things to do").click()
    expect(page.get_by_role("heading", name="How you hear about things to do")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Management reports").get_by_label(
        "One email a day with everything new"
    ).check()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_text("Your choices are saved")).to_be_visible()
    assert_accessible(page)
