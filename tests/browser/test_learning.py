"""Learning from a review in a real browser: the board manager tags a recommendation, adds a
lesson the agreed report suggests, drafts, edits and approves the learning brief for the
public site, records where it was shared, and finds the lesson in the library; the public
reads the brief beside the report. Every page, and each with its errors, is scanned by axe."""

import pytest
from playwright.sync_api import Page, expect

from publication.models import Theme
from reviews.builders import cast_create, review_at
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, AgencyFactory, PublicationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_board_manager_keeps_the_lessons_the_brief_and_where_it_was_shared(
    page: Page, live_server
):
    agency = AgencyFactory(name="Northshire Police")
    Theme.objects.get_or_create(name="Information sharing")
    cast = cast_create(agencies=[agency], password=TEST_PASSWORD)
    review = review_at("publication", cast=cast, agencies_in_scope=[agency]).review
    publication = PublicationFactory(
        version__review=review, version__number=0, version__overview_version__number=99
    )
    sign_in(page, live_server, cast.manager)

    page.goto(f"{live_server.url}/reviews/{review.reference}/lessons/")
    expect(page.get_by_role("heading", name="Suggested from the agreed report")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tag recommendation 1").click()
    assert_accessible(page)
    page.get_by_label("Information sharing").check()
    page.get_by_role("button", name="Save tags").click()
    expect(page.get_by_text("Recommendation 1 tagged")).to_be_visible()

    page.get_by_role("link", name="Add it as a lesson").click()
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Add lesson").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Share within a week")
    page.get_by_role("button", name="Add lesson").click()
    expect(page.get_by_role("heading", name="Share within a week")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Learning brief").click()
    assert_accessible(page)
    page.get_by_role("button", name="Draft from the lessons").click()
    expect(page.get_by_text("Brief drafted from the lessons")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Edit the brief").click()
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save the brief").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Seven minutes on sharing")
    page.get_by_label("With the report on the public site").check()
    page.get_by_label("Questions for practice (optional)").fill("Who else knows this family?")
    page.get_by_role("button", name="Save the brief").click()
    page.get_by_role("button", name="Approve the brief").click()
    expect(page.get_by_text("Brief approved")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Where it was shared").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record where it was shared").click()
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Learning brief", exact=True).check()
    page.get_by_label("Event or channel").fill("Multi-agency learning event")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Practitioners reached").fill("85")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("cell", name="Multi-agency learning event")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/learning/dissemination/")
    expect(page.get_by_role("cell", name="Multi-agency learning event")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/learning/")
    page.get_by_label("Search lessons").fill("week")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Share within a week")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/publications/{publication.pk}/")
    page.get_by_role("link", name="Learning brief", exact=True).click()
    expect(page.get_by_role("heading", name="Seven minutes on sharing")).to_be_visible()
    expect(page.get_by_text("Who else knows this family?")).to_be_visible()
    assert_accessible(page)
