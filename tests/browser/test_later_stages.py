"""Journeys of the later stages in a real browser, with an accessibility scan on every page
and state reached: rapid review, overview report and comments, action plan, publication."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from publication.models import PublicationPlan
from publication.versions import publication_version_make
from reviews.frameworks import Framework
from reviews.models import Action, Deadline, OverviewAgreement, Review
from reviews.services.overview import overview_draft_upload, recommendation_add
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import pdf
from tests.documents import pdf_bytes
from tests.factories import OverviewVersionFactory, ReviewFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = {"name": "Overview draft.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _fill_date(page: Page, field: str, day) -> None:
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def _expect_error(page: Page, message: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)


def test_manager_records_the_notification_and_rapid_review_then_the_chair_can_decide(
    page: Page, live_server, browser, manager, chair
):
    review = ReviewFactory(framework=Framework.LCSPR, created_by=manager)
    today = timezone.localdate()
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="Record the notification to the national bodies").click()
    assert_accessible(page)
    _fill_date(page, "notified_on", today)
    page.get_by_role("button", name="Record notification").click()
    expect(page.get_by_role("alert")).to_contain_text("Notification to the national bodies")
    expect(page.get_by_text("Rapid review by")).to_be_visible()

    page.get_by_role("button", name="Record the rapid review").click()
    _fill_date(page, "held_on", today)
    page.get_by_label("Who took part").fill("Police, health, school")
    page.get_by_role("button", name="Record rapid review").click()
    _expect_error(page, "Enter what happened")
    page.get_by_label("What happened").fill("Invented facts.")
    page.get_by_label("Immediate safeguarding action").fill("A strategy discussion.")
    page.get_by_label("Learning identified so far").fill("Attendance information.")
    page.get_by_label("Carry out a local child safeguarding practice review").check()
    page.get_by_role("button", name="Record rapid review").click()
    expect(page.get_by_role("heading", name="Rapid review", exact=True)).to_be_visible()
    assert_accessible(page)

    chair_page = browser.new_context().new_page()
    sign_in(chair_page, live_server, chair)
    chair_page.goto(f"{live_server.url}{review.get_absolute_url()}")
    chair_page.get_by_role("button", name="Record the threshold decision").click()
    expect(chair_page.get_by_text("The rapid review of")).to_contain_text(
        "carry out a local child safeguarding practice review"
    )
    assert_accessible(chair_page)


def test_author_circulates_a_draft_and_an_agency_lead_comments(
    page: Page, live_server, browser, overview
):
    review = overview.review
    sign_in(page, live_server, overview.author)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="Draft overview report").click()
    expect(page.get_by_text("No draft to show yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Upload draft").click()
    _expect_error(page, "Select the draft to upload")
    page.get_by_label("Upload a draft of the overview report").set_input_files(PDF)
    page.get_by_role("button", name="Upload draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Draft uploaded")
    page.get_by_label("Recommendation").fill("Share attendance data weekly.")
    page.get_by_role("button", name="Add recommendation").click()
    expect(page.get_by_text("Share attendance data weekly.")).to_be_visible()
    page.get_by_role("link", name="Send the latest draft to the agencies for comments").click()
    assert_accessible(page)
    due = timezone.localdate() + timedelta(days=10)
    _fill_date(page, "due_on", due)
    page.get_by_role("button", name="Send for comments").click()
    expect(page.get_by_text(f"until {due:%-d %B %Y}")).to_be_visible()
    assert_accessible(page)

    lead_page = browser.new_context().new_page()
    sign_in(lead_page, live_server, overview.leads[0])
    lead_page.goto(f"{live_server.url}/reviews/tasks/")
    expect(lead_page.get_by_text("Comments on the draft overview report")).to_be_visible()
    lead_page.get_by_role("link", name=review.reference, exact=True).click()
    expect(lead_page.get_by_role("heading", name="Overview report")).to_be_visible()
    lead_page.get_by_role("button", name="Send comments").click()
    _expect_error(lead_page, "Enter your comments")
    lead_page.get_by_label("Your comments on fairness and accuracy").fill("Para 3 is wrong.")
    lead_page.get_by_role("button", name="Send comments").click()
    expect(lead_page.get_by_text("Para 3 is wrong.")).to_be_visible()
    assert_accessible(lead_page)
    deadline = review.deadlines.get(
        kind=Deadline.Kind.DRAFT_COMMENTS, owner_agency=overview.leads[0].agency
    )
    assert deadline.state == Deadline.State.MET

    page.reload()
    page.get_by_role("button", name="Close comments on draft 1").click()
    expect(page.get_by_role("heading", name="Close comments on draft 1")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(str(overview.leads[1].agency))
    expect(page.get_by_text("You cannot undo this.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and close comments").click()
    expect(page.get_by_role("alert")).to_contain_text("Comments closed")


def test_manager_builds_the_action_plan_a_lead_reports_progress_and_the_chair_approves(
    page: Page, live_server, browser, overview, manager, chair
):
    review = overview.review
    overview_draft_upload(review=review, actor=overview.author, file=pdf(), note="")
    recommendation_add(review=review, actor=overview.author, text="Share attendance data.")

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/reviews/{review.reference}/overview/")
    page.get_by_role("button", name="Agree the overview report").click()
    expect(page.get_by_text("Share attendance data.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Draft 1")
    expect(page.get_by_label(re.compile(r"^Draft 1: .*never sent"))).to_be_checked()
    assert_accessible(page)
    _fill_date(page, "meeting_on", timezone.localdate())
    page.get_by_role("button", name="Confirm the overview report is agreed").click()
    _expect_error(page, "Enter why draft 1 is agreed although it was never sent")
    page.get_by_label(re.compile("^Why is a draft never sent for comments agreed")).fill(
        "The agencies read it at the panel meeting."
    )
    page.get_by_role("button", name="Confirm the overview report is agreed").click()
    expect(page.get_by_role("alert")).to_contain_text("Overview report agreed")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Draft 1")
    page.goto(f"{live_server.url}/reviews/{review.reference}/actions/")
    assert_accessible(page)
    page.get_by_role("button", name="Add an action").click()
    page.get_by_role("button", name="Add action").click()
    _expect_error(page, "Select the recommendation")
    page.get_by_label("1. Share attendance data.").check()
    page.get_by_label("Owning agency").select_option(label=str(overview.leads[0].agency))
    page.get_by_label("Lead", exact=True).fill("Head of Service")
    page.get_by_label("What will change").fill("Weekly attendance checks.")
    page.get_by_label("How the change will make a difference").fill("Earlier help.")
    _fill_date(page, "target_on", timezone.localdate() + timedelta(days=60))
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("heading", name="Action for recommendation 1")).to_be_visible()
    assert_accessible(page)
    action = Action.objects.get()

    lead_page = browser.new_context().new_page()
    sign_in(lead_page, live_server, overview.leads[0])
    lead_page.goto(f"{live_server.url}{action.get_absolute_url()}")
    lead_page.get_by_label("Complete", exact=True).check()
    lead_page.get_by_label("What has happened").fill("Checks are in place.")
    lead_page.get_by_role("button", name="Record progress").click()
    _expect_error(lead_page, "Enter the evidence that the action is complete")
    lead_page.get_by_label("Evidence (needed when complete)").fill("Audit of the first month.")
    lead_page.get_by_role("button", name="Record progress").click()
    expect(lead_page.get_by_role("alert")).to_contain_text("Progress recorded")
    expect(lead_page.locator(".govuk-summary-list")).to_contain_text("Complete")
    assert_accessible(lead_page)

    page.goto(f"{live_server.url}/reviews/{review.reference}/actions/")
    page.get_by_role("button", name="Agree the action plan").click()
    expect(page.get_by_role("table")).to_contain_text("Weekly attendance checks.")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the action plan is agreed").click()
    expect(page.get_by_role("alert")).to_contain_text("Action plan agreed")
    page.goto(f"{live_server.url}/reviews/{review.reference}/publication/")
    page.get_by_role("button", name="Plan the publication").click()
    page.get_by_label("Publish an executive summary only").check()
    page.get_by_role("button", name="Save the plan").click()
    _expect_error(page, "Explain why the full report will not be published")
    page.get_by_label("Rationale (needed unless the full report is published)").fill(
        "The full report would identify a sibling."
    )
    _fill_date(page, "planned_on", timezone.localdate() + timedelta(days=40))
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    assert_accessible(page)
    # The chair approves the plan with its publication version (tests/browser/
    # test_publication_version.py makes one through the pages): the report's text as agreed.
    agreement = OverviewAgreement.objects.get(review=review)
    agreement.version = OverviewVersionFactory(review=review)
    agreement.save()
    publication_version_make(review=review, actor=manager, title="Child A: report")

    chair_page = browser.new_context().new_page()
    sign_in(chair_page, live_server, chair)
    chair_page.goto(f"{live_server.url}/reviews/{review.reference}/publication/")
    chair_page.get_by_role("button", name="Approve the publication plan").click()
    expect(chair_page.locator(".govuk-summary-list")).to_contain_text(
        "Publish an executive summary only"
    )
    expect(chair_page.get_by_text("The full report would identify a sibling.")).to_be_visible()
    assert_accessible(chair_page)
    chair_page.get_by_role("button", name="Confirm and approve the plan").click()
    expect(chair_page.get_by_text("Approved by")).to_be_visible()
    assert_accessible(chair_page)
    assert PublicationPlan.objects.get(review=review).approved_by == chair
    assert Review.objects.get(pk=review.pk).stage == Review.Stage.PUBLICATION


def test_author_corrects_and_removes_recommendations_before_the_report_is_agreed(
    page: Page, live_server, overview
):
    review = overview.review
    for text in ("Share attendance data.", "Share attendance data weekly.", "Train nurses."):
        recommendation_add(review=review, actor=overview.author, text=text)
    sign_in(page, live_server, overview.author)
    page.goto(f"{live_server.url}/reviews/{review.reference}/overview/")
    page.get_by_role("link", name="Correct recommendation 3").click()
    assert_accessible(page)
    page.get_by_label("Recommendation", exact=True).fill("")
    page.get_by_role("button", name="Save correction").click()
    _expect_error(page, "Enter the recommendation")
    page.get_by_label("Recommendation", exact=True).fill("Train school nurses on neglect.")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Recommendation 3 corrected")
    expect(page.get_by_text("Train school nurses on neglect.")).to_be_visible()

    page.get_by_role("link", name="Remove recommendation 1").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Share attendance data.")
    assert_accessible(page)
    page.get_by_role("button", name="Remove recommendation").click()
    _expect_error(page, "Enter why the recommendation is removed")
    page.get_by_label("Why is the recommendation removed?").fill("Covered by 2.")
    page.get_by_role("button", name="Remove recommendation").click()
    expect(page.get_by_role("alert")).to_contain_text("Recommendation 1 removed")
    expect(page.get_by_text("Removed", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Remove recommendation 1")).to_have_count(0)
    assert_accessible(page)
