"""No real name of the demo's people reaches the public site: the demo's published report, its
pages and its PDFs hold every pseudonym and none of the names, addresses or dates of birth the
reviews hold (the family's, the subjects', the referrers', the workers', the staff's)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import User
from families.models import FamilyMember
from publication.document_services import public_pdf_kinds
from publication.documents import document_render
from publication.models import PseudonymEntry, Publication, RenderedDocument
from reviews.models import Interview, ReferralFamilyMember, SubjectIdentity
from scr.formats import govuk_date
from tests.documents import pdf_text

pytestmark = pytest.mark.django_db


def _names(full: str) -> set[str]:
    """A name as it might be written: whole, and its surname alone."""
    words = full.split()
    return {full, words[-1]} if len(words) > 1 else {full}


def _real_values() -> set[str]:
    values: set[str] = set()
    people = [
        *SubjectIdentity.objects.values_list("full_name", flat=True),
        *ReferralFamilyMember.objects.values_list("name", flat=True),
        *FamilyMember.objects.values_list("name", flat=True),
        *Interview.objects.values_list("worker_name", flat=True),
        *(user.get_full_name() for user in User.objects.all()),
    ]
    for name in filter(None, people):
        values |= _names(name)
    values |= {
        line.strip()
        for address in FamilyMember.objects.values_list("address", flat=True)
        for line in address.splitlines()
        if re.search(r"\d", line)
    }
    values |= set(PseudonymEntry.objects.values_list("real_value", flat=True))
    values |= {
        govuk_date(born)
        for born in SubjectIdentity.objects.values_list("date_of_birth", flat=True)
        if born
    }
    return values


def _pdf(client, url: str) -> str:
    """The text of a public PDF, rendered first (the demo asked for it when it published, but
    its task runs only once a transaction commits, which a test's never does)."""
    response = client.get(url)
    if response["Content-Type"] != "application/pdf":
        for document in RenderedDocument.objects.filter(status=RenderedDocument.Status.PENDING):
            document_render(document_id=document.pk)
        response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(b"".join(response.streaming_content))


def _public_texts(client) -> dict[str, str]:
    """Every public page and PDF: the list, each report's page and PDFs, and every other page of
    the public site a page links to (the learning brief and its PDF, say)."""
    texts = {reverse("public:list"): client.get(reverse("public:list")).content.decode()}
    for publication in Publication.objects.all():
        url = reverse("public:detail", args=[publication.pk])
        texts[url] = client.get(url).content.decode()
        for name in ("public:pdf", "public:report_pdf")[
            : len(public_pdf_kinds(publication.version))
        ]:
            pdf = reverse(name, args=[publication.pk])
            texts[pdf] = _pdf(client, pdf)
    linked = {
        link
        for text in list(texts.values())
        for link in re.findall(r'href="(/publications/[^"?#]+)"', text)
    } - set(texts)
    for url in linked:
        response = client.get(url)
        assert response.status_code == 200, url
        is_pdf = response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        texts[url] = pdf_text(body) if is_pdf else body.decode()
    return texts


def test_no_real_name_of_the_demo_is_on_any_public_page(client, settings):
    settings.DEBUG = True
    call_command("demo_data")
    published = Publication.objects.get()
    texts = _public_texts(client)
    values = _real_values()
    # The published review's own names are among those looked for.
    assert {"Ellie Hollis", "Hollis", "Maureen Hollis", "Eastfield Road"} <= values
    assert published.version.title in texts[reverse("public:detail", args=[published.pk])]
    assert "Child J" in texts[reverse("public:pdf", args=[published.pk])]
    # The learning brief, public beside the report, is read too.
    assert reverse("public_learning:brief_pdf", args=[published.pk]) in texts
    found = {
        (url, value)
        for url, text in texts.items()
        for value in values
        if re.search(rf"\b{re.escape(value)}\b", text, flags=re.IGNORECASE)
    }
    assert found == set()
