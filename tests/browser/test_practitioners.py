"""Practitioners' comments in a real browser: the author sends a worker the passages about
their practice; the worker's agency's lead finds them in My tasks, reads the pack with the
worker's name and records the answer; the author reads it beside what was sent. An
accessibility scan of each page, its error states included."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.reviews import test_practitioners

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A review at stage 5 with a worker of Health interviewed (the reviews tests' world).
world = test_practitioners.world


def test_the_author_sends_the_lead_records_and_the_author_reads(
    page: Page, live_server, world, browser
):
    reference = world.review.reference
    sign_in(page, live_server, world.author)
    page.goto(f"{live_server.url}/reviews/{reference}/overview/")
    page.get_by_role("link", name="Practitioners' comments on the passages").click()
    expect(page.get_by_role("heading", name="Practitioners' comments")).to_be_visible()
    expect(page.get_by_text("Nothing has been sent to a worker yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send passages to a worker").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Select the worker")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Health Visitor 1, Health Trust").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Send passages to Health Visitor 1")).to_be_visible()
    expect(page.get_by_text("Police: Home visit")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Start the passages from a section").select_option(
        label="Analysis of each agency's involvement"
    )
    page.get_by_role("button", name="Use this section").click()
    extract = page.get_by_label("Passages of the draft report")
    expect(extract).to_have_value("The health visitor saw the bruise and did not ask.")
    page.get_by_label("Day").fill("")
    page.get_by_role("button", name="Send to their agency's leads").click()
    expect(page.get_by_role("link", name="Date for comments must include a day")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Day").fill("28")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill(str(world.review.referred_on.year + 1))
    page.get_by_label("Health Trust: Home visit: bruise seen.", exact=False).check()
    page.get_by_role("button", name="Send to their agency's leads").click()

    expect(page.get_by_role("heading", name="Passages for Health Visitor 1")).to_be_visible()
    expect(page.get_by_text(test_practitioners.WORKER)).to_have_count(0)
    assert_accessible(page)

    lead_page = browser.new_context().new_page()
    sign_in(lead_page, live_server, world.lead)
    lead_page.get_by_role("link", name="My tasks").click()
    lead_page.get_by_role(
        "link",
        name=f"Pass the passages about their practice to Health Visitor 1 and record their "
        f"comments for {reference}",
    ).click()
    expect(lead_page.get_by_text(test_practitioners.WORKER).first).to_be_visible()
    expect(
        lead_page.get_by_text("The health visitor saw the bruise and did not ask.")
    ).to_be_visible()
    assert_accessible(lead_page)
    lead_page.emulate_media(media="print")
    expect(lead_page.get_by_role("button", name="Record the worker's answer")).to_be_hidden()
    lead_page.emulate_media(media="screen")
    lead_page.get_by_role("button", name="Record the worker's answer").click()
    lead_page.get_by_role("button", name="Record the answer").click()
    expect(lead_page.get_by_role("link", name="Select what the worker said")).to_be_visible()
    assert_accessible(lead_page)
    lead_page.get_by_label("They sent comments").check()
    lead_page.get_by_label("The worker's comments").fill("I did ask; the mother said he fell.")
    lead_page.get_by_role("button", name="Record the answer").click()
    expect(lead_page.get_by_text("The worker's answer is recorded")).to_be_visible()
    assert_accessible(lead_page)

    page.goto(f"{live_server.url}/reviews/{reference}/overview/practitioners/")
    expect(page.get_by_text("I did ask; the mother said he fell.")).to_be_visible()
    expect(page.get_by_text("Comments received").first).to_be_visible()
    expect(page.get_by_text(test_practitioners.WORKER)).to_have_count(0)
    assert_accessible(page)
