"""Letters to the family in a real browser: the board manager downloads an invitation and, after
a mistake the page explains, a notice before publication; every page is scanned with axe-core."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.models import Role
from families.models import FamilyMember
from families.services.members import family_member_save
from reviews.builders import Cast, review_at
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PERIOD_2025
from tests.documents import pdf_text
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_board_manager_downloads_both_letters(page: Page, live_server):
    manager = UserFactory(role=Role.BOARD_MANAGER, first_name="Mina", last_name="Manager")
    cast = Cast(manager=manager, chair=UserFactory(role=Role.CHAIR))
    review = review_at(
        "convened", cast=cast, agencies_in_scope=[AgencyFactory()], terms=PERIOD_2025
    ).review
    member = family_member_save(
        review=review,
        actor=manager,
        name="Alex Example",
        relationship=FamilyMember.Relationship.MOTHER,
        address="1 Invented Road\nNorthshire",
        interpreter_needed=False,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )

    sign_in(page, live_server, manager)
    page.goto(live_server.url + reverse("families:list", args=[review.reference]))
    page.get_by_role("link", name="Alex Example").click()
    expect(page.get_by_role("heading", name="Letters")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as invitation:
        page.get_by_role("link", name="Invitation to take part in the review (PDF)").click()
    path = invitation.value.path()
    assert "Dear Alex Example," in pdf_text(path.read_bytes())
    filename = f"{review.reference}-invitation-letter-{member.pk}.pdf"
    assert invitation.value.suggested_filename == filename

    page.get_by_role("link", name="Letter before the report is published").click()
    page.get_by_label("The full report").check()
    page.get_by_role("button", name="Download the letter (PDF)").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the planned date of publication"
    )
    assert_accessible(page)
    planned = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Day").fill(str(planned.day))
    page.get_by_label("Month").fill(str(planned.month))
    page.get_by_label("Year").fill(str(planned.year))
    with page.expect_download() as notice:
        page.get_by_role("button", name="Download the letter (PDF)").click()
    text = " ".join(pdf_text(notice.value.path().read_bytes()).split())
    assert f"publish the full report on our website on {planned:%-d %B %Y}" in text
