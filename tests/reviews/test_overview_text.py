"""Stage 5: the overview report's text, section by section, as versions written in the service
or imported from a Word draft; versions read and compared; the agreement bound to one."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import AccessLog, OverviewDraft, OverviewVersion, StageTransition
from reviews.selectors.progress import Status, review_progress
from reviews.services.overview import overview_draft_upload
from reviews.services.overview_text import (
    overview_import_upload,
    overview_version_import,
    overview_version_write,
)
from scr.richtext import html_to_text
from tests.conftest import pdf
from tests.documents import (
    REL,
    report_docx,
    word_heading,
    word_paragraph,
    word_picture,
    word_table,
)
from tests.factories import OverviewVersionFactory

pytestmark = pytest.mark.django_db

REPORT = (
    word_paragraph("Child A: overview report", "Title")
    + word_heading("1. Executive summary")
    + word_paragraph("Five agencies knew Child A.")
    + word_heading("2. Summary of the case")
    + word_paragraph("The family moved twice in 2024.")
    + word_heading("Appendix: glossary")
    + word_paragraph("SCR: serious case review.")
    + word_heading("Analysis of agency involvement")
    + word_table([["Agency", "Contacts"], ["Police", "3"]])
    + word_heading("Lessons learned")
    + word_paragraph("Information was not shared.")
    + word_heading("Recommendations")
    + word_paragraph("Share attendance data weekly.")
)


def _docx(body=REPORT, name="report.docx", **options):
    return SimpleUploadedFile(name, report_docx(body, **options))


def _write(overview, actor=None, version=None, **texts):
    return overview_version_write(
        review=overview.review, actor=actor or overview.author, texts=texts, version=version
    )


def _word_draft(overview, body=REPORT):
    return overview_import_upload(review=overview.review, actor=overview.author, file=_docx(body))


def _timeline(review):
    return list(
        review.transitions.filter(kind=StageTransition.Kind.OVERVIEW).values_list(
            "summary", flat=True
        )
    )


# Writing in the service


def test_writing_makes_version_one_from_the_writing_form_with_history_and_timeline(overview):
    version = _write(
        overview,
        executive_summary="Five agencies knew Child A.\n\n## Schools\n\n- attendance\n- meals",
        lessons="Share <data>.",
    )
    assert (version.number, version.source) == (1, OverviewVersion.Source.WRITTEN)
    sections = {section.key: section.html for section in version.sections.all()}
    assert len(sections) == 8
    assert sections["executive_summary"] == (
        "<p>Five agencies knew Child A.</p><h3>Schools</h3><ul><li>attendance</li>"
        "<li>meals</li></ul>"
    )
    assert sections["lessons"] == "<p>Share &lt;data&gt;.</p>"
    assert sections["recommendations"] == ""
    assert version.history.get().history_user == overview.author
    assert "Overview report version 1 written" in _timeline(overview.review)


def test_saving_unchanged_text_makes_no_version_and_says_so(overview):
    _write(overview, lessons="Share data.")
    with pytest.raises(ValidationError, match="Nothing was changed since version 1") as error:
        _write(overview, version=1, lessons="Share data.\n")
    assert error.value.code == "unchanged"
    assert overview.review.overview_versions.count() == 1


def test_an_empty_report_is_not_saved(overview):
    with pytest.raises(ValidationError, match="Write at least one section"):
        _write(overview, lessons="   ")
    assert not OverviewVersion.objects.exists()


def test_the_text_changes_only_at_the_overview_stage(review, manager):
    with pytest.raises(ValidationError, match="overview stage"):
        overview_version_write(review=review, actor=manager, texts={"lessons": "Share."})


def test_saving_over_a_version_made_since_the_page_opened_is_refused(overview, manager):
    _write(overview, lessons="Share data.")
    _write(overview, actor=manager, version=1, lessons="Share data weekly.")
    with pytest.raises(ValidationError) as error:
        _write(overview, version=1, lessons="Share data daily.")
    assert error.value.code == "conflict"
    assert "Version 2 of the report text was made by" in error.value.messages[0]
    assert overview.review.overview_versions.count() == 2
    # Having seen version 2, the author saves over it deliberately.
    assert _write(overview, version=2, lessons="Share data daily.").number == 3


def test_a_repeated_submission_makes_one_version(overview):
    submission = "0f5c7a4e-8a40-4d8e-9d1e-2f9d6a3b1c11"
    texts = {"lessons": "Share data."}
    first = overview_version_write(
        review=overview.review, actor=overview.author, texts=texts, submission=submission
    )
    again = overview_version_write(
        review=overview.review, actor=overview.author, texts=texts, submission=submission
    )
    assert first == again
    assert overview.review.overview_versions.count() == 1


# Importing a Word draft


def test_importing_a_word_draft_cuts_it_into_sections_and_keeps_where_it_came_from(overview):
    overview_draft_upload(review=overview.review, actor=overview.author, file=pdf(), note="")
    draft = _word_draft(overview)
    version = overview_version_import(review=overview.review, actor=overview.author, draft=draft)
    assert (version.number, version.source, version.draft) == (1, "imported", draft)
    sections = {section.key: section.html for section in version.sections.all()}
    assert sections["executive_summary"] == "<p>Five agencies knew Child A.</p>"
    assert sections["case_summary"] == (
        "<p>The family moved twice in 2024.</p><h3>Appendix: glossary</h3>"
        "<p>SCR: serious case review.</p>"
    )
    assert sections["agency_analysis"].startswith("<table>")
    assert "Overview report version 1 imported from draft 2" in _timeline(overview.review)


def test_editing_one_section_keeps_the_table_of_another(overview):
    draft = _word_draft(overview)
    imported = overview_version_import(review=overview.review, actor=overview.author, draft=draft)
    before = {section.key: section.html for section in imported.sections.all()}
    texts = {key: html_to_text(html) for key, html in before.items()}
    texts["lessons"] = "Information was not shared in time."
    written = _write(overview, version=1, **texts)
    after = {section.key: section.html for section in written.sections.all()}
    assert after["agency_analysis"] == before["agency_analysis"]
    assert after["lessons"] == "<p>Information was not shared in time.</p>"


def test_importing_the_same_text_again_makes_no_version(overview):
    draft = _word_draft(overview)
    overview_version_import(review=overview.review, actor=overview.author, draft=draft)
    with pytest.raises(ValidationError, match="Nothing was changed"):
        overview_version_import(
            review=overview.review, actor=overview.author, draft=draft, version=1
        )


def test_a_pdf_draft_cannot_be_imported(overview):
    draft = overview_draft_upload(
        review=overview.review, actor=overview.author, file=pdf(), note=""
    )
    with pytest.raises(ValidationError, match="Word document"):
        overview_version_import(review=overview.review, actor=overview.author, draft=draft)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("report.docx"), "must be a Word document"),
        (
            lambda: SimpleUploadedFile("report.docx", b"PK\x03\x04 broken zip"),
            "must be a PDF, DOCX or ODT",
        ),
        (
            lambda: _docx(
                word_heading("Executive summary") + word_picture("rIdExt", linked=True),
                relationships=[
                    f'<Relationship Id="rIdExt" Type="{REL}/image" '
                    'Target="http://127.0.0.1:9/chart.png" TargetMode="External"/>'
                ],
            ),
            "from outside it",
        ),
    ],
    ids=["pdf", "malformed-zip", "external-picture"],
)
def test_an_upload_for_import_that_is_not_a_safe_word_document_keeps_nothing(
    overview, settings, upload, message
):
    stored = set(Path(settings.MEDIA_ROOT).rglob("*"))
    with pytest.raises(ValidationError, match=message):
        overview_import_upload(review=overview.review, actor=overview.author, file=upload())
    assert not OverviewDraft.objects.exists()
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) == stored


# The pages


def _get(client, person, name, *args, query=""):
    client.force_login(person)
    return client.get(reverse(name, args=args) + query)


def test_the_write_page_is_filled_from_the_latest_version_and_warns_of_a_table(client, overview):
    draft = _word_draft(overview)
    overview_version_import(review=overview.review, actor=overview.author, draft=draft)
    page = _get(client, overview.author, "reviews:overview_write", overview.review.reference)
    content = page.content.decode()
    assert "Five agencies knew Child A." in content
    assert "This section has a table from the Word document" in content
    assert content.count("This section has a table from the Word document") == 1
    assert 'name="version" value="1"' in content


def _write_post(page: str, **changes) -> dict:
    fields = re.findall(r'<textarea name="([a-z_]+)"[^>]*>\n?(.*?)</textarea>', page, re.S)
    data = {name: text.replace("&#x27;", "'").replace("&amp;", "&") for name, text in fields}
    data["version"] = re.search(r'name="version" value="(\d+)"', page).group(1)
    data["submission"] = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    return data | changes


def test_the_author_writes_a_version_through_the_page(client, overview):
    page = _get(client, overview.author, "reviews:overview_write", overview.review.reference)
    url = reverse("reviews:overview_write", args=[overview.review.reference])
    response = client.post(url, _write_post(page.content.decode(), lessons="Share data."))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reviews:overview_version", args=[overview.review.reference, 1]
    )
    again = client.post(url, _write_post(client.get(url).content.decode(), note="No change really"))
    assert again.status_code == 200
    assert "Nothing was changed since version 1, so no new version was made" in (
        again.content.decode()
    )
    assert overview.review.overview_versions.count() == 1


def test_a_save_over_a_newer_version_shows_409_keeping_the_text(client, overview, manager):
    _write(overview, lessons="Share data.")
    url = reverse("reviews:overview_write", args=[overview.review.reference])
    page = _get(client, overview.author, "reviews:overview_write", overview.review.reference)
    _write(overview, actor=manager, version=1, lessons="Share data weekly.")
    response = client.post(url, _write_post(page.content.decode(), lessons="Canary text."))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Canary text." in content
    assert "Version 2 of the report text was made by" in content
    assert "?before=1&amp;after=2" in content
    assert 'name="version" value="2"' in content
    assert overview.review.overview_versions.count() == 2


def test_importing_through_the_pages_checks_the_mapping_before_saving(client, overview):
    review = overview.review
    client.force_login(overview.author)
    body = REPORT + word_paragraph("Chart:") + word_picture("rIdPic")
    upload = _docx(
        body,
        relationships=[f'<Relationship Id="rIdPic" Type="{REL}/image" Target="media/a.png"/>'],
        defaults={"png": "image/png"},
        parts={"word/media/a.png": b"\x89PNG\r\n\x1a\n"},
    )
    response = client.post(
        reverse("reviews:overview_import_upload", args=[review.reference]), {"file": upload}
    )
    check_url = reverse("reviews:overview_import_check", args=[review.reference, 1])
    assert response["Location"] == check_url
    page = client.get(check_url).content.decode()
    assert not OverviewVersion.objects.exists()
    assert re.search(r"2\. Summary of the case</th>\s*<td[^>]*>The case in summary", page)
    assert "Not recognised" in page
    assert "kept as a heading in The case in summary" in page
    assert "Child A: overview report" in page  # the title, left out and shown
    assert "How the review was run" in page  # left empty
    assert "1 picture left out" in page
    assert "Unrecognised paragraph style: Title" in page
    submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    response = client.post(
        check_url,
        {
            "version": "0",
            "submission": submission,
            "note": "As agreed",
            # Never used: the text is read again from the stored file.
            "executive_summary": "<script>alert(1)</script>",
        },
    )
    version = review.overview_versions.get()
    assert response["Location"] == reverse("reviews:overview_version", args=[review.reference, 1])
    assert version.note == "As agreed"
    assert "script" not in "".join(version.sections.values_list("html", flat=True))


def test_an_upload_refused_for_import_shows_the_import_page_with_the_error(client, overview):
    client.force_login(overview.author)
    response = client.post(
        reverse("reviews:overview_import_upload", args=[overview.review.reference]),
        {"file": pdf("report.docx")},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "The selected file must be a Word document (DOCX)" in content


def test_a_pdf_draft_has_no_import_check_page(client, overview):
    overview_draft_upload(review=overview.review, actor=overview.author, file=pdf(), note="")
    page = _get(
        client, overview.author, "reviews:overview_import_check", overview.review.reference, 1
    )
    assert page.status_code == 404


def test_a_version_page_shows_its_sections_and_is_logged(client, overview, chair):
    _write(overview, lessons="Share <b>data</b>.")
    page = _get(client, chair, "reviews:overview_version", overview.review.reference, 1)
    content = page.content.decode()
    assert "<p>Share &lt;b&gt;data&lt;/b&gt;.</p>" in content
    assert "Not written yet." in content
    assert AccessLog.objects.filter(
        user=chair, object_type="overview_version", object_ref=f"{overview.review.reference}/text/1"
    ).exists()
    assert (
        _get(client, chair, "reviews:overview_version", overview.review.reference, 2).status_code
        == 404
    )


def test_agency_leads_cannot_read_the_text_versions(client, overview):
    _write(overview, lessons="Share data.")
    lead = overview.leads[0]
    for name, args in [
        ("reviews:overview_versions", []),
        ("reviews:overview_version", [1]),
        ("reviews:overview_compare", []),
        ("reviews:overview_write", []),
        ("reviews:overview_import", []),
    ]:
        assert _get(client, lead, name, overview.review.reference, *args).status_code == 403
    assert AccessLog.objects.filter(user=lead, object_type="overview", allowed=False).count() == 5


def test_comparing_marks_what_was_removed_and_added_and_folds_what_did_not_change(
    client, overview, manager
):
    _write(overview, lessons="Information was not shared.", recommendations="Share data.")
    _write(
        overview,
        version=1,
        lessons="Information was not shared in time.",
        recommendations="Share data.",
    )
    page = _get(
        client,
        manager,
        "reviews:overview_compare",
        overview.review.reference,
        query="?before=1&after=2",
    ).content.decode()
    assert "Version 1 and version 2 compared" in page
    assert (
        '<ins><span class="govuk-visually-hidden">[added: </span>shared in time.'
        '<span class="govuk-visually-hidden">]</span></ins>'
    ) in page
    assert '<del><span class="govuk-visually-hidden">[removed: </span>shared.' in page
    assert page.count("No change") == 7
    seen = AccessLog.objects.filter(user=manager, object_type="overview_version")
    reference = overview.review.reference
    assert set(seen.values_list("object_ref", flat=True)) == {
        f"{reference}/text/1",
        f"{reference}/text/2",
    }
    assert AccessLog.objects.filter(user=manager, object_type="overview").count() == 1


def test_comparing_a_version_with_itself_says_so(client, overview, manager):
    _write(overview, lessons="Share data.")
    _write(overview, version=1, lessons="Share data weekly.")
    page = _get(
        client,
        manager,
        "reviews:overview_compare",
        overview.review.reference,
        query="?before=2&after=2",
    ).content.decode()
    assert "Select two different versions" in page


def _versions(review, numbers):
    long = "".join(f"<p>Paragraph {n} of the analysis, at some length.</p>" for n in range(300))
    for number in numbers:
        OverviewVersionFactory(
            review=review,
            number=number,
            sections=dict.fromkeys(("lessons", "how_run"), long + f"<p>Version {number}.</p>"),
        )


def _query_counts(client, reference, last):
    counts = []
    for url in [
        reverse("reviews:overview_versions", args=[reference]),
        reverse("reviews:overview_version", args=[reference, last]),
        reverse("reviews:overview_compare", args=[reference]) + f"?before=1&after={last}",
        reverse("reviews:overview_write", args=[reference]),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_version_pages_cost_the_same_with_many_long_versions(client, overview, manager):
    client.force_login(manager)
    reference = overview.review.reference
    _versions(overview.review, [1, 2])
    few = _query_counts(client, reference, 2)
    _versions(overview.review, range(3, 31))
    assert _query_counts(client, reference, 30) == few
    assert max(few) <= 20


def test_the_task_list_names_the_latest_version_of_the_text(overview, manager):
    _write(overview, lessons="Share data.")
    _write(overview, version=1, lessons="Share data weekly.")
    steps = [step for stage in review_progress(overview.review, manager) for step in stage.steps]
    draft = next(step for step in steps if step.key == "draft")
    assert (draft.status, draft.hint) == (Status.IN_PROGRESS, "Report text: version 2")
    overview_draft_upload(review=overview.review, actor=overview.author, file=pdf(), note="")
    steps = [step for stage in review_progress(overview.review, manager) for step in stage.steps]
    draft = next(step for step in steps if step.key == "draft")
    assert draft.hint == "Draft 1 uploaded; report text: version 2"
