"""The submission pack for the national bodies: the board manager records a sending, and
downloads its zip of public PDFs and metadata sheet once they are ready."""

import csv
import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from publication import documents as store
from publication.models import PublicationVersion, RenderedDocument, SubmissionPack
from publication.packs import pack_record
from reviews.models import AccessLog, StageTransition
from tests.factories import PublicationFactory, PublicationVersionFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    """A full publication version of a review at the publication stage, published."""
    version = PublicationVersionFactory(
        form=PublicationVersion.Form.FULL,
        title='=HYPERLINK("http://x") Child Q',
        summary_html="<p>Agencies did not share what they knew.</p>",
        body_html="<p>The full account.</p>",
    )
    PublicationFactory(version=version)
    return version


def _url(review, name="publication:pack", *args):
    return reverse(name, args=[review.reference, *args])


def _post(client, review, **data):
    today = timezone.localdate()
    form = {
        "bodies": ["national_panel", "nspcc"],
        "sent_on_0": today.day,
        "sent_on_1": today.month,
        "sent_on_2": today.year,
        "submission": str(uuid.uuid4()),
    }
    return client.post(_url(review), {**form, **data})


def test_there_is_no_pack_without_a_publication_version(client, manager):
    review = ReviewFactory(created_by=manager)
    client.force_login(manager)
    page = client.get(_url(review)).content.decode()
    assert "There is no publication version of this review yet" in page
    assert "Record as sent" not in page
    response = _post(client, review)
    assert "There is no publication version to send yet" in response.content.decode()
    assert not SubmissionPack.objects.exists()


def test_recording_a_sending_then_downloading_its_pack(
    client, manager, version, django_capture_on_commit_callbacks
):
    review = version.review
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, review)
    assert response.status_code == 302
    pack = SubmissionPack.objects.get()
    assert (pack.version, pack.bodies, pack.sent_by) == (
        version,
        ["national_panel", "nspcc"],
        manager,
    )
    assert pack.history.get().history_user == manager
    line = StageTransition.objects.filter(review=review, summary__startswith="Submission pack")
    assert line.get().summary == (
        "Submission pack sent to Child Safeguarding Practice Review Panel, "
        "NSPCC national case review repository"
    )
    page = client.get(_url(review)).content.decode()
    assert "NSPCC national case review repository" in page

    response = client.get(_url(review, "publication:pack_download", pack.pk))
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store, private"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    prefix = review.reference
    assert sorted(archive.namelist()) == [
        f"{prefix}-metadata.csv",
        f"{prefix}-public-report.pdf",
        f"{prefix}-public-summary.pdf",
    ]
    assert archive.read(f"{prefix}-public-report.pdf").startswith(b"%PDF")
    header, row = csv.reader(
        io.StringIO(archive.read(f"{prefix}-metadata.csv").decode("utf-8-sig"))
    )
    sheet = dict(zip(header, row, strict=True))
    assert sheet["Reference"] == review.reference
    assert sheet["Title"].startswith("'=HYPERLINK")  # no formula in a spreadsheet
    assert sheet["Referred on"] == review.referred_on.isoformat()
    assert sheet["Published on"] == timezone.localdate(version.publication.published_at).isoformat()
    assert sheet["Form"] == "The full overview report"
    assert sheet["Sent to"] == (
        "Child Safeguarding Practice Review Panel; NSPCC national case review repository"
    )
    log = AccessLog.objects.get(object_type="submission_pack", action="download")
    assert (log.user, log.allowed) == (manager, True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bodies": []}, "Select the national bodies the pack was sent to"),
        ({"bodies": ["ofsted", "the-press"]}, "Select a valid choice"),
        ({"sent_on_0": "", "sent_on_1": "", "sent_on_2": ""}, "Enter the date the pack was sent"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, manager, version, data, message):
    client.force_login(manager)
    response = _post(client, version.review, **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert not SubmissionPack.objects.exists()
    assert not RenderedDocument.objects.exists()


def test_a_date_in_the_future_is_refused(manager, version):
    with pytest.raises(ValidationError, match="must be today or in the past"):
        pack_record(
            review=version.review,
            actor=manager,
            bodies=["ofsted"],
            sent_on=timezone.localdate() + timedelta(days=1),
        )
    assert not SubmissionPack.objects.exists()


def test_the_same_submission_records_one_sending(client, manager, version):
    client.force_login(manager)
    submission = str(uuid.uuid4())
    _post(client, version.review, submission=submission)
    _post(client, version.review, submission=submission)
    assert SubmissionPack.objects.count() == 1


def test_the_pack_waits_for_its_pdfs_and_a_failed_one_is_tried_again(
    client, manager, monkeypatch, django_capture_on_commit_callbacks
):
    version = PublicationVersionFactory(form=PublicationVersion.Form.SUMMARY)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False):
        _post(client, version.review)
    pack = SubmissionPack.objects.get()
    download = _url(version.review, "publication:pack_download", pack.pk)
    page = client.get(download).content.decode()
    assert "The pack is being prepared" in page
    assert f'href="{download}">Check again' in page

    document = RenderedDocument.objects.get()
    document.status, document.error = RenderedDocument.Status.FAILED, "RuntimeError"
    document.save()
    assert "could not be prepared" in client.get(download).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(download)
    response = client.get(download)
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == [
        f"{version.review.reference}-metadata.csv",
        f"{version.review.reference}-public-summary.pdf",
    ]
    assert store.document_get(
        review=version.review, kind="public_summary", source_key=version.digest
    ).is_ready


@pytest.mark.parametrize(("person", "status"), [("Chair", 403), ("outsider", 404)])
def test_only_the_board_manager_has_the_pack(client, users_by_role, version, person, status):
    client.force_login(users_by_role[person])
    assert client.get(_url(version.review)).status_code == status
    assert _post(client, version.review).status_code == status
    assert not SubmissionPack.objects.exists()


def test_the_publication_page_links_the_board_manager_to_the_pack(client, users_by_role, version):
    pack_url = _url(version.review)
    for person, linked in (("Board manager", True), ("Chair", False)):
        client.force_login(users_by_role[person])
        page = client.get(_url(version.review, "publication:plan")).content.decode()
        assert (pack_url in page) is linked
