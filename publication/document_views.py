"""A review's documents as PDF: the page where a person asks for one and sees whether it is
being prepared, ready or failed, and its download. Who may have each is who may see its page
on the site (the review's doors ask the same predicates), and an agency lead's action plan
holds only their agency's actions, as their page does."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from publication.document_services import document_request
from publication.documents import document_filename, document_get, document_ready_get
from publication.models import RenderedDocument
from publication.rendering import Source, action_plan_source, chronology_source
from reviews.doors import combined_chronology_door, plan_door
from reviews.models import Review
from reviews.services.review import access_log_record

Kind = RenderedDocument.Kind
# The documents of a review made from its current data, with the page each one prints.
_PAGES = {Kind.CHRONOLOGY: "reviews:combined_chronology", Kind.ACTION_PLAN: "reviews:actions"}


def _door(request, reference: str, kind: str, action: str) -> tuple[Review, int | None]:
    """The review, if the person may see the document's page (404/403, logged), with the one
    agency whose part they see (None: all)."""
    if kind == Kind.CHRONOLOGY:
        return combined_chronology_door(request, reference, action=action), None
    if kind == Kind.ACTION_PLAN:
        door = plan_door(request, reference)
        return door.review, door.agency_id
    raise Http404("No such document")


def _source(review: Review, kind: str, agency_id: int | None) -> Source:
    if kind == Kind.CHRONOLOGY:
        return chronology_source(review=review)
    return action_plan_source(review=review, agency_id=agency_id)


@login_required
@require_http_methods(["GET", "POST"])
def document_view(request, reference, kind):
    review, agency_id = _door(request, reference, kind, "view")
    source = _source(review, kind, agency_id)
    here = reverse("publication:document", args=[review.reference, kind])
    if request.method == "POST":
        document_request(review=review, source=source, actor=request.user, agency_id=agency_id)
        return redirect(here)
    context = {
        "review": review,
        "title": source.title,
        "document": document_get(review=review, kind=kind, source_key=source.key),
        "here": here,
        "page_url": reverse(_PAGES[Kind(kind)], args=[review.reference]),
    }
    return render(request, "publication/documents/document_detail.html", context)


@login_required
@require_GET
def document_download_view(request, reference, kind, pk):
    review, agency_id = _door(request, reference, kind, "download")
    document = document_ready_get(review=review, kind=kind, pk=pk)
    ref = f"{review.reference}/{kind}/{pk}"
    if document is None or document.agency_id != agency_id:
        access_log_record(
            request=request,
            object_type="document",
            object_ref=ref,
            allowed=False,
            action="download",
        )
        raise Http404("No such document")
    access_log_record(
        request=request, object_type="document", object_ref=ref, allowed=True, action="download"
    )
    return document_response(document)


def document_response(document: RenderedDocument) -> FileResponse:
    """A ready document as a download: never shown inline, never cached, in a sandbox if it
    is opened. The public site serves a published version's PDF through this too."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document_filename(document),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
