"""The publication version in a real browser: the board manager makes it from the agreed report,
the identifier check finds a worker's name (shown only as whose it is), the board manager marks
it not identifying (an error first, without a reason), the chair reads and approves the text,
and the board manager publishes it; an accessibility scan of each page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from publication.models import Publication
from reviews.models import Review
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    AgencyFactory,
    BoardResponseFactory,
    InterviewFactory,
    OverviewAgreementFactory,
    OverviewVersionFactory,
    PseudonymEntryFactory,
    PublicationPlanFactory,
    ReportRequestFactory,
    ReviewFactory,
    ThemeFactory,
)
from tests.publication.conftest import SECTIONS, WORKER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def ready(manager):
    """A review at publication: its report's text agreed, a map, a worker interviewed, the
    board's response agreed, and a plan to publish in full today, the national bodies sent the
    report ten days ago."""
    review = ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION, created_by=manager)
    overview = OverviewVersionFactory(review=review, sections=SECTIONS)
    OverviewAgreementFactory(draft__review=review, version=overview)
    PseudonymEntryFactory(
        review=review, real_value="Leo James Farrant", replacement="Child A", kind="person"
    )
    police = AgencyFactory(name="Northshire Police")
    InterviewFactory(request=ReportRequestFactory(review=review, agency=police), worker_name=WORKER)
    BoardResponseFactory(review=review, agreed=True, updated_by=manager)
    today = timezone.localdate()
    PublicationPlanFactory(
        review=review, planned_on=today, national_bodies_sent_on=today - timedelta(days=10)
    )
    ThemeFactory(name="Neglect")
    return review


def test_made_checked_approved_and_published(page: Page, live_server, browser, ready, chair):
    review, manager = ready, ready.created_by
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/reviews/{review.reference}/publication/")
    page.get_by_role("link", name="Make the publication version").click()
    page.get_by_role("button", name="Make the publication version").click()
    expect(page.get_by_role("heading", name="Make the publication version")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Make the publication version").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Leo Farrant: Serious Case Review report")
    page.get_by_role("button", name="Make the publication version").click()

    expect(page.get_by_role("heading", name="Publication version", exact=True)).to_be_visible()
    expect(page.get_by_text("Child A: Serious Case Review report")).to_be_visible()
    expect(page.get_by_text("A worker's name (interview 1, Northshire Police)")).to_be_visible()
    expect(page.locator("#check-result")).to_contain_text("1 not resolved")
    assert WORKER not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Mark not identifying").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mark not identifying").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why this does not identify anyone"
    )
    assert_accessible(page)
    page.get_by_label("Why does this not identify anyone?").fill(
        "The officer's name is already public from the trial."
    )
    page.get_by_role("button", name="Mark not identifying").click()
    expect(page.locator("#check-result")).to_contain_text("Every hit resolved")
    assert_accessible(page)

    chair_page = browser.new_context().new_page()
    sign_in(chair_page, live_server, chair)
    chair_page.goto(f"{live_server.url}/reviews/{review.reference}/publication/")
    chair_page.get_by_role("button", name="Approve the publication plan").click()
    expect(chair_page.get_by_role("heading", name="The text you are approving")).to_be_visible()
    expect(chair_page.locator("#version-text")).to_contain_text("Child A lived with his mother")
    expect(chair_page.locator("#check-result")).to_contain_text("Every hit resolved")
    assert WORKER not in chair_page.content()
    assert_accessible(chair_page)
    chair_page.get_by_role("button", name="Confirm and approve the plan").click()
    expect(chair_page.locator("#approval")).to_contain_text("(publication version 1)")
    assert_accessible(chair_page)

    page.goto(f"{live_server.url}/reviews/{review.reference}/publication/")
    page.get_by_role("link", name="Publish the report").click()
    expect(page.get_by_role("heading", name="Publish the report")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Neglect").check()
    page.get_by_role("button", name="Publish the report").click()
    expect(page.locator("#published")).to_contain_text("(version 1)")
    assert_accessible(page)
    publication = Publication.objects.get()
    assert [theme.name for theme in publication.themes.all()] == ["Neglect"]
