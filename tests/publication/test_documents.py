"""A review's PDFs: the store (asked for once per source, rendered by a task, swept when the
task is lost, failed tries retried), the shared layout, the combined chronology and the action
plan, and their pages and downloads."""

import io
import subprocess
from datetime import date, timedelta
from types import SimpleNamespace

import pikepdf
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from publication import documents as store
from publication.document_services import document_request, publication_pdf, report_pdf
from publication.documents import document_filename, document_render, documents_due
from publication.models import PublicationVersion, RenderedDocument
from publication.rendering import action_plan_source, chronology_source
from publication.tasks import document_render_task, documents_sweep_task
from reviews.builders import Cast, review_at
from reviews.models import AccessLog, OverviewSection
from reviews.services.actions import action_progress
from tests.conftest import PERIOD_2025
from tests.documents import canary_server, dark_share_of_first_page, pdf_text, spy_on_pdf_fetcher
from tests.factories import (
    AgencyFactory,
    ChronologyEntryFactory,
    KeyEpisodeFactory,
    OverviewVersionFactory,
    PublicationVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = RenderedDocument.Status
Kind = RenderedDocument.Kind


@pytest.fixture
def overview_review(overview):
    """The stage 5 review of tests/conftest.py, with two entries in its first agency's
    accepted chronology, one of them a key practice episode."""
    report = overview.reports[0]
    ChronologyEntryFactory(request=report, occurred_on=date(2025, 3, 4), what_happened="Visit.")
    KeyEpisodeFactory(
        entry=ChronologyEntryFactory(
            request=report, occurred_on=date(2025, 5, 6), what_happened="Second injury seen."
        ),
        note="No referral was made.",
    )
    return overview


@pytest.fixture
def plan(manager, chair):
    """A review at the publication stage: two agencies, one action each (the first with
    progress recorded), and each agency's lead."""
    agencies = [AgencyFactory(name="Alpha Police"), AgencyFactory(name="Beta Health Trust")]
    leads = {}
    for agency in agencies:
        leads[agency.pk] = UserFactory(agency=agency)
        person_roles_set(person=leads[agency.pk], roles=[Role.AGENCY_LEAD], agency=agency)
    cast = Cast(manager=manager, chair=chair, leads=leads)
    target = timezone.localdate() + timedelta(days=60)
    built = review_at(
        "publication",
        cast=cast,
        agencies_in_scope=agencies,
        terms=PERIOD_2025,
        recommendations=["Share information at once."],
        actions=[
            {
                "recommendation": 0,
                "agency": agency,
                "lead_name": f"Lead {number}",
                "change": f"{agency.name} checks weekly.",
                "difference": "Earlier help.",
                "target_on": target,
            }
            for number, agency in enumerate(agencies, start=1)
        ],
    )
    action_progress(
        action=built.actions[0],
        actor=manager,
        status="on_track",
        note="Half the team trained.",
        evidence="",
    )
    return SimpleNamespace(
        review=built.review, agencies=agencies, leads=[leads[a.pk] for a in agencies], cast=cast
    )


def _ask(review, source, actor, agency_id=None, *, run, capture):
    """Ask for a document, running the task queued on commit if ``run``."""
    with capture(execute=run) as callbacks:
        document = document_request(review=review, source=source, actor=actor, agency_id=agency_id)
    document.refresh_from_db()
    return document, callbacks


def _assert_inert(data: bytes) -> None:
    """No attachment, no action and no script in the PDF."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.attachments) == 0
        for active in ("/OpenAction", "/AA", "/JavaScript", "/AcroForm"):
            assert active not in pdf.Root
        names = pdf.Root.get("/Names", {})  # the contents' links have named destinations
        assert "/JavaScript" not in names
        assert "/EmbeddedFiles" not in names


def _page_text(data: bytes, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()


# --- The store ---


def test_asking_writes_a_pending_row_and_the_task_renders_it_once_committed(
    overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    document, callbacks = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=False,
        capture=django_capture_on_commit_callbacks,
    )
    assert document.status == Status.PENDING
    assert len(callbacks) == 1
    assert document.history.first().history_user == manager

    assert document_render_task(document.pk) is True

    document.refresh_from_db()
    assert document.status == Status.READY
    data = document.file.read()
    assert data.startswith(b"%PDF")
    assert document.bytes == len(data)
    assert document.pages == int(
        subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
        .stdout.decode()
        .split("Pages:")[1]
        .split()[0]
    )
    assert document.render_seconds > 0
    assert document.file.name.startswith("documents/")
    assert document_render_task(document.pk) is False  # a redelivered task renders nothing


def test_a_second_request_for_the_same_source_returns_the_stored_file(
    overview_review, manager, chair, django_capture_on_commit_callbacks
):
    review = overview_review.review
    first, _ = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    again, callbacks = _ask(
        review,
        chronology_source(review=review),
        chair,
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    assert again.pk == first.pk
    assert again.status == Status.READY
    assert callbacks == []
    assert again.requested_by == manager


def test_a_change_to_the_chronology_makes_a_new_document(
    overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    before = chronology_source(review=review)
    first, _ = _ask(review, before, manager, run=True, capture=django_capture_on_commit_callbacks)
    entry = ChronologyEntryFactory(request=overview_review.reports[0], what_happened="New.")
    after = chronology_source(review=review)
    assert after.key != before.key
    second, _ = _ask(review, after, manager, run=True, capture=django_capture_on_commit_callbacks)
    assert second.pk != first.pk
    assert "New." in pdf_text(second.file.read())
    entry.what_happened = "Corrected."
    entry.save()
    assert chronology_source(review=review).key not in (before.key, after.key)


def test_data_changed_before_rendering_fails_the_document_without_retry(
    overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    document, _ = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=False,
        capture=django_capture_on_commit_callbacks,
    )
    ChronologyEntryFactory(request=overview_review.reports[0])
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert "SourceChanged" in document.error
    assert not document.file


def test_the_sweep_renders_a_document_whose_task_was_lost(
    overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    document, _ = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=False,
        capture=django_capture_on_commit_callbacks,
    )
    assert documents_due() == []  # its task may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert documents_due() == [document.pk]
        assert documents_sweep_task() == 1
    document.refresh_from_db()
    assert document.status == Status.READY


def test_a_document_held_by_a_dead_worker_is_taken_again_once_its_lease_ends(
    overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    document, _ = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=False,
        capture=django_capture_on_commit_callbacks,
    )
    now = timezone.now()
    document.status, document.attempts = Status.RENDERING, 1
    document.lease_until = now + timedelta(minutes=10)
    document.save()
    assert document_render(document_id=document.pk) is None  # another worker holds it
    with time_machine.travel(now + timedelta(minutes=11)):
        assert documents_due() == [document.pk]
        documents_sweep_task()
    document.refresh_from_db()
    assert (document.status, document.attempts) == (Status.READY, 2)


def test_a_failed_try_is_retried_then_failed_then_asked_for_again(
    overview_review, manager, settings, monkeypatch, django_capture_on_commit_callbacks
):
    review = overview_review.review
    settings.DOCUMENT_MAX_ATTEMPTS = 2

    def broken(template, context):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(store, "render_pdf", broken)
    document, _ = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    assert (document.status, document.attempts) == (Status.PENDING, 1)
    assert "renderer crashed" in document.error
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert (document.status, document.attempts) == (Status.FAILED, 2)

    monkeypatch.undo()
    again, callbacks = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    assert again.pk == document.pk
    assert len(callbacks) == 1
    assert (again.status, again.error) == (Status.READY, "")
    assert again.history.filter(history_change_reason="asked for again").exists()


# --- Layout and content ---


def test_the_chronology_pdf_has_cover_contents_header_and_footer(
    overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    report = overview_review.reports[0]
    for day in range(1, 29):
        ChronologyEntryFactory(
            request=report,
            occurred_on=date(2025, 7, day),
            what_happened=f"Contact number {day}. " + "Words of the record. " * 12,
        )
    document, _ = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    data = document.file.read()
    assert document.pages >= 4
    cover = _page_text(data, 1)
    for text in ("Northshire Safeguarding", "Combined chronology", review.reference):
        assert text in cover
    assert "OFFICIAL-SENSITIVE" in cover
    assert "Page 1 of" not in cover
    contents = _page_text(data, 2)
    assert "Contents" in contents
    assert f"Page 2 of {document.pages}" in contents
    for page in range(2, document.pages + 1):
        text = _page_text(data, page)
        assert review.reference in text.splitlines()[0]
        assert text.count("OFFICIAL-SENSITIVE") == 2  # header and footer
        assert f"Page {page} of {document.pages}" in text
    # The contents give the page each section starts on; the table repeats its header row.
    key_page = next(
        page
        for page in range(3, document.pages + 1)
        if "Key practice episodes" in [line.strip() for line in _page_text(data, page).splitlines()]
    )
    assert any(
        line.startswith("Key practice episodes") and line.rstrip().endswith(str(key_page))
        for line in contents.splitlines()
    )
    table_pages = [p for p in range(3, key_page + 1) if "Contact number" in _page_text(data, p)]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "What happened" in _page_text(data, page)
    assert dark_share_of_first_page(data) > 0.001


def test_the_action_plan_pdf_lists_each_action_with_its_latest_progress(
    plan, manager, django_capture_on_commit_callbacks
):
    source = action_plan_source(review=plan.review, agency_id=None)
    document, _ = _ask(
        plan.review, source, manager, run=True, capture=django_capture_on_commit_callbacks
    )
    text = pdf_text(document.file.read())
    for expected in (
        "Action plan",
        "Recommendation 1",
        "Share information at once.",
        "Alpha Police checks weekly.",
        "Beta Health Trust checks weekly.",
        "Lead 1",
        "Half the team trained.",
        "On track",
        "No progress recorded yet.",
        "OFFICIAL-SENSITIVE",
    ):
        assert expected in text, expected
    assert dark_share_of_first_page(document.file.open().read()) > 0.001


def test_an_agency_leads_action_plan_holds_only_their_agencys_actions(
    plan, django_capture_on_commit_callbacks
):
    alpha = plan.agencies[0]
    source = action_plan_source(review=plan.review, agency_id=alpha.pk)
    assert source.key != action_plan_source(review=plan.review, agency_id=None).key
    document, _ = _ask(
        plan.review,
        source,
        plan.leads[0],
        alpha.pk,
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    text = pdf_text(document.file.read())
    assert "Alpha Police checks weekly." in text
    assert "Beta" not in text
    assert document.agency_id == alpha.pk


# --- Hostile text ---

HOSTILE = (
    '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
    ' <img src="http://127.0.0.1:{port}/img.png"> <script>alert("x")</script>'
)


def test_markup_in_an_entry_prints_as_text_and_fetches_nothing(
    overview_review, manager, monkeypatch, django_capture_on_commit_callbacks
):
    fetched = spy_on_pdf_fetcher(monkeypatch)
    review = overview_review.review
    with canary_server() as (port, hits):
        hostile = HOSTILE.format(port=port)
        ChronologyEntryFactory(
            request=overview_review.reports[0], what_happened=hostile, analysis=hostile
        )
        document, _ = _ask(
            review,
            chronology_source(review=review),
            manager,
            run=True,
            capture=django_capture_on_commit_callbacks,
        )
    assert hits == []
    assert [url for url, _ in fetched] == ["https://scr.invalid/static/css/document.css"]
    data = document.file.read()
    _assert_inert(data)
    text = pdf_text(data).replace("\n", " ")
    assert '<script>alert("x")</script>' in text
    assert '<img src="file:///etc/passwd">' in text
    assert "root:" not in text


# --- Pages and downloads ---


def _document_url(review, kind):
    return reverse("publication:document", args=[review.reference, kind])


def test_asking_on_the_page_then_downloading(
    client, overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    client.force_login(overview_review.author)
    url = _document_url(review, "chronology")
    assert "Prepare the PDF" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    page = client.get(url).content.decode()
    document = RenderedDocument.objects.get(review=review)
    download = reverse(
        "publication:document_download", args=[review.reference, "chronology", document.pk]
    )
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store, private"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = AccessLog.objects.filter(object_type="document", action="download").get()
    assert (log.user, log.allowed) == (overview_review.author, True)
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_the_page_says_a_pdf_is_being_prepared_with_a_link_to_check_again(
    client, overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    client.force_login(manager)
    url = _document_url(review, "chronology")
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    page = client.get(url).content.decode()
    assert "The PDF is being prepared" in page
    assert f'href="{url}">Check again' in page


def test_an_agency_lead_gets_neither_the_chronology_nor_another_scope_of_the_plan(
    client, plan, manager, django_capture_on_commit_callbacks
):
    whole, _ = _ask(
        plan.review,
        action_plan_source(review=plan.review, agency_id=None),
        manager,
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    client.force_login(plan.leads[0])
    assert client.get(_document_url(plan.review, "chronology")).status_code == 403
    download = reverse(
        "publication:document_download", args=[plan.review.reference, "action_plan", whole.pk]
    )
    assert client.get(download).status_code == 404
    assert AccessLog.objects.filter(object_type="document", allowed=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_document_url(plan.review, "action_plan"))
    own = RenderedDocument.objects.get(review=plan.review, agency=plan.agencies[0])
    assert "Beta" not in pdf_text(own.file.read())


def test_an_unknown_kind_is_not_found(client, plan, manager):
    client.force_login(manager)
    assert client.get(_document_url(plan.review, "overview_report")).status_code == 404


@pytest.mark.parametrize("entries", [2, 40])
def test_the_page_reads_a_bounded_number_of_rows(
    client, overview_review, manager, entries, django_assert_max_num_queries
):
    for _ in range(entries):
        ChronologyEntryFactory(request=overview_review.reports[0])
    client.force_login(manager)
    with django_assert_max_num_queries(30):
        assert client.get(_document_url(overview_review.review, "chronology")).status_code == 200


# --- Versions of the report, and publication versions ---

HOSTILE_HTML = (
    '<p>Before <img src="file:///etc/passwd"> <link rel="stylesheet" '
    'href="http://127.0.0.1:{port}/x.css"> <a href="http://127.0.0.1:{port}/a">link</a> '
    '<img src="http://127.0.0.1:{port}/i.png"><script>alert("x")</script> after.</p>'
    '<style>p {{ background: url("http://127.0.0.1:{port}/bg.png") }}</style>'
)


def test_a_report_version_prints_its_sections_in_order_and_marked(
    overview_review, manager, django_capture_on_commit_callbacks
):
    version = OverviewVersionFactory(review=overview_review.review, number=3)
    with django_capture_on_commit_callbacks(execute=True):
        document = report_pdf(version=version, kind=Kind.OVERVIEW_REPORT, actor=manager)
    document.refresh_from_db()
    assert (document.status, document.source_key) == (Status.READY, "v3")
    text = pdf_text(document.file.read())
    labels = [label for _, label in OverviewSection.Key.choices]
    positions = [text.index(f"{label} of version 3.") for label in labels]
    assert positions == sorted(positions)
    assert "OFFICIAL-SENSITIVE" in text
    assert document_filename(document).endswith("-overview-report-v3.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        summary = report_pdf(version=version, kind=Kind.EXECUTIVE_SUMMARY, actor=manager)
    summary.refresh_from_db()
    text = pdf_text(summary.file.read())
    assert "Executive summary of version 3." in text
    assert "Lessons of version 3." not in text
    assert dark_share_of_first_page(summary.file.open().read()) > 0.001
    with pytest.raises(ValueError, match="not a document of a report version"):
        report_pdf(version=version, kind=Kind.PUBLIC_REPORT, actor=manager)


def test_markup_in_a_report_section_fetches_nothing(
    overview_review, manager, monkeypatch, django_capture_on_commit_callbacks
):
    fetched = spy_on_pdf_fetcher(monkeypatch)
    with canary_server() as (port, hits):
        # Written past the services (which sanitise): the PDF sanitises again.
        version = OverviewVersionFactory(
            review=overview_review.review,
            sections={"executive_summary": HOSTILE_HTML.format(port=port)},
        )
        with django_capture_on_commit_callbacks(execute=True):
            document = report_pdf(version=version, kind=Kind.EXECUTIVE_SUMMARY, actor=manager)
    assert hits == []
    assert [url for url, _ in fetched] == ["https://scr.invalid/static/css/document.css"]
    document.refresh_from_db()
    data = document.file.read()
    _assert_inert(data)
    text = pdf_text(data)
    assert "Before" in text
    assert "after." in text
    assert "alert" not in text
    assert "root:" not in text


def test_a_publication_version_prints_unmarked_and_is_kept_by_its_digest(
    manager, django_capture_on_commit_callbacks
):
    version = PublicationVersionFactory(
        form=PublicationVersion.Form.FULL,
        title="Child Q: a serious case review",
        summary_html="<p>Agencies did not share what they knew.</p>",
        body_html="<h3>What happened</h3><p>The full account.</p>",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = publication_pdf(version, Kind.PUBLIC_REPORT)
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert (document.source_key, document.requested_by) == (version.digest, None)
    data = document.file.read()
    text = pdf_text(data)
    for expected in ("Child Q: a serious case review", "Agencies did not share", "full account"):
        assert expected in text
    assert "OFFICIAL" not in text
    assert dark_share_of_first_page(data) > 0.001
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert publication_pdf(version, Kind.PUBLIC_REPORT).pk == document.pk
    assert callbacks == []

    with django_capture_on_commit_callbacks(execute=True):
        summary = publication_pdf(version, Kind.PUBLIC_SUMMARY)
    summary.refresh_from_db()
    assert "full account" not in pdf_text(summary.file.read())


def test_a_summary_only_version_has_no_full_report(manager):
    version = PublicationVersionFactory(form=PublicationVersion.Form.SUMMARY)
    with pytest.raises(ValueError, match="summary only"):
        publication_pdf(version, Kind.PUBLIC_REPORT)
    assert not RenderedDocument.objects.exists()


def test_a_report_versions_pdf_is_asked_for_on_its_page(
    client, overview_review, django_capture_on_commit_callbacks
):
    review = overview_review.review
    OverviewVersionFactory(review=review, number=1)
    client.force_login(overview_review.author)
    url = reverse("publication:report_document", args=[review.reference, 1, "overview_report"])
    assert "Overview report, version 1 (PDF)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    document = RenderedDocument.objects.get(review=review, kind=Kind.OVERVIEW_REPORT)
    assert document.is_ready
    missing = reverse("publication:report_document", args=[review.reference, 2, "overview_report"])
    assert client.get(missing).status_code == 404
    assert client.get(_document_url(review, "overview_report")).status_code == 404
    public = reverse("publication:report_document", args=[review.reference, 1, "public_report"])
    assert client.get(public).status_code == 404


def test_the_render_documents_command_renders_what_is_due(
    overview_review, manager, django_capture_on_commit_callbacks
):
    review = overview_review.review
    document, _ = _ask(
        review,
        chronology_source(review=review),
        manager,
        run=False,
        capture=django_capture_on_commit_callbacks,
    )
    out = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        call_command("render_documents", stdout=out)
    assert out.getvalue() == "1 documents rendered\n"
    document.refresh_from_db()
    assert document.is_ready


def test_an_agency_lead_gets_no_version_of_the_report(client, overview_review):
    review = overview_review.review
    OverviewVersionFactory(review=review, number=1)
    client.force_login(overview_review.leads[0])
    url = reverse("publication:report_document", args=[review.reference, 1, "executive_summary"])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not RenderedDocument.objects.exists()
