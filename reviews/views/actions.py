"""Stage 6 pages: the action plan, each action and its progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.forms.actions import ActionForm, ActionProgressForm, ActionTargetForm
from reviews.permissions.actions import can_manage_actions, can_update_action
from reviews.permissions.panel import can_view_panel
from reviews.selectors.actions import action_list_visible
from reviews.selectors.reports import report_list_for_agency_lead
from reviews.services.actions import (
    action_create,
    action_plan_agree,
    action_progress,
    action_target_move,
)
from reviews.services.review import access_log_record
from reviews.views.review import review_or_404


def plan_or_404(request, reference):
    """The review and the agency whose actions the user sees (None: every agency): 404 outside
    the review; 403 before the plan starts, or for a lead whose agency is not in it."""
    review = review_or_404(request, reference)
    own_report = report_list_for_agency_lead(user=request.user, review=review).first()
    panel = can_view_panel(request.user, review)
    allowed = (panel or own_report is not None) and review.action_plan_started
    access_log_record(
        request=request, object_type="action_plan", object_ref=reference, allowed=allowed
    )
    if not allowed:
        raise PermissionDenied
    return review, None if panel else own_report.agency_id


def _action_or_404(request, reference, pk):
    review, agency_id = plan_or_404(request, reference)
    action = action_list_visible(review=review, agency_id=None).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    if agency_id is not None and action.agency_id != agency_id:
        raise PermissionDenied
    return review, action


@login_required
@require_GET
def action_list_view(request, reference):
    review, agency_id = plan_or_404(request, reference)
    context = {
        "review": review,
        "actions": action_list_visible(review=review, agency_id=agency_id),
        "own_agency_only": agency_id is not None,
        "can_manage": can_manage_actions(request.user, review),
        "errors": [],
    }
    return render(request, "reviews/actions/action_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_create_view(request, reference):
    review, _ = plan_or_404(request, reference)
    if not can_manage_actions(request.user, review):
        raise PermissionDenied
    form = ActionForm(request.POST or None, review=review)
    if form.is_valid():
        try:
            action = action_create(review=review, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action added")
            return redirect(action)
    context = {"review": review, "form": form, "heading": "Add an action", "submit": "Add action"}
    return render(request, "reviews/review/review_part_form.html", context)


def _action_page(request, review, action, form=None):
    context = {
        "review": review,
        "action": action,
        "updates": action.updates.select_related("author"),
        "can_update": can_update_action(request.user, action),
        "can_manage": can_manage_actions(request.user, review),
        "form": form or ActionProgressForm(initial={"status": action.status}),
    }
    return render(request, "reviews/actions/action_detail.html", context)


@login_required
@require_GET
def action_detail_view(request, reference, pk):
    review, action = _action_or_404(request, reference, pk)
    return _action_page(request, review, action)


@login_required
@require_POST
def action_progress_view(request, reference, pk):
    review, action = _action_or_404(request, reference, pk)
    if not can_update_action(request.user, action):
        raise PermissionDenied
    form = ActionProgressForm(request.POST)
    if form.is_valid():
        try:
            action_progress(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Progress recorded")
            return redirect(action)
    return _action_page(request, review, action, form)


@login_required
@require_http_methods(["GET", "POST"])
def action_target_view(request, reference, pk):
    review, action = _action_or_404(request, reference, pk)
    if not (can_manage_actions(request.user, review) and can_update_action(request.user, action)):
        raise PermissionDenied
    form = ActionTargetForm(request.POST or None, initial={"target_on": action.target_on})
    if form.is_valid():
        try:
            action_target_move(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Target date moved")
            return redirect(action)
    context = {
        "review": review,
        "form": form,
        "heading": "Move the target date",
        "submit": "Move target date",
    }
    return render(request, "reviews/review/review_part_form.html", context)


@login_required
@require_POST
def action_plan_agree_view(request, reference):
    review, agency_id = plan_or_404(request, reference)
    if not can_manage_actions(request.user, review):
        raise PermissionDenied
    try:
        action_plan_agree(review=review, actor=request.user)
    except ValidationError as error:
        context = {
            "review": review,
            "actions": action_list_visible(review=review, agency_id=agency_id),
            "can_manage": True,
            "errors": error.messages,
        }
        return render(request, "reviews/actions/action_list.html", context)
    messages.success(request, "Action plan agreed: the review moves on to publication")
    return redirect("reviews:actions", review.reference)
