"""Stage 5: practitioners' own voice. The author sends a worker interviewed, through their
agency's leads, the passages about their practice; the leads pass them on and record the
answer; the author reads it beside what was sent."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.doors import practitioner_comment_door, review_door
from reviews.forms.practitioners import (
    PractitionerCommentsRecordForm,
    PractitionerCommentsSendForm,
    SectionChooseForm,
    WorkerChooseForm,
)
from reviews.permissions.panel import is_current_author
from reviews.permissions.practitioners import (
    can_record_no_practitioner_comments,
    can_record_practitioner_comments,
    can_send_practitioner_comments,
    can_view_practitioner_comments,
)
from reviews.selectors.overview_text import overview_version_number_latest
from reviews.selectors.practitioners import (
    practitioner_comment_list,
    practitioner_entry_list,
    practitioner_extract_start,
    practitioner_interview_get,
    practitioner_interview_list,
)
from reviews.services.practitioners import (
    practitioner_comments_due_default,
    practitioner_comments_no_response,
    practitioner_comments_record,
    practitioner_comments_send,
)
from scr.forms import ConfirmForm, form_submit

TEMPLATES = "reviews/practitioners/"
KIND = "practitioner_comments"


@login_required
@require_GET
def practitioner_comment_list_view(request, reference):
    review = review_door(request, reference, may=can_view_practitioner_comments, kind=KIND)
    author = is_current_author(request.user, review)
    context = {
        "review": review,
        "names": not author,  # a lead sees only their own agency's workers, by name
        "comments": practitioner_comment_list(
            review=review, agency_id=None if author else request.user.agency_id
        ),
        "author": author,
        "can_send": can_send_practitioner_comments(request.user, review),
    }
    return render(request, TEMPLATES + "comment_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def practitioner_worker_choose_view(request, reference):
    review = review_door(request, reference, may=can_send_practitioner_comments, kind=KIND)
    interviews = practitioner_interview_list(review=review)
    form = WorkerChooseForm(request.POST or None, interviews=interviews)
    if form.is_valid():
        chosen = form.cleaned_data["interview"]
        return redirect("reviews:practitioner_comment_send", review.reference, chosen.pk)
    context = {
        "review": review,
        "form": form,
        "has_workers": interviews.exists(),
        "cancel_url": reverse("reviews:practitioner_comments", args=[review.reference]),
    }
    return render(request, TEMPLATES + "worker_choose.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def practitioner_comment_send_view(request, reference, interview_pk):
    review = review_door(request, reference, may=can_send_practitioner_comments, kind=KIND)
    interview = practitioner_interview_get(review=review, pk=interview_pk)
    if interview is None:
        raise Http404("No such worker")
    section_form = SectionChooseForm(request.GET or None)
    section = section_form.cleaned_data["section"] if section_form.is_valid() else ""
    initial = {
        "due_on": practitioner_comments_due_default(),
        "extract": practitioner_extract_start(review=review, section=section),
    }
    form = PractitionerCommentsSendForm(
        request.POST or None, initial=initial, entries=practitioner_entry_list(interview=interview)
    )
    sent = form_submit(
        request, form, practitioner_comments_send, "Passages sent", interview=interview
    )
    if sent:
        return redirect(sent)
    context = {
        "review": review,
        "interview": interview,
        "form": form,
        "section_form": section_form,
        "has_version": overview_version_number_latest(review=review),
    }
    return render(request, TEMPLATES + "comment_send.html", context)


def _comment_page(request, door, errors=()):
    context = {
        "review": door.review,
        "comment": door.comment,
        "own": door.own,
        "can_record": can_record_practitioner_comments(request.user, door.comment),
        "can_record_none": can_record_no_practitioner_comments(request.user, door.comment),
        "errors": list(errors),
    }
    return render(request, TEMPLATES + "comment_detail.html", context)


@login_required
@require_GET
def practitioner_comment_view(request, reference, pk):
    return _comment_page(request, practitioner_comment_door(request, reference, pk))


@login_required
@require_http_methods(["GET", "POST"])
def practitioner_comment_record_view(request, reference, pk):
    door = practitioner_comment_door(request, reference, pk, may=can_record_practitioner_comments)
    form = PractitionerCommentsRecordForm(request.POST or None)
    message = "The worker's answer is recorded"
    if form_submit(request, form, practitioner_comments_record, message, comment=door.comment):
        return redirect(door.comment)
    context = {"review": door.review, "comment": door.comment, "form": form}
    return render(request, TEMPLATES + "comment_record.html", context)


@login_required
@require_POST
def practitioner_comment_lapse_view(request, reference, pk):
    door = practitioner_comment_door(
        request, reference, pk, may=can_record_no_practitioner_comments
    )
    form = ConfirmForm(request.POST)
    message = "Recorded that no comments came by the date"
    if form_submit(request, form, practitioner_comments_no_response, message, comment=door.comment):
        return redirect(door.comment)
    return _comment_page(request, door, errors=form.non_field_errors())
