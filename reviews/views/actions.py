"""Stage 6: the action plan, each action and its progress."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.doors import action_door, plan_door
from reviews.forms.actions import ActionForm, ActionProgressForm, ActionTargetForm
from reviews.permissions.actions import (
    can_agree_action_plan,
    can_manage_actions,
    can_move_action_target,
    can_update_action,
)
from reviews.selectors.actions import (
    action_list_visible,
    action_plan_version,
    action_update_list,
)
from reviews.services.actions import (
    action_create,
    action_plan_agree,
    action_progress,
    action_target_move,
)
from scr.forms import AgreementForm, form_submit, is_conflict
from scr.versions import version_of


def _plan_page(request, door):
    context = {
        "review": door.review,
        "actions": action_list_visible(review=door.review, agency_id=door.agency_id),
        "own_agency_only": door.agency_id is not None,
        "can_manage": can_manage_actions(request.user, door.review),
        "can_agree": can_agree_action_plan(request.user, door.review),
    }
    return render(request, "reviews/actions/action_list.html", context)


def _part_form_page(request, review, form, *, heading, submit):
    context = {"review": review, "form": form, "heading": heading, "submit": submit}
    return render(request, "reviews/review/review_part_form.html", context)


@login_required
@require_GET
def action_list_view(request, reference):
    return _plan_page(request, plan_door(request, reference))


@login_required
@require_http_methods(["GET", "POST"])
def action_create_view(request, reference):
    review = plan_door(request, reference, may=can_manage_actions).review
    form = ActionForm(request.POST or None, review=review)
    action = form_submit(request, form, action_create, "Action added", review=review)
    if action:
        return redirect(action)
    return _part_form_page(request, review, form, heading="Add an action", submit="Add action")


def _action_page(request, review, action, form=None):
    context = {
        "review": review,
        "action": action,
        "updates": action_update_list(action=action),
        "can_update": can_update_action(request.user, action),
        "can_manage": can_manage_actions(request.user, review),
        "form": form or ActionProgressForm(initial={"status": action.status}),
    }
    return render(request, "reviews/actions/action_detail.html", context)


@login_required
@require_GET
def action_detail_view(request, reference, pk):
    review, action = action_door(request, reference, pk)
    return _action_page(request, review, action)


@login_required
@require_POST
def action_progress_view(request, reference, pk):
    review, action = action_door(request, reference, pk, may=can_update_action)
    form = ActionProgressForm(request.POST)
    if form_submit(request, form, action_progress, "Progress recorded", action=action):
        return redirect(action)
    return _action_page(request, review, action, form)


@login_required
@require_http_methods(["GET", "POST"])
def action_target_view(request, reference, pk):
    review, action = action_door(request, reference, pk, may=can_move_action_target)
    initial = {"target_on": action.target_on, "version": version_of(action)}
    form = ActionTargetForm(request.POST or None, initial=initial)
    if form_submit(request, form, action_target_move, "Target date moved", action=action):
        return redirect(action)
    return _part_form_page(
        request, review, form, heading="Move the target date", submit="Move target date"
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_plan_agree_view(request, reference):
    review = plan_door(request, reference, may=can_agree_action_plan).review
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        initial={"version": action_plan_version(review=review)},
    )
    message = "Action plan agreed: the review moves on to publication"
    if form_submit(request, form, action_plan_agree, message, review=review):
        return redirect("reviews:actions", review.reference)
    context = {
        "review": review,
        "form": form,
        "actions": action_list_visible(review=review, agency_id=None),
    }
    status = 409 if is_conflict(form) else 200
    return render(request, "reviews/actions/action_plan_agree_confirm.html", context, status=status)
