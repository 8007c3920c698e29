"""The board's public site: the reports it has published, for anyone, signed in or not.

Nothing here asks who the person is, and nothing it shows comes from anywhere but the public
selectors (publication/public.py): a listed publication's version, its themes and its review's
reference. Pages may be kept by browsers and caches for a short while
(``SCR_PUBLIC_CACHE_SECONDS``); a removed report's page never is.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from agencies.signin import open_to_anyone
from publication.document_services import public_pdf_kinds, publication_pdf
from publication.downloads import document_response
from publication.extras import public_extras
from publication.forms import PublicSearchForm
from publication.models import PublicationVersion, RenderedDocument
from publication.public import (
    public_board_response,
    public_publication_get,
    public_publication_list,
    public_themes,
    public_years,
    report_with_contents,
)
from scr.richtext import text_to_html

PER_PAGE = 10


def _public(response):
    """A page anyone may see: browsers and shared caches may keep it briefly."""
    patch_cache_control(response, public=True, max_age=settings.SCR_PUBLIC_CACHE_SECONDS)
    return response


@open_to_anyone
@require_GET
def public_list_view(request):
    form = PublicSearchForm(request.GET or None, years=public_years(), themes=public_themes())
    chosen = form.cleaned_data if form.is_valid() else {}
    year, themes = chosen.get("year"), list(chosen.get("theme") or [])
    publications = public_publication_list(year=year, themes=themes)
    # The search as the form read it, for the pagination's links: nothing else of the address.
    searched = [("year", year)] if year else []
    query = urlencode(searched + [("theme", theme.pk) for theme in themes])
    context = {
        "form": form,
        "page": Paginator(publications, PER_PAGE).get_page(request.GET.get("page")),
        "query": query,
        "filtered": bool(query),
    }
    return _public(render(request, "public/publication_list.html", context))


@open_to_anyone
@require_GET
def public_detail_view(request, pk):
    publication = public_publication_get(pk=pk)
    if publication is None:
        raise Http404("No such report")
    if publication.removed_at is not None:
        return render(request, "public/publication_removed.html", status=410)
    body, sections = "", []
    if publication.version.form == PublicationVersion.Form.FULL:
        body, sections = report_with_contents(publication.version.body_html)
    response = public_board_response(publication=publication)
    context = {
        "publication": publication,
        "body": body,
        "sections": sections,
        "full": publication.version.form == PublicationVersion.Form.FULL,
        "response": response,
        # Every character of the response's text escaped (scr.richtext.text_to_html).
        "response_html": text_to_html(response.text) if response else "",
        "extras": public_extras(publication),
    }
    return _public(render(request, "public/publication_detail.html", context))


PDF_KINDS = {
    "summary": RenderedDocument.Kind.PUBLIC_SUMMARY,
    "report": RenderedDocument.Kind.PUBLIC_REPORT,
}


@open_to_anyone
@require_GET
def public_pdf_view(request, pk, part):
    """A listed report's PDF (its summary, or the whole report when published in full); while
    it is still being rendered, a page saying so."""
    publication = public_publication_get(pk=pk)
    if publication is None:
        raise Http404("No such report")
    if publication.removed_at is not None:
        return render(request, "public/publication_removed.html", status=410)
    version = publication.version
    if PDF_KINDS[part] not in public_pdf_kinds(version):
        raise Http404("This report is published as a summary only")
    document = publication_pdf(version, PDF_KINDS[part])
    if document.is_ready:
        return document_response(document)
    context = {"publication": publication, "failed": not document.is_preparing}
    return render(request, "public/publication_pdf_waiting.html", context)


@open_to_anyone
@require_GET
def public_accessibility_view(request):
    return _public(render(request, "public/accessibility.html"))
