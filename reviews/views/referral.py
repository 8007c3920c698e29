"""Stages 1 and 2: recording a referral, the notification, the rapid review and the decision."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reviews.doors import review_door
from reviews.forms.referral import DecisionForm, NotificationForm, RapidReviewForm, ReferralForm
from reviews.permissions.referral import (
    can_record_decision,
    can_record_notification,
    can_record_rapid_review,
    can_record_referral,
    records_decision_for_chair,
)
from reviews.services.referral import (
    decision_record,
    notification_record,
    rapid_review_record,
    referral_create,
)
from scr.forms import form_page, form_submit


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_view(request):
    if not can_record_referral(request.user):
        raise PermissionDenied
    form = ReferralForm(request.POST or None)
    review = form_submit(
        request, form, referral_create, lambda review: f"Referral recorded as {review.reference}"
    )
    if review:
        return redirect(review)
    return render(request, "reviews/referral/referral_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def decision_record_view(request, reference):
    review = review_door(request, reference, may=can_record_decision)
    for_chair = records_decision_for_chair(request.user, review)
    form = DecisionForm(request.POST or None, review=review, for_chair=for_chair)
    decision = form_submit(request, form, decision_record, _decision_message, review=review)
    if decision:
        return redirect(decision.review)
    context = {
        "review": review,
        "form": form,
        "criteria_met": form.criteria_met(),
        "for_chair": for_chair,
    }
    return render(request, "reviews/referral/decision_form.html", context)


def _decision_message(decision) -> str:
    review = decision.review
    if review.former_reference:
        return (
            f"Threshold decision recorded: {review.former_reference} is now "
            f"{review.type_profile.label.lower()} {review.reference}"
        )
    return "Threshold decision recorded"


def _review_form_page(request, review, form, service, *, heading, submit, message):
    """A one-form page about the review: on success, back to the review's page."""
    return form_page(
        request,
        form,
        service,
        message=message,
        success_url=review.get_absolute_url(),
        template="reviews/review/review_part_form.html",
        context={"review": review, "heading": heading, "submit": submit},
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_record_view(request, reference):
    review = review_door(request, reference, may=can_record_notification)
    return _review_form_page(
        request,
        review,
        NotificationForm(request.POST or None),
        notification_record,
        heading="Record the notification to the national bodies",
        submit="Record notification",
        message="Notification to the national bodies recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rapid_review_record_view(request, reference):
    review = review_door(request, reference, may=can_record_rapid_review)
    return _review_form_page(
        request,
        review,
        RapidReviewForm(request.POST or None),
        rapid_review_record,
        heading="Record the rapid review",
        submit="Record rapid review",
        message="Rapid review recorded",
    )
