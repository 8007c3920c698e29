from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from reviews.forms import DecisionForm, ReferralForm, ReviewFilterForm
from reviews.permissions import (
    can_record_decision,
    can_record_referral,
    can_view_subject_identity,
)
from reviews.selectors import review_get_for_detail, review_list
from reviews.services import access_log_record, decision_record, referral_create


def _review_or_404(request, reference):
    """The review if the user may see it; otherwise log the refusal and answer 404."""
    review = review_get_for_detail(user=request.user, reference=reference)
    if review is None:
        access_log_record(
            request=request, object_type="review", object_ref=reference, allowed=False
        )
        raise Http404("No such review")
    return review


@login_required
@require_GET
def review_list_view(request):
    form = ReviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reviews = review_list(user=request.user, **filters)
    page = Paginator(reviews, settings.REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/review_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_record_referral": can_record_referral(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_view(request):
    if not can_record_referral(request.user):
        raise PermissionDenied
    form = ReferralForm(request.POST or None)
    if form.is_valid():
        try:
            review = referral_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Referral recorded as {review.reference}")
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form})


@login_required
@require_GET
def review_detail_view(request, reference):
    review = _review_or_404(request, reference)
    show_identity = can_view_subject_identity(request.user, review)
    access_log_record(request=request, object_type="review", object_ref=reference, allowed=True)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "show_identity": show_identity,
            "can_record_decision": can_record_decision(request.user, review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_record_view(request, reference):
    review = _review_or_404(request, reference)
    if not can_record_decision(request.user, review):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, review=review)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision_record(
                review=review,
                actor=request.user,
                answers=form.answers(),
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                rationale=data["rationale"],
                national_bodies_told_on=data["national_bodies_told_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Threshold decision recorded")
            return redirect(review)
    return render(request, "reviews/decision_form.html", {"review": review, "form": form})
