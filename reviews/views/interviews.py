"""Interviews with workers, and the record of the check of their notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.forms.interviews import InterviewForm, InterviewResponseForm, InterviewSendForm
from reviews.services.interviews import (
    interview_notes_send,
    interview_record,
    interview_response_record,
)
from reviews.views.reports import report_or_404


def _interviews_or_404(request, reference, pk):
    """Interviews are the agency's own until it submits; then the panel and author read them
    (without the workers' names)."""
    review, report, own = report_or_404(request, reference, pk)
    if not (own or report.submitted_at):
        raise Http404("No such interviews")
    return review, report, own


def _editable(own, report):
    return own and report.status in ("requested", "returned")


@login_required
@require_GET
def interview_list_view(request, reference, pk):
    review, report, own = _interviews_or_404(request, reference, pk)
    context = {
        "review": review,
        "report": report,
        "interviews": report.interviews.all(),
        "own": own,
        "can_edit": _editable(own, report),
    }
    return render(request, "reviews/interviews/interview_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interview_add_view(request, reference, pk):
    review, report, own = _interviews_or_404(request, reference, pk)
    if not _editable(own, report):
        raise PermissionDenied
    form = InterviewForm(request.POST or None)
    if form.is_valid():
        try:
            interview = interview_record(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Interview recorded")
            return redirect("reviews:interview", review.reference, report.pk, interview.pk)
    context = {
        "review": review,
        "report": report,
        "back_url": reverse("reviews:interviews", args=[review.reference, report.pk]),
        "form": form,
        "heading": "Record an interview",
        "submit": "Save interview",
    }
    return render(request, "reviews/reports/report_part_form.html", context)


def _interview_page(request, review, report, own, interview, **forms):
    context = {
        "review": review,
        "report": report,
        "interview": interview,
        "own": own,
        "can_edit": _editable(own, report),
        "send_form": forms.get("send_form") or InterviewSendForm(),
        "response_form": forms.get("response_form") or InterviewResponseForm(),
    }
    return render(request, "reviews/interviews/interview_detail.html", context)


@login_required
@require_GET
def interview_detail_view(request, reference, pk, interview_pk):
    review, report, own = _interviews_or_404(request, reference, pk)
    interview = get_object_or_404(report.interviews, pk=interview_pk)
    return _interview_page(request, review, report, own, interview)


@login_required
@require_POST
def interview_update_view(request, reference, pk, interview_pk, step):
    review, report, own = _interviews_or_404(request, reference, pk)
    if not _editable(own, report) or step not in ("send", "response"):
        raise PermissionDenied
    interview = get_object_or_404(report.interviews, pk=interview_pk)
    form_class, service, name = {
        "send": (InterviewSendForm, interview_notes_send, "send_form"),
        "response": (InterviewResponseForm, interview_response_record, "response_form"),
    }[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(interview=interview, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Interview updated")
            return redirect("reviews:interview", review.reference, report.pk, interview.pk)
    return _interview_page(request, review, report, own, interview, **{name: form})
