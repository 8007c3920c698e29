"""A report requested from an agency with no lead says so, and reaches the lead it gains."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_invite, person_update
from outbox.models import Email
from reviews.services.panel import terms_save
from reviews.services.reports import reports_request
from tests.factories import AgencyFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTE = "No one at this agency can receive the request yet"


@pytest.fixture
def requested(manager, django_capture_on_commit_callbacks):
    """A review whose one agency in scope had no lead when its report was requested."""
    agency = AgencyFactory(name="Leaderless Trust")
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set([agency])
    today = timezone.localdate()
    terms_save(
        review=review,
        actor=manager,
        period_start=today - timedelta(days=300),
        period_end=today - timedelta(days=10),
        lines_of_enquiry=["What did each agency know?"],
        agencies_in_scope=[agency],
        family_involvement_plan="Write to the family.",
        scoping_meeting_on=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        (report,) = reports_request(review=review, actor=manager, due_on=today + timedelta(weeks=6))
    return report


def test_the_report_and_panel_pages_say_no_one_can_receive_the_request(client, manager, requested):
    assert mail.outbox == []
    client.force_login(manager)
    page = client.get(reverse("reviews:report", args=[requested.review.reference, requested.pk]))
    assert NOTE in page.content.decode()
    panel = client.get(reverse("reviews:panel", args=[requested.review.reference]))
    assert NOTE in panel.content.decode()


def test_a_lead_invited_later_is_sent_the_open_request_once(
    client, manager, requested, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = person_invite(
            actor=manager,
            email="late.lead@example.org",
            first_name="Late",
            last_name="Lead",
            job_title="",
            agency=requested.agency,
            roles=[Role.AGENCY_LEAD],
        )
    call_command("send_outbox")
    call_command("send_outbox")
    subjects = [m.subject for m in mail.outbox if m.to == [lead.email]]
    assert len(subjects) == 2  # the invitation and the request, each once
    assert sum(requested.review.reference in subject for subject in subjects) == 1
    client.force_login(manager)
    page = client.get(reverse("reviews:report", args=[requested.review.reference, requested.pk]))
    assert NOTE not in page.content.decode()


def test_a_person_given_the_lead_role_later_is_sent_the_open_request(
    manager, requested, django_capture_on_commit_callbacks
):
    person = UserFactory(agency=requested.agency)
    person_update(
        actor=manager,
        person=person,
        first_name=person.first_name,
        last_name=person.last_name,
        job_title="",
        agency=requested.agency,
        roles=[Role.AGENCY_LEAD],
    )
    call_command("send_outbox")
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert Email.objects.get(recipient=person).status == Email.Status.SENT
