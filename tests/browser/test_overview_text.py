"""The overview report's text in a real browser: the author imports the agreed Word document,
checks where each heading went, saves it, edits one section and compares the two versions,
with an accessibility scan of each page (and the comparison at 320 pixels wide)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.documents import report_docx, word_heading, word_paragraph, word_table

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORT = report_docx(
    word_paragraph("Child A: overview report", "Title")
    + word_heading("1. Executive summary")
    + word_paragraph("Five agencies knew Child A over two years.")
    + word_heading("2. Summary of the case")
    + word_paragraph("The family moved twice in 2024.")
    + word_heading("Analysis of agency involvement")
    + word_table([["Agency", "Contacts"], ["Police", "3"]])
    + word_heading("Lessons learned")
    + word_paragraph("Information about the family was not shared between agencies.")
    + word_heading("Recommendations")
    + word_paragraph("Share school attendance data with social care weekly.")
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_author_imports_edits_and_compares_the_report_text(page: Page, live_server, overview):
    review = overview.review
    sign_in(page, live_server, overview.author)
    page.goto(f"{live_server.url}/reviews/{review.reference}/overview/")
    page.get_by_role("link", name="Write, import or compare the report text").click()
    expect(page.get_by_role("heading", name="Report text", exact=True)).to_be_visible()
    expect(page.get_by_text("No version of the report text yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Import a Word document").click()
    assert_accessible(page)
    page.get_by_label("Upload the Word document").set_input_files(
        {"name": "Child A overview report.docx", "mimeType": DOCX, "buffer": REPORT}
    )
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Check the import of draft 1")).to_be_visible()
    case_row = page.get_by_role("row", name="2. Summary of the case")
    expect(case_row).to_contain_text("The case in summary")
    expect(page.get_by_text("This text is left out")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Good practice")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save as version 1").click()

    expect(page.get_by_role("heading", name="Report text, version 1")).to_be_visible()
    expect(page.get_by_text("Imported from draft 1")).to_be_visible()
    expect(page.get_by_role("cell", name="Police")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to the versions of the report text").click()
    page.get_by_role("button", name="Edit the text").click()
    expect(page.get_by_text("This section has a table from the Word document")).to_be_visible()
    assert_accessible(page)
    lessons = page.get_by_label("Lessons", exact=True)
    expect(lessons).to_have_value("Information about the family was not shared between agencies.")
    lessons.fill("Information about the family was not shared in time between agencies.")
    page.get_by_label("What changed in this version (optional)").fill("Lessons corrected")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_role("heading", name="Report text, version 2")).to_be_visible()
    expect(page.get_by_role("cell", name="Police")).to_be_visible()  # the table kept

    page.get_by_role("link", name="Back to the versions of the report text").click()
    expect(page.get_by_role("cell", name="Lessons corrected")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Version 1 and version 2 compared")).to_be_visible()
    expect(page.locator("ins")).to_have_text("[added: in time ]")
    expect(page.get_by_text("No change").first).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
