"""Stage 4: an agency's chronology: entries one at a time, spreadsheet import with preview
and undo, and a CSV export. Stage 5: the combined chronology of every accepted agency
chronology, with the author's key practice episodes, and its CSV download."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.signin import reauthentication_required
from reviews.doors import combined_chronology_door, combined_entry_door, report_door
from reviews.files import csv_download
from reviews.forms.chronology import (
    ChronologyEntryForm,
    ChronologyImportForm,
    CombinedChronologyFilterForm,
    KeyEpisodeForm,
)
from reviews.permissions.chronology import (
    can_export_combined_chronology,
    can_mark_key_episodes,
    can_view_combined_chronology,
)
from reviews.permissions.reports import can_edit_report
from reviews.selectors.chronology import (
    chronology_entry_get,
    chronology_entry_list,
    chronology_import_get,
    chronology_import_list,
    combined_chronology_agencies,
    combined_chronology_entries_in,
    combined_chronology_list,
)
from reviews.services.chronology import (
    chronology_csv,
    chronology_entry_delete,
    chronology_entry_save,
    chronology_import_confirm,
    chronology_import_parsed,
    chronology_import_preview,
    chronology_import_undo,
    combined_chronology_rows,
    key_episode_mark,
    key_episode_unmark,
)
from scr.forms import form_page, form_submit, is_conflict
from scr.versions import version_of


def _editing(request, reference, pk):
    """The door for changing the chronology: the agency's own leads, while it can change."""
    return report_door(request, reference, pk, papers=True, may=can_edit_report)


def _found(obj, what):
    if obj is None:
        raise Http404(f"No such {what}")
    return obj


def _to_chronology(door):
    return redirect("reviews:chronology", door.review.reference, door.report.pk)


def _form_page(door, request, form, *, heading, submit, multipart=False):
    context = {
        "review": door.review,
        "report": door.report,
        "back_url": reverse("reviews:chronology", args=[door.review.reference, door.report.pk]),
        "form": form,
        "heading": heading,
        "submit": submit,
        "multipart": multipart,
    }
    status = 409 if is_conflict(form) else 200
    return render(request, "reviews/reports/report_part_form.html", context, status=status)


@login_required
@require_GET
def chronology_view(request, reference, pk):
    door = report_door(request, reference, pk, papers=True)
    report = door.report
    entries = chronology_entry_list(report=report)
    page = Paginator(entries, settings.CHRONOLOGY_PER_PAGE).get_page(request.GET.get("page"))
    terms = getattr(door.review, "terms", None)
    context = {
        "review": door.review,
        "report": report,
        "page": page,
        "period": (terms.period_start, terms.period_end) if terms else None,
        "can_edit": can_edit_report(request.user, report),
        "can_view_combined": can_view_combined_chronology(request.user, door.review),
        "imports": chronology_import_list(report=report) if door.own else [],
    }
    return render(request, "reviews/chronology/chronology_list.html", context)


def _entry_initial(entry) -> dict:
    if entry is None:
        return {}
    initial = {
        name: getattr(entry, name)
        for name in ChronologyEntryForm.base_fields
        if name not in ("occurred_time", "approximate", "version")
    }
    initial["occurred_time"] = entry.occurred_time.strftime("%H:%M") if entry.occurred_time else ""
    initial["approximate"] = "yes" if entry.approximate else "no"
    initial["version"] = version_of(entry)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def chronology_entry_view(request, reference, pk, entry_pk=None):
    door = _editing(request, reference, pk)
    entry = None
    if entry_pk:
        entry = _found(chronology_entry_get(report=door.report, pk=entry_pk), "entry")
    form = ChronologyEntryForm(request.POST or None, initial=_entry_initial(entry))
    message = "Entry changed" if entry else "Entry added"
    if form_submit(request, form, chronology_entry_save, message, report=door.report, entry=entry):
        return _to_chronology(door)
    heading = "Change an entry" if entry else "Add an entry"
    return _form_page(door, request, form, heading=heading, submit="Save entry")


