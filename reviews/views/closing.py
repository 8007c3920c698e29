"""Closing a review (signed off, closed handing its open actions to the board's action log,
withdrawn), and the board's action log."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from reviews.doors import review_door
from reviews.forms.closing import ActionLogFilterForm, HandOverForm, WithdrawForm
from reviews.gates import REVIEW_CLOSE, gate_unmet
from reviews.permissions.closing import (
    can_close_review,
    can_see_whole_action_log,
    can_view_action_log,
    can_withdraw_review,
)
from reviews.selectors.closing import action_log_list, actions_open, sign_off_blockers
from reviews.services.closing import review_hand_over, review_sign_off, review_withdraw
from scr.forms import ConfirmForm, form_submit


def _closing_page(request, review, form, template, **context):
    context = {
        "review": review,
        "form": form,
        "unmet": gate_unmet(REVIEW_CLOSE, review=review),
        "blockers": sign_off_blockers(review=review),
        **context,
    }
    return render(request, f"reviews/closing/{template}", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_sign_off_view(request, reference):
    review = review_door(request, reference, may=can_close_review)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if form_submit(request, form, review_sign_off, "Review signed off and closed", review=review):
        return redirect(review)
    return _closing_page(request, review, form, "review_sign_off.html")


@login_required
@require_http_methods(["GET", "POST"])
def review_hand_over_view(request, reference):
    review = review_door(request, reference, may=can_close_review)
    form = HandOverForm(request.POST or None)
    message = "Review closed: its open actions are on the board's action log"
    if form_submit(request, form, review_hand_over, message, review=review):
        return redirect(review)
    handed = actions_open(review=review)
    return _closing_page(request, review, form, "review_hand_over.html", handed=handed)


@login_required
@require_http_methods(["GET", "POST"])
def review_withdraw_view(request, reference):
    review = review_door(request, reference, may=can_withdraw_review)
    form = WithdrawForm(request.POST or None)
    if form_submit(request, form, review_withdraw, "Review withdrawn", review=review):
        return redirect(review)
    return render(request, "reviews/closing/review_withdraw.html", {"review": review, "form": form})


@login_required
@require_GET
def action_log_view(request):
    if not can_view_action_log(request.user):
        raise PermissionDenied
    form = ActionLogFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    agency = data.get("agency")
    actions = action_log_list(
        user=request.user, agency_id=agency.pk if agency else None, status=data.get("status", "")
    )
    page = Paginator(actions, settings.REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "sees_all": can_see_whole_action_log(request.user),
    }
    return render(request, "reviews/closing/action_log.html", context)
