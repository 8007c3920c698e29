"""A review's audit trail (and its CSV), the retention list, the decisions on it, and the
tombstone of a destroyed review."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agencies.signin import reauthentication_required
from governance.forms import RetentionKeepForm, RetentionPurgeForm, TrailFilterForm
from governance.models import Tombstone
from governance.permissions import can_decide_retention, can_view_audit_trail
from governance.selectors import (
    TrailFilter,
    audit_export_rows,
    audit_rows,
    audit_trail,
    retention_due,
    retention_years,
    tombstone_get,
)
from governance.services import retention_keep, review_purge
from reviews.doors import review_door
from reviews.files import csv_download
from reviews.models import Review
from reviews.services.review import access_log_record
from scr.forms import form_page, form_submit

TRAIL_PER_PAGE = 50


def _trail(request) -> tuple[TrailFilterForm, TrailFilter]:
    form = TrailFilterForm(request.GET or None)
    if not form.is_valid():
        return form, TrailFilter()
    data = form.cleaned_data
    trail = TrailFilter(
        who=data["who"], kinds=tuple(data["kinds"]), since=data["since"], until=data["until"]
    )
    return form, trail


@login_required
@require_GET
def audit_trail_view(request, reference):
    review = review_door(request, reference, may=can_view_audit_trail, kind="audit_trail")
    form, trail = _trail(request)
    page = Paginator(audit_trail(review=review, trail=trail), TRAIL_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "review": review,
        "form": form,
        "page": page,
        "lines": audit_rows(list(page.object_list)),
        "query": query.urlencode(),
    }
    return render(request, "governance/audit_trail.html", context)


@login_required
@require_GET
@reauthentication_required()
def audit_export_view(request, reference):
    """The whole trail the filter matches, as CSV, after the password was given again; the
    export itself is written to the access log."""
    review = review_door(request, reference, may=can_view_audit_trail, kind="audit_trail")
    _form, trail = _trail(request)
    access_log_record(
        request=request,
        object_type="audit_trail",
        object_ref=reference,
        allowed=True,
        action="export",
    )
    rows = audit_export_rows(review=review, trail=trail)
    return csv_download(rows, f"audit-trail-{review.reference}-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
@require_GET
def retention_list_view(request):
    if not can_decide_retention(request.user):
        raise PermissionDenied
    context = {"due": retention_due(today=timezone.localdate()), "years": retention_years()}
    return render(request, "governance/retention_list.html", context)


def _due(request, reference: str) -> Review:
    """A review listed for decision (404 if not: not closed, not due, or kept)."""
    if not can_decide_retention(request.user):
        raise PermissionDenied
    due = {review.reference: review for review in retention_due(today=timezone.localdate())}
    if reference not in due:
        access_log_record(
            request=request, object_type="retention", object_ref=reference, allowed=False
        )
        raise Http404("No such review due for decision")
    access_log_record(request=request, object_type="retention", object_ref=reference, allowed=True)
    return due[reference]


@login_required
@require_http_methods(["GET", "POST"])
def retention_keep_view(request, reference):
    review = _due(request, reference)
    return form_page(
        request,
        RetentionKeepForm(request.POST or None),
        retention_keep,
        message=f"{review.reference} will be kept",
        success_url=reverse("governance:retention"),
        template="governance/retention_keep.html",
        context={"review": review},
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention_purge_view(request, reference):
    review = _due(request, reference)
    form = RetentionPurgeForm(request.POST or None)
    message = f"The records of {review.reference} have been destroyed"
    tombstone = form_submit(request, form, review_purge, message, review=review)
    if tombstone is not None:
        return redirect(tombstone)
    return render(request, "governance/retention_purge.html", {"review": review, "form": form})


@login_required
@require_GET
def tombstone_view(request, reference):
    if not can_decide_retention(request.user):
        raise PermissionDenied
    tombstone = tombstone_get(reference=reference)
    if tombstone is None:
        raise Http404("No such tombstone")
    return render(request, "governance/tombstone.html", {"tombstone": tombstone})


def review_gone_response(request, tombstone: Tombstone):
    """What every page of a destroyed review answers, to those who saw every review (see
    ``governance.middleware``): 410 Gone, with a link to the tombstone for the board manager."""
    context = {"tombstone": tombstone, "can_see_tombstone": can_decide_retention(request.user)}
    return render(request, "governance/review_gone.html", context, status=410)