@login_required
@require_http_methods(["GET", "POST"])
def chronology_entry_delete_view(request, reference, pk, entry_pk):
    door = _editing(request, reference, pk)
    entry = _found(chronology_entry_get(report=door.report, pk=entry_pk), "entry")
    if request.method == "POST":
        chronology_entry_delete(entry=entry, actor=request.user)
        messages.success(request, "Entry deleted")
        return _to_chronology(door)
    context = {"review": door.review, "report": door.report, "entry": entry}
    return render(request, "reviews/chronology/chronology_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def chronology_import_view(request, reference, pk):
    door = _editing(request, reference, pk)
    form = ChronologyImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            batch, _ = chronology_import_preview(
                report=door.report, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            return redirect(
                "reviews:chronology_preview", door.review.reference, door.report.pk, batch.pk
            )
    return _form_page(
        door,
        request,
        form,
        heading="Import a chronology",
        submit="Check the file",
        multipart=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_preview_view(request, reference, pk, batch_pk):
    door = _editing(request, reference, pk)
    batch = chronology_import_get(report=door.report, pk=batch_pk, preview=True)
    batch = _found(batch, "import")
    if request.method == "POST":
        try:
            count = chronology_import_confirm(batch=batch, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{count} entries imported")
        return _to_chronology(door)
    context = {
        "review": door.review,
        "report": door.report,
        "batch": batch,
        "parsed": chronology_import_parsed(batch=batch),
    }
    return render(request, "reviews/chronology/chronology_preview.html", context)


@login_required
@require_POST
def chronology_undo_view(request, reference, pk, batch_pk):
    door = _editing(request, reference, pk)
    batch = _found(chronology_import_get(report=door.report, pk=batch_pk), "import")
    try:
        count = chronology_import_undo(batch=batch, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Import undone: {count} entries removed")
    return _to_chronology(door)


@login_required
@require_GET
@reauthentication_required()
def chronology_export_view(request, reference, pk):
    door = report_door(request, reference, pk, papers=True, action="export")
    response = HttpResponse(
        chronology_csv(report=door.report), content_type="text/csv; charset=utf-8"
    )
    filename = f"{door.review.reference}-chronology-{door.report.agency_id}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _combined_filter(request, review) -> tuple[CombinedChronologyFilterForm, str]:
    """The combined chronology's filter form from the query string, and that query string
    (only the form's own keys) for links that keep the filters."""
    agencies = combined_chronology_agencies(review=review)
    query = QueryDict(mutable=True)
    for key in CombinedChronologyFilterForm.QUERY_KEYS:
        if values := request.GET.getlist(key):
            query.setlist(key, values)
    form = CombinedChronologyFilterForm(query if query else None, agencies=agencies)
    return form, query.urlencode()


def _combined_url(review, query: str) -> str:
    url = reverse("reviews:combined_chronology", args=[review.reference])
    return f"{url}?{query}" if query else url


def _back_to_entry(request, review, entry) -> str:
    """The page of the combined chronology the person marked ``entry`` from: its filters and
    page number, at the entry."""
    _, query = _combined_filter(request, review)
    if (number := request.GET.get("page", "")).isdigit():
        query = f"{query}&page={number}" if query else f"page={number}"
    return f"{_combined_url(review, query)}#entry-{entry.pk}"


def _combined_page(request, review, form) -> dict:
    """The page of entries the filters ask for, grouped by day; nothing when the filters are
    not valid (the page shows their errors, never the whole chronology as if filtered)."""
    if form.is_bound and not form.is_valid():
        return {"page": None, "days": []}
    filters = form.filters() if form.is_bound else {}
    ids = combined_chronology_list(review=review, **filters).values_list("pk", flat=True)
    page = Paginator(ids, settings.CHRONOLOGY_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = combined_chronology_entries_in(pks=list(page.object_list))
    return {
        "page": page,
        "days": [(day, list(group)) for day, group in groupby(page, lambda e: e.occurred_on)],
    }


@login_required
@require_GET
def combined_chronology_view(request, reference):
    review = combined_chronology_door(request, reference)
    form, query = _combined_filter(request, review)
    context = {
        "review": review,
        "form": form,
        "query": query,
        "can_mark": can_mark_key_episodes(request.user, review),
        "can_export": can_export_combined_chronology(request.user, review),
        **_combined_page(request, review, form),
    }
    return render(request, "reviews/chronology/combined_chronology.html", context)


@login_required
@require_GET
@reauthentication_required()
def combined_chronology_export_view(request, reference):
    review = combined_chronology_door(
        request, reference, may=can_export_combined_chronology, action="export"
    )
    form, query = _combined_filter(request, review)
    if form.is_bound and not form.is_valid():
        return redirect(_combined_url(review, query))
    entries = combined_chronology_list(review=review, **(form.filters() if form.is_bound else {}))
    filename = f"{review.reference}-combined-chronology.csv"
    return csv_download(combined_chronology_rows(entries.iterator(chunk_size=2000)), filename)


@login_required
@require_http_methods(["GET", "POST"])
def key_episode_view(request, reference, entry_pk):
    review, entry = combined_entry_door(request, reference, entry_pk, may=can_mark_key_episodes)
    episode = getattr(entry, "key_episode", None)
    form = KeyEpisodeForm(request.POST or None, initial={"note": episode.note if episode else ""})
    back = _back_to_entry(request, review, entry)
    context = {
        "review": review,
        "entry": entry,
        "heading": "Change the note" if episode else "Mark as a key practice episode",
        "cancel_url": back,
    }
    message = "Key practice episode saved"
    template = "reviews/chronology/key_episode_form.html"
    return form_page(
        request,
        form,
        key_episode_mark,
        message=message,
        success_url=back,
        template=template,
        context=context,
        review=review,
        entry=entry,
    )


@login_required
@require_POST
def key_episode_unmark_view(request, reference, entry_pk):
    review, entry = combined_entry_door(request, reference, entry_pk, may=can_mark_key_episodes)
    try:
        key_episode_unmark(review=review, entry=entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Key practice episode mark removed")
    return redirect(_back_to_entry(request, review, entry))
