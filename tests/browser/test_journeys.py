"""The main journeys, in a real browser, with an accessibility scan on every page reached."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.models import Deadline, Review
from reviews.services.clock import deadline_open, reminder_send, reminders_sweep
from reviews.services.panel import panel_member_add, terms_save
from reviews.services.reports import reports_request
from tests.browser.conftest import assert_accessible, sign_in
from tests.documents import PDF
from tests.factories import TEST_PASSWORD, AgencyFactory, ReviewFactory, UserFactory

# serialized_rollback keeps the role groups that a migration created between tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fill_date(page: Page, field: str, day) -> None:
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def _answer(page: Page, criterion: str, answer: str) -> None:
    page.get_by_role("group", name=criterion).get_by_label(answer, exact=True).check()


def _agency_lead(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return lead


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_sees_their_home(page: Page, live_server, role):
    """Board managers and chairs land on the dashboard; everyone else on the review list."""
    person = UserFactory(role=role, first_name="Rowan", last_name="Signin")
    sign_in(page, live_server, person)
    home = "dashboard/" if role in (Role.BOARD_MANAGER, Role.CHAIR) else ""
    expect(page).to_have_url(f"{live_server.url}/reviews/{home}")
    expect(page.get_by_role("banner").get_by_text("Rowan Signin")).to_be_visible()
    assert_accessible(page)


def test_manager_records_a_referral_and_chair_decides(page: Page, live_server, browser):
    AgencyFactory(name="Northshire Constabulary")
    manager = UserFactory(role=Role.BOARD_MANAGER)
    today = timezone.localdate()

    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Record a referral").first.click()
    expect(page.get_by_role("heading", name="The referrer")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Serious Case Review (Working Together 2015)").check()
    page.get_by_label("Referring agency").select_option(label="Northshire Constabulary")
    page.get_by_label("Name of the person referring").fill("Duty Inspector")
    page.get_by_label("Their role").fill("Detective inspector")
    _fill_date(page, "referred_on", today - timedelta(days=2))
    _answer(page, "Did they consult their agency's designated safeguarding lead?", "Yes")
    # The mistake: consulted, but no name.
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    message = "Enter the name of the designated safeguarding lead"
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    summary.get_by_role("link", name=message).click()
    name_box = page.get_by_label("Name of the designated safeguarding lead")
    expect(name_box).to_be_focused()
    name_box.fill("Safeguarding Sergeant")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="The subject")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pseudonymous reference").fill("Child Z")
    page.get_by_label("Subject's full name").fill("Canary Realname")
    page.get_by_label("1 to 4 years").check()
    page.get_by_label("Female").check()
    page.get_by_label("Ethnic group").select_option(label="Not known")
    page.get_by_label("Serious harm").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="What happened")).to_be_visible()
    assert_accessible(page)
    _fill_date(page, "incident_date", today - timedelta(days=9))
    page.get_by_role("checkbox", name="Neglect").check()
    page.get_by_label("Where and with whom").fill("At home with the mother's partner.")
    page.get_by_label("Summary of the circumstances").fill("Invented: a toddler was neglected.")
    page.get_by_role(
        "group", name="Is or was the subject on a child protection plan?"
    ).get_by_label("No", exact=True).check()
    page.get_by_label("Not known to children's social care").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Agencies involved")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Northshire Constabulary").check()
    page.get_by_label("What are the concerns").fill("Invented: referrals closed unseen.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Contacts at the agencies")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Contact at Northshire Constabulary").fill("DI Invented, 01234 000000")
    _answer(page, "Is Northshire Constabulary still involved?", "Yes")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="The family and household")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a person").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Canary Mother")
    page.get_by_label("Mother", exact=True).check()
    _answer(page, "Do they live with the subject?", "Yes")
    _answer(page, "Do they have parental responsibility for the subject?", "Yes")
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_role("heading", name="Canary Mother")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change the subject").click()
    page.get_by_label("Other names they are known by").fill("Zed")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Zed", exact=True)).to_be_visible()
    page.get_by_role("button", name="Record referral").click()

    reference = f"SCR-{(today - timedelta(days=2)).year}-001"
    expect(page.get_by_role("heading", name=f"{reference}: Child Z")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(f"Referral recorded as {reference}")
    assert_accessible(page)

    chair_page = browser.new_context().new_page()
    sign_in(chair_page, live_server, UserFactory(role=Role.CHAIR))
    chair_page.get_by_role("link", name="1 review: awaiting decision").click()
    chair_page.get_by_role("link", name=reference).click()
    chair_page.get_by_role("button", name="Record the threshold decision").click()
    assert_accessible(chair_page)
    _answer(chair_page, "Abuse or neglect of the child is known or suspected", "Yes")
    _answer(chair_page, "The child has died", "No")
    _answer(chair_page, "The child has been seriously harmed", "Yes")
    _answer(chair_page, "There is cause for concern about the way the authority", "Yes")
    for mandatory in ("died in custody", "secure children's home", "suspected suicide"):
        _answer(chair_page, mandatory, "No")
    chair_page.get_by_label("No further action").check()
    _fill_date(chair_page, "decided_on", today)
    chair_page.get_by_role("button", name="Record decision").click()

    expect(
        chair_page.locator(".govuk-error-summary").get_by_role(
            "link", name="Explain why the outcome departs from the criteria"
        )
    ).to_be_visible()
    expect(chair_page.locator(".govuk-error-summary")).to_be_focused()
    expect(chair_page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(chair_page)
    chair_page.get_by_label("Initiate a Serious Case Review").check()
    chair_page.get_by_role("button", name="Record decision").click()

    expect(chair_page.get_by_text("Threshold decision recorded")).to_be_visible()
    expect(chair_page.locator(".govuk-tag", has_text="Panel convening").first).to_be_visible()
    expect(
        chair_page.locator(".moj-timeline__title", has_text="Initiate a Serious Case Review")
    ).to_be_visible()
    assert_accessible(chair_page)


def test_an_agency_lead_cannot_reach_referral_or_decision_pages(page: Page, live_server):
    review = ReviewFactory()
    sign_in(page, live_server, _agency_lead(AgencyFactory()))
    expect(page.get_by_text(review.reference)).to_have_count(0)

    response = page.goto(f"{live_server.url}/reviews/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert_accessible(page)
    for path in (review.get_absolute_url(), f"{review.get_absolute_url()}decision/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.get_by_text(review.subject_reference)).to_have_count(0)
        assert_accessible(page)


def test_review_list_filters_by_stage(page: Page, live_server):
    manager = UserFactory(role=Role.BOARD_MANAGER)
    open_review = ReviewFactory(created_by=manager)
    closed = ReviewFactory(closed=True, created_by=manager)
    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("link", name=open_review.reference)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Stage").select_option(label="Closed")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("link", name=closed.reference)).to_be_visible()
    expect(page.get_by_role("link", name=open_review.reference)).to_have_count(0)
    assert_accessible(page)


def test_manager_convenes_a_panel_and_agency_leads_see_only_their_reviews(
    page: Page, live_server, browser
):
    in_scope, elsewhere = AgencyFactory(name="Northshire Homes"), AgencyFactory()
    manager = UserFactory(role=Role.BOARD_MANAGER)
    member = UserFactory(role=Role.PANEL_MEMBER, first_name="Pat", last_name="Member")
    member.agency = in_scope
    member.save()
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set([in_scope])
    other_review = ReviewFactory(decided=True, created_by=manager)
    today = timezone.localdate()

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="Panel members seated").click()
    assert_accessible(page)

    page.get_by_role("button", name="Set the terms of reference").click()
    _fill_date(page, "period_start", today - timedelta(days=365))
    _fill_date(page, "period_end", today - timedelta(days=20))
    page.get_by_label("Key lines of enquiry").fill("How did housing share concerns?")
    page.get_by_label("Northshire Homes").check()
    page.get_by_label("How the family will be involved").fill("Meet the family at home.")
    assert_accessible(page)
    page.get_by_role("button", name="Save terms of reference").click()
    expect(page.get_by_text("Terms of reference saved")).to_be_visible()

    page.get_by_role("button", name="Put a person forward").click()
    page.get_by_label("Person").select_option(label="Pat Member (Northshire Homes)")
    page.get_by_label("Member", exact=True).check()
    _answer(page, "Was this person uninvolved in the case?", "Yes")
    _answer(page, "Is this person free of direct management", "Yes")
    _fill_date(page, "declared_on", today)
    assert_accessible(page)
    page.get_by_role("button", name="Record declaration").click()
    expect(page.get_by_role("row", name=re.compile("Pat Member.*Seated"))).to_be_visible()
    assert_accessible(page)

    lead_page = browser.new_context().new_page()
    sign_in(lead_page, live_server, _agency_lead(in_scope))
    expect(lead_page.get_by_role("link", name=review.reference)).to_be_visible()
    expect(lead_page.get_by_role("link", name=other_review.reference)).to_have_count(0)

    other_lead = browser.new_context().new_page()
    sign_in(other_lead, live_server, _agency_lead(elsewhere))
    expect(other_lead.get_by_text("There are no reviews to show")).to_be_visible()
    assert Review.objects.count() == 2


def test_agency_lead_submits_a_report_from_the_email_and_the_panel_returns_then_accepts(
    page: Page, live_server, browser
):
    police = AgencyFactory(name="Northshire Constabulary")
    manager = UserFactory(role=Role.BOARD_MANAGER)
    lead = _agency_lead(police)
    member = UserFactory(role=Role.PANEL_MEMBER, agency=police)
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set([police])
    today = timezone.localdate()
    terms_save(
        review=review,
        actor=manager,
        period_start=today - timedelta(days=300),
        period_end=today - timedelta(days=5),
        lines_of_enquiry=["What did the police know?"],
        agencies_in_scope=[police],
        family_involvement_plan="Write to the family.",
        scoping_meeting_on=None,
    )
    panel_member_add(
        review=review,
        actor=manager,
        person=member,
        panel_role="member",
        not_involved_in_case=True,
        no_management_responsibility=True,
        declared_on=today,
    )
    reports_request(review=review, actor=manager, due_on=today + timedelta(weeks=6))
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0)
    pdf = {"name": "Police report.pdf", "mimeType": "application/pdf", "buffer": PDF}

    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Northshire Constabulary")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the latest version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("records are secured")
    page.get_by_label("Which systems and records are secured?").fill("Niche case records")
    page.get_by_role("button", name="Confirm records are secured").click()
    page.get_by_role("link", name="Chronology of the agency's contact with the family").click()
    page.get_by_role("button", name="Add an entry").click()
    _fill_date(page, "occurred_on", today - timedelta(days=30))
    page.get_by_label("Practitioner's role").fill("Officer 1")
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what happened")
    assert_accessible(page)
    page.get_by_label("What happened").fill("Attended a report of shouting.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("cell", name="Attended a report of shouting.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the report").click()
    page.get_by_label("Upload the management report").set_input_files(pdf)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Version 1 uploaded")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the latest version").click()
    expect(page.get_by_text("Report submitted to the panel")).to_be_visible()

    panel = browser.new_context().new_page()
    sign_in(panel, live_server, member)
    panel.goto(f"{live_server.url}{page.url.removeprefix(live_server.url)}")
    assert_accessible(panel)
    panel.get_by_role("button", name="Return for revision").click()
    expect(panel.locator(".govuk-error-summary")).to_contain_text("what the agency should change")
    panel.get_by_label("Comments").fill("Add the contacts from March.")
    panel.get_by_role("button", name="Return for revision").click()
    expect(panel.locator(".govuk-tag", has_text="Returned for revision")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Add the contacts from March.")).to_be_visible()
    page.get_by_label("Upload the management report").set_input_files(pdf)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Version 2 uploaded")).to_be_visible()
    page.get_by_role("button", name="Submit the latest version").click()

    panel.reload()
    panel.get_by_role("button", name="Accept").click()
    expect(panel.get_by_text("Report accepted")).to_be_visible()
    assert_accessible(panel)
    review.refresh_from_db()
    assert review.stage == Review.Stage.OVERVIEW


def test_deadlines_tasks_clock_and_notifications(page: Page, live_server, browser):
    agency = AgencyFactory(name="Northshire Homes")
    manager = UserFactory(role=Role.BOARD_MANAGER)
    lead = _agency_lead(agency)
    review = ReviewFactory(decided=True, created_by=manager)
    today = timezone.localdate()
    deadline_open(
        review=review,
        kind=Deadline.Kind.REVIEW_COMPLETE,
        due_on=today + timedelta(days=150),
        actor=manager,
    )
    deadline_open(
        review=review,
        kind=Deadline.Kind.AGENCY_REPORT,
        due_on=today - timedelta(days=2),
        actor=manager,
        owner_agency=agency,
    )
    for pk in reminders_sweep():
        reminder_send(reminder_id=pk)

    sign_in(page, live_server, manager)
    page.get_by_role("link", name="My tasks").click()
    expect(page.get_by_role("heading", name="Deadlines")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Overdue")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Move or waive management report")).click()
    page.get_by_label("Move the due date").check()
    for part in range(3):
        page.locator(f"#id_due_on_{part}").fill("")
    page.get_by_label("Reason").fill("The agency asked for more time.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the new due date")
    assert_accessible(page)
    _fill_date(page, "due_on", today + timedelta(days=10))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Deadline changed")).to_be_visible()

    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_role("link", name="Extend or stop the clock").click()
    assert_accessible(page)
    page.get_by_label("Extend the review's completion target").check()
    page.get_by_label("Days to extend by (if extending)").fill("30")
    page.get_by_label("Reason").fill("Related criminal proceedings.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("originally")).to_be_visible()

    lead_page = browser.new_context().new_page()
    sign_in(lead_page, live_server, lead)
    lead_page.get_by_role("link", name="Notifications (1)").click()
    expect(
        lead_page.get_by_role("link", name=re.compile("Management report overdue"))
    ).to_be_visible()
    assert_accessible(lead_page)
    lead_page.get_by_role("link", name="My tasks").click()
    expect(lead_page.get_by_role("heading", name="My tasks")).to_be_visible()
    assert_accessible(lead_page)
