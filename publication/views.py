"""Stage 7 pages: the publication plan of a review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from publication.forms import NoticeForm, PublicationPlanForm
from publication.models import PublicationPlan
from publication.permissions import (
    can_approve_publication,
    can_plan_publication,
    can_view_publication,
)
from publication.services import (
    publication_approve,
    publication_notice_record,
    publication_plan_save,
)
from reviews.models import Deadline
from reviews.services.review import access_log_record
from reviews.views.review import review_form_page, review_or_404


def _review_or_403(request, reference):
    """The review and its plan (or None): 404 outside the review, 403 for who may not see the
    plan (logged either way)."""
    review = review_or_404(request, reference)
    permitted = can_view_publication(request.user, review)
    access_log_record(
        request=request, object_type="publication", object_ref=reference, allowed=permitted
    )
    if not permitted:
        raise PermissionDenied
    return review, PublicationPlan.objects.filter(review=review).first()


def _plan_page(request, review, plan, errors=()):
    context = {
        "review": review,
        "plan": plan,
        "notice": review.deadlines.filter(kind=Deadline.Kind.PUBLICATION_NOTICE).first(),
        "can_plan": can_plan_publication(request.user, review),
        "can_approve": can_approve_publication(request.user, review, plan),
        "errors": errors,
    }
    return render(request, "publication/plan_detail.html", context)


@login_required
@require_GET
def plan_detail_view(request, reference):
    review, plan = _review_or_403(request, reference)
    return _plan_page(request, review, plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request, reference):
    review, plan = _review_or_403(request, reference)
    if not can_plan_publication(request.user, review):
        raise PermissionDenied
    initial = (
        {"form": plan.form, "planned_on": plan.planned_on, "rationale": plan.rationale}
        if plan
        else {}
    )
    form = PublicationPlanForm(request.POST or None, initial=initial)
    return review_form_page(
        request,
        review,
        form,
        publication_plan_save,
        heading="Plan the publication",
        submit="Save the plan",
        message="Publication plan saved",
        next_url="publication:plan",
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_record_view(request, reference):
    review, _ = _review_or_403(request, reference)
    if not can_plan_publication(request.user, review):
        raise PermissionDenied
    return review_form_page(
        request,
        review,
        NoticeForm(request.POST or None),
        publication_notice_record,
        heading="Record the report sent to the national bodies",
        submit="Record",
        message="Report to the national bodies recorded",
        next_url="publication:plan",
    )


@login_required
@require_POST
def plan_approve_view(request, reference):
    review, plan = _review_or_403(request, reference)
    if not can_approve_publication(request.user, review, plan):
        raise PermissionDenied
    try:
        publication_approve(review=review, actor=request.user)
    except ValidationError as error:
        return _plan_page(request, review, plan, errors=error.messages)
    messages.success(request, "Publication plan approved")
    return redirect("publication:plan", review.reference)
