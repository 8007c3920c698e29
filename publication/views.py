"""Stage 7: the publication plan of a review."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies.signin import reauthentication_required
from publication.forms import NoticeForm, PublicationPlanForm
from publication.permissions import can_approve_publication, can_plan_publication
from publication.selectors import publication_notice_deadline, publication_plan_get
from publication.services import (
    publication_approve,
    publication_notice_record,
    publication_plan_save,
)
from reviews.doors import review_door
from reviews.gates import PUBLICATION_APPROVAL, gate_unmet
from reviews.permissions.review import can_view_publication
from scr.forms import VersionedForm, form_page, form_submit, is_conflict
from scr.versions import version_of


def _door(request, reference, may=can_view_publication):
    """The review's stage 7, logged as a look at its publication: 404 outside the review,
    403 for who may not see the plan or do ``may``."""
    return review_door(request, reference, may=may, kind="publication")


def _plan_page(request, review):
    context = {
        "review": review,
        "plan": publication_plan_get(review=review),
        "notice": publication_notice_deadline(review=review),
        "can_plan": can_plan_publication(request.user, review),
        "can_approve": can_approve_publication(request.user, review),
    }
    return render(request, "publication/plan_detail.html", context)


def _form_page(request, review, form, service, *, heading, submit, message):
    return form_page(
        request,
        form,
        service,
        message=message,
        success_url=reverse("publication:plan", args=[review.reference]),
        template="reviews/review/review_part_form.html",
        context={"review": review, "heading": heading, "submit": submit},
        review=review,
    )


@login_required
@require_GET
def plan_detail_view(request, reference):
    return _plan_page(request, _door(request, reference))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request, reference):
    review = _door(request, reference, may=can_plan_publication)
    plan = publication_plan_get(review=review)
    initial = {"version": version_of(plan)}
    if plan:
        initial.update(form=plan.form, planned_on=plan.planned_on, rationale=plan.rationale)
    return _form_page(
        request,
        review,
        PublicationPlanForm(request.POST or None, initial=initial),
        publication_plan_save,
        heading="Plan the publication",
        submit="Save the plan",
        message="Publication plan saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_record_view(request, reference):
    review = _door(request, reference, may=can_plan_publication)
    return _form_page(
        request,
        review,
        NoticeForm(request.POST or None),
        publication_notice_record,
        heading="Record the report sent to the national bodies",
        submit="Record",
        message="Report to the national bodies recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(return_to="publication:approve")
def plan_approve_view(request, reference):
    review = _door(request, reference, may=can_approve_publication)
    plan = publication_plan_get(review=review)
    form = VersionedForm(
        request.POST if request.method == "POST" else None,
        initial={"version": version_of(plan)},
    )
    if form_submit(request, form, publication_approve, "Publication plan approved", review=review):
        return redirect("publication:plan", review.reference)
    unmet = gate_unmet(PUBLICATION_APPROVAL, review=review)
    context = {"review": review, "plan": plan, "form": form, "unmet": unmet}
    status = 409 if is_conflict(form) else 200
    return render(request, "publication/plan_approve_confirm.html", context, status=status)
