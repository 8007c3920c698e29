"""Stage 4: interviews with workers, and the record of the check of their notes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.doors import report_door
from reviews.forms.interviews import InterviewForm, InterviewResponseForm, InterviewSendForm
from reviews.permissions.reports import can_edit_report
from reviews.selectors.interviews import interview_get, interview_list
from reviews.services.interviews import (
    interview_notes_send,
    interview_record,
    interview_response_record,
)
from scr.forms import form_submit

_STEPS = {
    "send": (InterviewSendForm, interview_notes_send, "send_form"),
    "response": (InterviewResponseForm, interview_response_record, "response_form"),
}


def _interview_or_404(door, pk):
    interview = interview_get(report=door.report, pk=pk)
    if interview is None:
        raise Http404("No such interview")
    return interview


@login_required
@require_GET
def interview_list_view(request, reference, pk):
    door = report_door(request, reference, pk, papers=True)
    context = {
        "review": door.review,
        "report": door.report,
        "interviews": interview_list(report=door.report),
        "own": door.own,
        "can_edit": can_edit_report(request.user, door.report),
    }
    return render(request, "reviews/interviews/interview_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interview_add_view(request, reference, pk):
    door = report_door(request, reference, pk, papers=True, may=can_edit_report)
    review, report = door.review, door.report
    form = InterviewForm(request.POST or None)
    interview = form_submit(request, form, interview_record, "Interview recorded", report=report)
    if interview:
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


def _interview_page(request, door, interview, **forms):
    context = {
        "review": door.review,
        "report": door.report,
        "interview": interview,
        "own": door.own,
        "can_edit": can_edit_report(request.user, door.report),
        "send_form": forms.get("send_form") or InterviewSendForm(),
        "response_form": forms.get("response_form") or InterviewResponseForm(),
    }
    return render(request, "reviews/interviews/interview_detail.html", context)


@login_required
@require_GET
def interview_detail_view(request, reference, pk, interview_pk):
    door = report_door(request, reference, pk, papers=True)
    return _interview_page(request, door, _interview_or_404(door, interview_pk))


def _can_take_step(step):
    def may(user, report) -> bool:
        return step in _STEPS and can_edit_report(user, report)

    return may


@login_required
@require_POST
def interview_update_view(request, reference, pk, interview_pk, step):
    door = report_door(request, reference, pk, papers=True, may=_can_take_step(step))
    interview = _interview_or_404(door, interview_pk)
    form_class, service, name = _STEPS[step]
    form = form_class(request.POST)
    if form_submit(request, form, service, "Interview updated", interview=interview):
        return redirect("reviews:interview", door.review.reference, door.report.pk, interview.pk)
    return _interview_page(request, door, interview, **{name: form})
