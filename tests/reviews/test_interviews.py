"""Interviews with workers and the check of their notes for factual accuracy."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reviews.models import Interview
from reviews.services.interviews import (
    interview_notes_send,
    interview_record,
    interview_response_record,
)
from reviews.services.reports import report_records_secure, report_submit, report_upload
from tests.documents import PDF

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _interview(report, held_on=None):
    return interview_record(
        report=report,
        actor=report.lead,
        worker_role="Health Visitor 1",
        worker_name="Canary Worker",
        held_on=held_on or TODAY() - timedelta(days=10),
        interviewer="Reviewer",
        supporter_attended=True,
        notes="The visit was missed because the family had moved.",
    )


def test_notes_go_to_the_worker_and_the_agreed_version_is_kept_beside_the_original(report):
    interview = _interview(report)
    with pytest.raises(ValidationError, match="sent to the worker first"):
        interview_response_record(
            interview=interview, actor=report.lead, response="agreed", response_on=TODAY()
        )
    sent = TODAY() - timedelta(days=8)
    interview_notes_send(
        interview=interview, actor=report.lead, sent_on=sent, response_due_on=sent + timedelta(7)
    )
    with pytest.raises(ValidationError) as error:
        interview_response_record(
            interview=interview, actor=report.lead, response="amendments", response_on=TODAY()
        )
    assert "amendments" in error.value.message_dict
    interview = interview_response_record(
        interview=interview,
        actor=report.lead,
        response="amendments",
        response_on=TODAY(),
        amendments="The family moved a week later than written.",
        agreed_notes="The visit was missed because the family had moved a week before.",
    )
    assert interview.notes.endswith("had moved.")
    assert interview.agreed_notes.endswith("a week before.")
    assert interview.history.latest().history_user == report.lead


def test_agreed_notes_are_the_original(report):
    interview = _interview(report)
    sent = TODAY() - timedelta(days=3)
    interview_notes_send(
        interview=interview, actor=report.lead, sent_on=sent, response_due_on=TODAY()
    )
    interview = interview_response_record(
        interview=interview, actor=report.lead, response="agreed", response_on=TODAY()
    )
    assert interview.agreed_notes == interview.notes


def test_no_response_only_after_the_reply_date(report):
    interview = _interview(report)
    sent = TODAY() - timedelta(days=3)
    interview_notes_send(
        interview=interview, actor=report.lead, sent_on=sent, response_due_on=TODAY() + timedelta(5)
    )
    with pytest.raises(ValidationError, match="reply date has passed"):
        interview_response_record(
            interview=interview, actor=report.lead, response="no_response", response_on=TODAY()
        )
    assert Interview.objects.get().response == Interview.Response.PENDING


@pytest.mark.parametrize(
    ("sent_on", "due", "field"),
    [
        (TODAY() - timedelta(days=20), TODAY(), "sent_on"),  # before the interview
        (TODAY() - timedelta(days=5), TODAY() - timedelta(days=6), "response_due_on"),
        (TODAY() + timedelta(days=1), TODAY() + timedelta(days=9), "sent_on"),
    ],
)
def test_impossible_dates_are_refused(report, sent_on, due, field):
    interview = _interview(report)
    with pytest.raises(ValidationError) as error:
        interview_notes_send(
            interview=interview, actor=report.lead, sent_on=sent_on, response_due_on=due
        )
    assert field in error.value.message_dict


def test_the_panel_reads_submitted_interviews_without_the_workers_name(client, report, manager):
    interview = _interview(report)
    url = reverse("reviews:interview", args=[report.review.reference, report.pk, interview.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 404  # still the agency's draft
    report_records_secure(report=report, actor=report.lead, note="Case system")
    report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.pdf", PDF))
    report_submit(report=report, actor=report.lead)
    html = client.get(url).content.decode()
    assert "Health Visitor 1" in html
    assert "Canary Worker" not in html
    client.force_login(report.lead)
    assert "Canary Worker" in client.get(url).content.decode()


def test_the_interview_form_shows_errors_and_saves_nothing(client, report):
    client.force_login(report.lead)
    url = reverse("reviews:interview_add", args=[report.review.reference, report.pk])
    html = client.post(url, {"worker_role": "HV"}).content.decode()
    assert "There is a problem" in html
    assert "Enter the worker&#x27;s name" in html
    assert not Interview.objects.exists()
