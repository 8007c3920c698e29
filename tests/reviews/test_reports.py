"""Stage 4: management reports — request, records secured, uploads checked from their
content, versions, submission and the panel's decision, and who may see what."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.models import AccessLog, PanelMember, ReportRequest, ReportVersion, Review
from reviews.services.panel import panel_member_add, terms_save
from reviews.services.reports import (
    report_accept,
    report_excuse,
    report_records_secure,
    report_return,
    report_submit,
    report_upload,
    reports_request,
)
from tests.documents import DOCX, ODT_FILE, PDF, docx_bytes, zip_bytes
from tests.factories import AgencyFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(manager):
    """A convened review with two agencies in scope, one lead each and a seated member."""
    police, health = AgencyFactory(name="Police"), AgencyFactory(name="Health")
    leads = {}
    for agency in (police, health):
        lead = UserFactory(agency=agency)
        person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
        leads[agency.name] = lead
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set([police, health])
    today = timezone.localdate()
    terms_save(
        review=review,
        actor=manager,
        period_start=today - timedelta(days=300),
        period_end=today - timedelta(days=10),
        lines_of_enquiry=["What did each agency know?"],
        agencies_in_scope=[police, health],
        family_involvement_plan="Write to the family.",
        scoping_meeting_on=None,
    )
    member = UserFactory(agency=health)
    panel_member_add(
        review=review,
        actor=manager,
        person=member,
        panel_role=PanelMember.PanelRole.MEMBER,
        not_involved_in_case=True,
        no_management_responsibility=True,
        declared_on=today,
    )
    return review, leads, member


def _request(review, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports = reports_request(
            review=review, actor=manager, due_on=timezone.localdate() + timedelta(weeks=6)
        )
    return {report.agency.name: report for report in reports}


def _ready(report, lead, content=PDF, name="report.pdf"):
    report_records_secure(report=report, actor=lead, note="Case management system")
    report_upload(report=report, actor=lead, file=SimpleUploadedFile(name, content))
    return report_submit(report=report, actor=lead)


def test_requesting_reports_moves_the_review_and_emails_each_agencys_leads(
    setup, manager, django_capture_on_commit_callbacks
):
    review, leads, _ = setup
    reports = _request(review, manager, django_capture_on_commit_callbacks)
    review.refresh_from_db()
    assert review.stage == Review.Stage.AGENCY_REPORTS
    assert set(reports) == {"Police", "Health"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in leads.values())
    assert review.reference in mail.outbox[0].subject
    assert "Canary Realname" not in mail.outbox[0].body


def test_reports_need_terms_with_agencies_in_scope(manager):
    review = ReviewFactory(decided=True, created_by=manager)
    with pytest.raises(ValidationError, match="terms of reference"):
        reports_request(review=review, actor=manager, due_on=timezone.localdate() + timedelta(1))
    review.refresh_from_db()
    assert review.stage == Review.Stage.PANEL


def test_a_report_cannot_be_submitted_before_records_are_secured(
    setup, manager, django_capture_on_commit_callbacks
):
    review, leads, _ = setup
    report = _request(review, manager, django_capture_on_commit_callbacks)["Police"]
    report_upload(report=report, actor=leads["Police"], file=SimpleUploadedFile("r.pdf", PDF))
    with pytest.raises(ValidationError, match="records are secured"):
        report_submit(report=report, actor=leads["Police"])
    report_records_secure(report=report, actor=leads["Police"], note="Niche")
    assert report_submit(report=report, actor=leads["Police"]).status == "submitted"


@pytest.mark.parametrize(
    ("name", "content", "content_type", "shown"),
    [
        ("report.pdf", PDF, "application/pdf", "report.pdf"),
        ("Report.DOCX", DOCX, "wordprocessingml", "Report.docx"),
        ("report.odt", ODT_FILE, "opendocument.text", "report.odt"),
    ],
)
def test_pdf_docx_and_odt_are_accepted_from_their_content(
    setup, manager, django_capture_on_commit_callbacks, name, content, content_type, shown
):
    review, leads, _ = setup
    report = _request(review, manager, django_capture_on_commit_callbacks)["Police"]
    version = report_upload(
        report=report, actor=leads["Police"], file=SimpleUploadedFile(name, content)
    )
    assert content_type in version.content_type
    assert version.display_name == shown


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 a Windows program", "must be a PDF, DOCX or ODT"),
        ("report.pdf", b"<html><script>alert(1)</script>", "must be a PDF, DOCX or ODT"),
        ("report.pdf", b"", "is empty"),
        ("report.docx", zip_bytes({"readme.txt": b"hello"}), "must be a PDF, DOCX or ODT"),
        (
            "report.docm",
            docx_bytes(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
            "macros",
        ),
        (
            "report.docx",
            docx_bytes(
                overrides={"/word/vbaProject.bin": "application/vnd.ms-office.vbaProject"},
                parts={"word/vbaProject.bin": b"\x00"},
            ),
            "macros",
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    setup, manager, django_capture_on_commit_callbacks, settings, name, content, message
):
    review, leads, _ = setup
    report = _request(review, manager, django_capture_on_commit_callbacks)["Police"]
    with pytest.raises(ValidationError, match=message):
        report_upload(report=report, actor=leads["Police"], file=SimpleUploadedFile(name, content))
    assert not ReportVersion.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_oversized_files_are_refused(setup, manager, django_capture_on_commit_callbacks, settings):
    settings.SCR_REPORT_MAX_BYTES = 1024 * 1024
    review, leads, _ = setup
    report = _request(review, manager, django_capture_on_commit_callbacks)["Police"]
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        report_upload(report=report, actor=leads["Police"], file=big)
    assert not ReportVersion.objects.exists()


def test_path_traversal_names_are_stored_under_a_random_name(
    setup, manager, django_capture_on_commit_callbacks, settings
):
    review, leads, _ = setup
    report = _request(review, manager, django_capture_on_commit_callbacks)["Police"]
    version = report_upload(
        report=report,
        actor=leads["Police"],
        file=SimpleUploadedFile("..\\../../etc/pass\x00wd<script>.pdf", PDF),
    )
    assert version.display_name == "pass_wd_script_.pdf"
    stored = Path(version.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "pass" not in stored.name


def test_every_upload_is_a_new_version(setup, manager, django_capture_on_commit_callbacks):
    review, leads, _ = setup
    report = _request(review, manager, django_capture_on_commit_callbacks)["Police"]
    for _ in range(3):
        report_upload(report=report, actor=leads["Police"], file=SimpleUploadedFile("r.pdf", PDF))
    assert list(report.versions.values_list("number", flat=True)) == [3, 2, 1]


def test_returned_then_accepted_and_the_review_moves_on_when_all_are_done(
    setup, manager, django_capture_on_commit_callbacks
):
    review, leads, member = setup
    reports = _request(review, manager, django_capture_on_commit_callbacks)
    police = _ready(reports["Police"], leads["Police"])
    with pytest.raises(ValidationError, match="what the agency should change"):
        report_return(report=police, actor=member, comments=" ")
    police = report_return(report=police, actor=member, comments="Add the 2025 contacts")
    assert police.status == "returned"
    report_upload(report=police, actor=leads["Police"], file=SimpleUploadedFile("v2.pdf", PDF))
    police = report_submit(report=police, actor=leads["Police"])
    report_accept(report=police, actor=member)
    review.refresh_from_db()
    assert review.stage == Review.Stage.AGENCY_REPORTS  # Health is still open

    report_excuse(report=reports["Health"], actor=manager, comments="No contact with the family")
    review.refresh_from_db()
    assert review.stage == Review.Stage.OVERVIEW
    assert police.history.latest().history_user == member


@pytest.mark.parametrize(
    ("status", "to"),
    [
        (ReportRequest.Status.REQUESTED, ReportRequest.Status.ACCEPTED),
        (ReportRequest.Status.REQUESTED, ReportRequest.Status.RETURNED),
        (ReportRequest.Status.ACCEPTED, ReportRequest.Status.SUBMITTED),
        (ReportRequest.Status.EXCUSED, ReportRequest.Status.SUBMITTED),
        (ReportRequest.Status.ACCEPTED, ReportRequest.Status.RETURNED),
    ],
)
def test_illegal_report_transitions_are_refused(status, to):
    with pytest.raises(ValidationError, match="cannot become"):
        ReportRequest(status=status).check_transition(to)


def test_agency_leads_see_only_their_own_report_and_panel_only_submitted_versions(
    client, setup, manager, django_capture_on_commit_callbacks
):
    review, leads, member = setup
    reports = _request(review, manager, django_capture_on_commit_callbacks)
    police = reports["Police"]
    report_records_secure(report=police, actor=leads["Police"], note="Niche")
    report_upload(report=police, actor=leads["Police"], file=SimpleUploadedFile("d.pdf", PDF))
    page = reverse("reviews:report", args=[review.reference, police.pk])
    draft = reverse("reviews:report_download", args=[review.reference, police.pk, 1])

    client.force_login(leads["Health"])
    assert client.get(page).status_code == 403
    assert client.get(draft).status_code == 403
    client.force_login(member)
    assert client.get(page).status_code == 200
    assert client.get(draft).status_code == 404  # a draft is the agency's own
    client.force_login(leads["Police"])
    download = client.get(draft)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"

    report_submit(report=police, actor=leads["Police"])
    client.force_login(member)
    assert client.get(draft).status_code == 200


def test_upload_form_shows_a_govuk_error_for_a_disguised_file(
    client, setup, manager, django_capture_on_commit_callbacks
):
    review, leads, _ = setup
    police = _request(review, manager, django_capture_on_commit_callbacks)["Police"]
    client.force_login(leads["Police"])
    response = client.post(
        reverse("reviews:report_upload", args=[review.reference, police.pk]),
        {"file": SimpleUploadedFile("report.pdf", b"MZ not a pdf", "application/pdf")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_file">The selected file must be a PDF, DOCX or ODT</a>' in html
    assert "<title>Error: " in html
    assert not ReportVersion.objects.exists()


def test_only_the_panel_decides_and_only_the_lead_uploads(
    client, setup, manager, django_capture_on_commit_callbacks
):
    review, leads, _ = setup
    police = _ready(
        _request(review, manager, django_capture_on_commit_callbacks)["Police"], leads["Police"]
    )
    accept = reverse("reviews:report_decide", args=[review.reference, police.pk, "accept"])
    client.force_login(leads["Police"])
    assert client.post(accept).status_code == 403
    client.force_login(manager)
    upload = reverse("reviews:report_upload", args=[review.reference, police.pk])
    assert client.post(upload, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 403
    bogus = reverse("reviews:report_decide", args=[review.reference, police.pk, "publish"])
    assert client.post(bogus).status_code == 403
    police.refresh_from_db()
    assert police.status == "submitted"


def test_a_long_reason_is_kept_whole_in_history(report, manager):
    reason = (
        "The agency's contact was a single phone call, already in the police report. " * 6
    ).strip()
    report_excuse(report=report, actor=manager, comments=reason)
    assert report.history.first().history_change_reason == f"excused: {reason}"


def test_a_stale_decision_says_what_happened_and_changes_nothing(
    client, setup, manager, django_capture_on_commit_callbacks
):
    """Two panel members had the report open; one accepted it, then the other pressed
    "Return": they are told it was already accepted, not that they have no access."""
    review, leads, member = setup
    police = _ready(
        _request(review, manager, django_capture_on_commit_callbacks)["Police"], leads["Police"]
    )
    report_accept(report=police, actor=member, comments="Thorough")
    client.force_login(manager)
    response = client.post(
        reverse("reviews:report_decide", args=[review.reference, police.pk, "return"]),
        {"comments": "Please add the GP's contacts"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "This report has already been accepted" in html
    assert "nothing was changed" in html
    assert "Please add the GP&#x27;s contacts" in html  # the comments typed are kept
    police.refresh_from_db()
    assert police.status == "accepted"
    assert police.comments == "Thorough"


def test_the_access_log_tells_a_download_from_a_look(client, report):
    client.force_login(report.lead)
    report_records_secure(report=report, actor=report.lead, note="Case system")
    version = report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.pdf", PDF))
    args = [report.review.reference, report.pk]
    client.get(reverse("reviews:report", args=args))
    client.get(reverse("reviews:report_download", args=[*args, version.number]))
    ref = f"{report.review.reference}/{report.pk}"
    actions = list(
        AccessLog.objects.filter(object_ref=ref).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["view", "download"]


def test_a_report_of_another_review_is_a_logged_refusal(client, report, manager):
    other = ReviewFactory(reference="SCR-2026-900", created_by=manager)
    client.force_login(manager)
    response = client.get(reverse("reviews:report", args=[other.reference, report.pk]))
    assert response.status_code == 404
    assert AccessLog.objects.filter(
        object_ref=f"{other.reference}/{report.pk}", allowed=False
    ).exists()


def test_returning_a_report_without_comments_asks_for_them(
    client, setup, manager, django_capture_on_commit_callbacks
):
    review, leads, member = setup
    police = _ready(
        _request(review, manager, django_capture_on_commit_callbacks)["Police"], leads["Police"]
    )
    client.force_login(member)
    response = client.post(
        reverse("reviews:report_decide", args=[review.reference, police.pk, "return"]),
        {"comments": ""},
    )
    assert response.status_code == 200
    assert "what the agency should change" in response.content.decode()
    police.refresh_from_db()
    assert police.status == "submitted"
