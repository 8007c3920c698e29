"""The submission pack for the national bodies: the board manager's page to record a sending
(and see every earlier one), and each sending's zip of public PDFs and metadata sheet."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from publication.forms import SubmissionPackForm
from publication.packs import (
    pack_documents,
    pack_documents_request,
    pack_get,
    pack_list,
    pack_record,
    pack_zip,
    publication_version_latest,
)
from publication.permissions import can_send_submission_pack
from reviews.doors import review_door
from reviews.services.review import access_log_record
from scr.forms import form_submit


def _door(request, reference):
    """The review, for the board manager only: 404 outside it, 403 for anyone else; logged."""
    return review_door(request, reference, may=can_send_submission_pack, kind="submission_pack")


@login_required
@require_http_methods(["GET", "POST"])
def pack_view(request, reference):
    review = _door(request, reference)
    form = SubmissionPackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form_submit(
        request, form, pack_record, "Submission pack recorded as sent", review=review
    ):
        return redirect("publication:pack", review.reference)
    context = {
        "review": review,
        "version": publication_version_latest(review=review),
        "packs": pack_list(review=review),
        "form": form,
    }
    return render(request, "publication/pack_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pack_download_view(request, reference, pk):
    review = _door(request, reference)
    pack = pack_get(review=review, pk=pk)
    if pack is None:
        raise Http404("No such submission pack")
    here = reverse("publication:pack_download", args=[review.reference, pack.pk])
    if request.method == "POST":  # try again, after a PDF failed
        pack_documents_request(pack=pack, actor=request.user)
        return redirect(here)
    documents = pack_documents(pack)
    if not all(document and document.is_ready for document in documents):
        failed = any(document is None or document.status == "failed" for document in documents)
        context = {"review": review, "here": here, "failed": failed}
        return render(request, "publication/pack_preparing.html", context)
    access_log_record(
        request=request,
        object_type="submission_pack",
        object_ref=f"{review.reference}/{pack.pk}",
        allowed=True,
        action="download",
    )
    response = HttpResponse(pack_zip(pack, documents), content_type="application/zip")
    filename = f"{review.reference}-submission-pack-{pack.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
