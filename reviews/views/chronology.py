"""An agency's chronology: entries one at a time, spreadsheet import with preview and undo,
and a CSV export."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.forms.chronology import ChronologyEntryForm, ChronologyImportForm
from reviews.services.chronology import (
    chronology_csv,
    chronology_entry_delete,
    chronology_entry_save,
    chronology_import_confirm,
    chronology_import_parsed,
    chronology_import_preview,
    chronology_import_undo,
)
from reviews.views.reports import report_or_404


def _chronology_or_404(request, reference, pk):
    """The report whose chronology the user may read: its own agency's leads always, the
    panel and author once it has been submitted (a draft is the agency's own)."""
    review, report, own = report_or_404(request, reference, pk)
    if not (own or report.submitted_at):
        raise Http404("No such chronology")
    return review, report, own


def _own_editable_or_403(request, reference, pk):
    review, report, own = _chronology_or_404(request, reference, pk)
    if not own or report.status not in ("requested", "returned"):
        raise PermissionDenied
    return review, report


def _to_chronology(review, report):
    return redirect("reviews:chronology", review.reference, report.pk)


@login_required
@require_GET
def chronology_view(request, reference, pk):
    review, report, own = _chronology_or_404(request, reference, pk)
    entries = report.chronology.select_related("imported_from")
    page = Paginator(entries, settings.CHRONOLOGY_PER_PAGE).get_page(request.GET.get("page"))
    terms = getattr(review, "terms", None)
    context = {
        "review": review,
        "report": report,
        "page": page,
        "period": (terms.period_start, terms.period_end) if terms else None,
        "can_edit": own and report.status in ("requested", "returned"),
        "imports": report.imports.exclude(status="preview") if own else [],
    }
    return render(request, "reviews/chronology/chronology_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def chronology_entry_view(request, reference, pk, entry_pk=None):
    review, report = _own_editable_or_403(request, reference, pk)
    entry = get_object_or_404(report.chronology, pk=entry_pk) if entry_pk else None
    initial = {}
    if entry:
        initial = {
            name: getattr(entry, name)
            for name in ChronologyEntryForm.base_fields
            if name not in ("occurred_time", "approximate")
        }
        initial["occurred_time"] = (
            entry.occurred_time.strftime("%H:%M") if entry.occurred_time else ""
        )
        initial["approximate"] = "yes" if entry.approximate else "no"
    form = ChronologyEntryForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            chronology_entry_save(
                report=report, actor=request.user, entry=entry, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Entry changed" if entry else "Entry added")
            return _to_chronology(review, report)
    heading = "Change an entry" if entry else "Add an entry"
    context = {
        "review": review,
        "report": report,
        "back_url": reverse("reviews:chronology", args=[review.reference, report.pk]),
        "form": form,
        "heading": heading,
        "submit": "Save entry",
    }
    return render(request, "reviews/reports/report_part_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def chronology_entry_delete_view(request, reference, pk, entry_pk):
    review, report = _own_editable_or_403(request, reference, pk)
    entry = get_object_or_404(report.chronology, pk=entry_pk)
    if request.method == "POST":
        chronology_entry_delete(entry=entry, actor=request.user)
        messages.success(request, "Entry deleted")
        return _to_chronology(review, report)
    return render(
        request,
        "reviews/chronology/chronology_delete.html",
        {"review": review, "report": report, "entry": entry},
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_import_view(request, reference, pk):
    review, report = _own_editable_or_403(request, reference, pk)
    form = ChronologyImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            batch, _ = chronology_import_preview(
                report=report, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            return redirect("reviews:chronology_preview", review.reference, report.pk, batch.pk)
    context = {
        "review": review,
        "report": report,
        "back_url": reverse("reviews:chronology", args=[review.reference, report.pk]),
        "form": form,
        "heading": "Import a chronology",
        "submit": "Check the file",
        "multipart": True,
    }
    return render(request, "reviews/reports/report_part_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def chronology_preview_view(request, reference, pk, batch_pk):
    review, report = _own_editable_or_403(request, reference, pk)
    batch = get_object_or_404(report.imports, pk=batch_pk, status="preview")
    if request.method == "POST":
        try:
            count = chronology_import_confirm(batch=batch, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{count} entries imported")
        return _to_chronology(review, report)
    parsed = chronology_import_parsed(batch=batch)
    context = {"review": review, "report": report, "batch": batch, "parsed": parsed}
    return render(request, "reviews/chronology/chronology_preview.html", context)


@login_required
@require_POST
def chronology_undo_view(request, reference, pk, batch_pk):
    review, report = _own_editable_or_403(request, reference, pk)
    batch = get_object_or_404(report.imports, pk=batch_pk)
    try:
        count = chronology_import_undo(batch=batch, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Import undone: {count} entries removed")
    return _to_chronology(review, report)


@login_required
@require_GET
def chronology_export_view(request, reference, pk):
    review, report, _ = _chronology_or_404(request, reference, pk)
    response = HttpResponse(chronology_csv(report=report), content_type="text/csv; charset=utf-8")
    filename = f"{review.reference}-chronology-{report.agency_id}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
