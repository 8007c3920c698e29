"""The board's public site in a real browser, signed in as nobody: the list searched by year
and theme, a full report with its contents, a removed report; each page scanned with axe at
desktop width and at 320 pixels (no sideways scrolling). Then the board manager removes a
publication, refused first without a reason."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from publication.models import PublicationVersion
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PublicationFactory, ThemeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_PAGE_WIDTH = "document.documentElement.scrollWidth"

_BODY = (
    "<h2>Findings</h2><p>Three agencies knew of the family and none shared what it knew.</p>"
    '<table><caption>Contacts</caption><thead><tr><th scope="col">Agency</th>'
    '<th scope="col">Contacts in the period under review</th><th scope="col">Referrals'
    "</th></tr></thead><tbody><tr><td>Health visiting service</td><td>14</td><td>0</td></tr>"
    "</tbody></table>"
    "<h2>Recommendations</h2><ol><li>Agencies share what they know within a day.</li></ol>"
)


def _both_widths(page: Page) -> None:
    """axe at desktop width, then at 320 pixels with no sideways scrolling."""
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(_PAGE_WIDTH) <= 320, page.url
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_anyone_searches_the_public_site_and_reads_a_report(page: Page, live_server):
    neglect, escalation = ThemeFactory(name="Neglect"), ThemeFactory(name="Escalation")
    now = timezone.now()
    for day in range(11):
        PublicationFactory(
            version__title=f"Child {day}: a serious case review",
            published_at=now - timedelta(days=day + 1),
            themes=[neglect],
        )
    full = PublicationFactory(
        version__title="Adult D: a safeguarding adults review of agencieswhoneversharedanything",
        version__form=PublicationVersion.Form.FULL,
        version__body_html=_BODY,
        published_at=datetime(2025, 5, 1, 12, tzinfo=UTC),
        themes=[neglect, escalation],
    )
    removed = PublicationFactory(removed=True)

    page.goto(f"{live_server.url}/publications/")
    expect(page.get_by_role("heading", name="Published reviews")).to_be_visible()
    expect(page.get_by_role("heading", name="12 reports")).to_be_visible()
    expect(page.get_by_role("navigation", name="Pagination")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)
    _both_widths(page)

    page.get_by_label("Year published").select_option("2025")
    page.get_by_label("Escalation").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 report matches your search")).to_be_visible()
    _both_widths(page)

    page.get_by_label("Year published").select_option("")
    page.get_by_label("Escalation").uncheck()
    page.get_by_label("Neglect").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="12 reports match your search")).to_be_visible()
    page.get_by_role("link", name="Page 2").click()
    expect(page.get_by_role("link", name=full.version.title)).to_be_visible()
    page.get_by_role("link", name=full.version.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(full.version.title)
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Recommendations").click()
    expect(page).to_have_url(f"{live_server.url}/publications/{full.pk}/#section-2")
    expect(page.get_by_role("heading", name="Recommendations")).to_be_visible()
    _both_widths(page)

    page.goto(f"{live_server.url}/publications/{removed.pk}/")
    expect(page.get_by_role("heading", name="This report has been removed")).to_be_visible()
    _both_widths(page)


def test_the_board_manager_removes_a_publication(page: Page, live_server, manager):
    publication = PublicationFactory(
        version__title="Child Q: a serious case review",
        published_at=timezone.now() - timedelta(days=20),
    )
    reference = publication.review.reference
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/reviews/{reference}/publication/")
    page.get_by_role("link", name=f"{reference}, version {publication.version.number}").click()
    expect(page.get_by_role("heading", name="Child Q: a serious case review")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Remove from the public site").click()
    expect(
        page.get_by_text("Boards must keep a published report listed for 12 months")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove from the public site").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Enter why the publication is being removed")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Why is it being removed?").fill("A court order of 3 May forbids it.")
    page.get_by_label("The reason says why the report must come off early").check()
    page.get_by_role("button", name="Remove from the public site").click()
    expect(page.get_by_text("Publication removed from the public site")).to_be_visible()
    expect(page.get_by_text("A court order of 3 May forbids it.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Publications").click()
    expect(page.get_by_role("cell", name="Removed")).to_be_visible()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/publications/{publication.pk}/")
    assert response is not None
    assert response.status == 410
