"""A review's documents as PDF: the page where a person asks for one and sees whether it is
being prepared, ready or failed, and its download. Who may have each is who may see its page
on the site (the review's doors ask the same predicates), and an agency lead's action plan
holds only their agency's actions, as their page does. A version of the overview report is
for those who see the whole report, not agency leads (see ``_door``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from publication.document_services import document_request
from publication.documents import document_get, document_ready_get
from publication.downloads import document_response
from publication.models import RenderedDocument
from publication.rendering import (
    REPORT_KINDS,
    Source,
    action_plan_source,
    chronology_source,
    report_source,
)
from reviews.doors import combined_chronology_door, overview_door, plan_door
from reviews.models import Review
from reviews.permissions.overview import can_read_report_text
from reviews.services.review import access_log_record

Kind = RenderedDocument.Kind
# The page on the site each document prints.
_PAGES = {
    Kind.CHRONOLOGY: "reviews:combined_chronology",
    Kind.ACTION_PLAN: "reviews:actions",
    Kind.OVERVIEW_REPORT: "reviews:overview",
    Kind.EXECUTIVE_SUMMARY: "reviews:overview",
}


def _door(request, reference: str, kind: str, action: str) -> tuple[Review, int | None]:
    """The review, if the person may see the document's page (404/403, logged), with the one
    agency whose part they see (None: all)."""
    if kind == Kind.CHRONOLOGY:
        return combined_chronology_door(request, reference, action=action), None
    if kind == Kind.ACTION_PLAN:
        door = plan_door(request, reference)
        return door.review, door.agency_id
    if kind in REPORT_KINDS:
        # A version's PDF is for those who read the report's text (the panel, the author, the
        # board manager, the chair); agency leads see only the drafts sent to them for comment.
        door = overview_door(request, reference, may=can_read_report_text, action=action)
        return door.review, None
    raise Http404("No such document")


def _source(review: Review, kind: str, agency_id: int | None, number: int | None) -> Source:
    """The document as it is now; for a report's, the version ``number`` (404 without one)."""
    if (kind in REPORT_KINDS) != (number is not None):
        raise Http404("No such document")
    if kind == Kind.CHRONOLOGY:
        return chronology_source(review=review)
    if kind == Kind.ACTION_PLAN:
        return action_plan_source(review=review, agency_id=agency_id)
    version = review.overview_versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version of the report")
    return report_source(version=version, kind=kind)


def _here(review: Review, kind: str, number: int | None) -> str:
    if number is None:
        return reverse("publication:document", args=[review.reference, kind])
    return reverse("publication:report_document", args=[review.reference, number, kind])


@login_required
@require_http_methods(["GET", "POST"])
def document_view(request, reference, kind, number=None):
    review, agency_id = _door(request, reference, kind, "view")
    source = _source(review, kind, agency_id, number)
    here = _here(review, kind, number)
    if request.method == "POST":
        document_request(review=review, source=source, actor=request.user, agency_id=agency_id)
        return redirect(here)
    context = {
        "review": review,
        "title": source.title,
        "marked": bool(source.marking),
        "number": number,
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
