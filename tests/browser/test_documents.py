"""A review's PDFs in a real browser: the author asks for the combined chronology as PDF and
downloads it; the board manager records a submission pack, after a mistake the page explains,
and downloads it. Every page is scanned with axe-core."""

import zipfile
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.models import Role
from publication.models import PublicationVersion
from reviews.builders import Cast, review_at
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PERIOD_2025
from tests.documents import pdf_text
from tests.factories import (
    AgencyFactory,
    ChronologyEntryFactory,
    PublicationVersionFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_author_prepares_and_downloads_the_combined_chronology(page: Page, live_server):
    agency = AgencyFactory()
    cast = Cast(
        manager=UserFactory(role=Role.BOARD_MANAGER),
        chair=UserFactory(role=Role.CHAIR),
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR),
        leads={agency.pk: UserFactory(role=Role.AGENCY_LEAD, agency=agency)},
    )
    built = review_at("overview", cast=cast, agencies_in_scope=[agency], terms=PERIOD_2025)
    ChronologyEntryFactory(
        request=built.reports[0],
        occurred_on=date(2025, 4, 2),
        what_happened="<b>Visit</b> to the invented home.",
    )

    sign_in(page, live_server, cast.author)
    page.goto(
        live_server.url + reverse("reviews:combined_chronology", args=[built.review.reference])
    )
    page.get_by_role("link", name="Get the combined chronology as PDF").click()
    expect(page.get_by_role("heading", name="Combined chronology (PDF)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the PDF").click()
    download_link = page.get_by_role("button", name="Download the PDF")
    expect(download_link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        download_link.click()
    text = pdf_text(download.value.path().read_bytes())
    assert "<b>Visit</b> to the invented home." in text
    assert download.value.suggested_filename.startswith(f"{built.review.reference}-chronology-")


def test_the_board_manager_records_and_downloads_a_submission_pack(page: Page, live_server):
    manager = UserFactory(role=Role.BOARD_MANAGER)
    version = PublicationVersionFactory(form=PublicationVersion.Form.SUMMARY)
    review = version.review

    sign_in(page, live_server, manager)
    page.goto(live_server.url + reverse("publication:plan", args=[review.reference]))
    page.get_by_role("link", name="Submission pack for the national bodies").click()
    expect(page.get_by_text("No pack has been recorded as sent yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record as sent").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the national bodies the pack was sent to"
    )
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Ofsted").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record as sent").click()
    expect(page.get_by_text("Submission pack recorded as sent")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack").click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert f"{review.reference}-public-summary.pdf" in names
