"""The family's involvement in a real browser: the board manager records a family member,
offers and holds a meeting with their supporter, sends the notes to agree, records them agreed
and records the family's views, with an accessibility scan of every family page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.models import Role
from families.models import Meeting
from reviews.builders import Cast, review_at
from reviews.models import Deadline
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


def _record(page: Page, heading: str) -> None:
    """Scan the form page, press Record and wait for the family member's page again."""
    assert_accessible(page)
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Example")
    expect(page.get_by_role("heading", name=heading, level=4).first).to_be_visible()
    assert_accessible(page)


def test_the_board_manager_records_the_familys_involvement(page: Page, live_server, manager, chair):
    police = AgencyFactory(name="Northshire Police")
    author = UserFactory(role=Role.INDEPENDENT_AUTHOR, first_name="Ash", last_name="Author")
    cast = Cast(
        manager=manager,
        chair=chair,
        author=author,
        panel=[UserFactory(role=Role.PANEL_MEMBER, agency=police)],
    )
    review = review_at("convened", cast=cast, agencies_in_scope=[police], terms=PERIOD_2025).review
    today = timezone.localdate()

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="The family's involvement").click()
    expect(page.get_by_role("heading", name="Family and significant others")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Full name").fill("Sam Example")
    page.get_by_label("Mother", exact=True).check()
    page.locator("#id_interpreter_needed_1").check()
    page.get_by_label("Supporter or advocate's name (optional)").fill("Pat Helper")
    page.get_by_label("Not known").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Family member added")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sam Example").click()
    expect(page.get_by_text("Nothing recorded yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a meeting offered").click()
    _date(page, "offered_on", today - timedelta(days=10))
    _record(page, "Meeting offered")

    page.get_by_role("link", name="as held").click()
    _date(page, "held_on", today - timedelta(days=7))
    page.get_by_label("Home visit").check()
    page.get_by_label("Ash Author").check()
    page.locator("#id_supporter_attended_0").check()
    page.get_by_label("Supporter's name (optional)").fill("Pat Helper")
    _record(page, "Meeting held")
    expect(page.get_by_text("Their supporter attended: yes, Pat Helper")).to_be_visible()

    page.get_by_role("link", name="sent to agree").click()
    _date(page, "sent_on", today - timedelta(days=6))
    _date(page, "due_on", today + timedelta(days=8))
    _record(page, "Notes of the meeting sent to agree")
    deadline = Deadline.objects.get(review=review, kind=Deadline.Kind.FAMILY_NOTES)
    assert deadline.state == Deadline.State.OPEN

    page.get_by_role("link", name="Record their answer on the notes").click()
    page.get_by_label("Agreed as written").check()
    _date(page, "answered_on", today)
    _record(page, "Notes of the meeting agreed as written")
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET
    assert Meeting.objects.get().notes_outcome == Meeting.NotesOutcome.AGREED

    page.get_by_role("link", name="Record their views").click()
    page.get_by_label("Their views for the report").fill(
        "Sam wants the review to say that no one listened to the family."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save their views").click()
    expect(page.get_by_text("no one listened to the family")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    expect(
        page.locator(".govuk-task-list__item", has_text="The family's involvement")
    ).to_contain_text("1 person, 1 meeting held, views recorded")
