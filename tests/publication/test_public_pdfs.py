"""The public site's PDFs: a listed report's summary (and its whole report when published in
full), asked for when it was published and served once rendered; a page saying so before; none
for a summary-only report's whole text, a removed report or an unpublished one."""

import pytest
from django.urls import reverse

from publication.document_services import public_pdf_kinds, publication_pdf
from publication.documents import document_render
from publication.models import PublicationVersion, RenderedDocument
from tests.documents import dark_share_of_first_page, pdf_text
from tests.factories import PublicationFactory, PublicationVersionFactory

pytestmark = pytest.mark.django_db

Kind = RenderedDocument.Kind


def _rendered(version, kind):
    document = publication_pdf(version, kind)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    return document


def _full():
    version = PublicationVersionFactory(
        form=PublicationVersion.Form.FULL,
        body_html="<h2>Lessons</h2><p>Ask who lives in the home.</p>",
    )
    return PublicationFactory(version=version)


def test_anyone_downloads_a_listed_reports_summary_once_rendered(client):
    publication = PublicationFactory()
    document = _rendered(publication.version, Kind.PUBLIC_SUMMARY)
    assert document.is_ready
    response = client.get(reverse("public:pdf", args=[publication.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    text = pdf_text(data)
    assert "Child Q: a serious case review" in text
    assert "OFFICIAL-SENSITIVE" not in text  # a public document carries no marking
    assert dark_share_of_first_page(data) > 0.001


def test_a_full_report_has_both_pdfs_and_the_page_links_them(client):
    publication = _full()
    assert public_pdf_kinds(publication.version) == [Kind.PUBLIC_SUMMARY, Kind.PUBLIC_REPORT]
    document = _rendered(publication.version, Kind.PUBLIC_REPORT)
    assert "Ask who lives in the home." in pdf_text(document.file.read())
    page = client.get(reverse("public:detail", args=[publication.pk])).content.decode()
    assert reverse("public:pdf", args=[publication.pk]) in page
    assert reverse("public:report_pdf", args=[publication.pk]) in page


def test_a_summary_only_report_has_no_whole_report_pdf(client):
    publication = PublicationFactory()
    page = client.get(reverse("public:detail", args=[publication.pk])).content.decode()
    assert reverse("public:report_pdf", args=[publication.pk]) not in page
    assert client.get(reverse("public:report_pdf", args=[publication.pk])).status_code == 404


def test_before_it_is_rendered_a_page_says_it_is_being_prepared(client):
    publication = PublicationFactory()
    response = client.get(reverse("public:pdf", args=[publication.pk]))
    assert response.status_code == 200
    assert "The PDF is being prepared" in response.content.decode()


def test_a_removed_or_unknown_report_has_no_pdf(client):
    removed = PublicationFactory(removed=True)
    _rendered(removed.version, Kind.PUBLIC_SUMMARY)
    assert client.get(reverse("public:pdf", args=[removed.pk])).status_code == 410
    assert client.get(reverse("public:pdf", args=[removed.pk + 1000])).status_code == 404
