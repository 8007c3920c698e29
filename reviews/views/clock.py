"""Deadlines, the review's clock and notifications: "My tasks" and the changes a board manager
makes to dates, always with a reason."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from reviews.doors import review_door
from reviews.forms.clock import ClockForm, DeadlineChangeForm, TasksFilterForm
from reviews.permissions.clock import can_manage_clock, can_see_every_deadline
from reviews.permissions.closing import can_view_action_log
from reviews.selectors.clock import (
    clock_event_list,
    clock_stop_in_force,
    deadline_list_for,
    deadline_open_get,
    notification_list_for,
)
from reviews.selectors.handoffs import work_list_for
from reviews.selectors.parallel import parallel_hold
from reviews.services.clock import (
    clock_extend,
    clock_restart,
    clock_stop,
    deadline_change,
    notifications_mark_read,
)
from scr.forms import form_submit, is_conflict
from scr.keyset import keyset_page
from scr.versions import version_of

# A board manager gets thousands of notifications a day: pages by key, newest first.
NOTIFICATIONS_PER_PAGE = 50


# "Waiting for you" shows the most urgent this many, with a link to the rest: a board manager of
# a national deployment has thousands, and rendering them all took a second (issue 15).
WORK_SHOWN = 50


@login_required
@require_GET
def tasks_view(request):
    form = TasksFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    deadlines = deadline_list_for(
        user=request.user,
        reference=data.get("reference", ""),
        agency_id=data["agency"].pk if data.get("agency") else None,
        overdue=data.get("show") == "overdue",
        what=data.get("what", ""),
    )
    page = keyset_page(
        deadlines,
        keys=("due_on", "id"),
        token=request.GET.get("page"),
        per_page=settings.REVIEWS_PER_PAGE,
        count=True,
    )
    query = request.GET.copy()
    query.pop("page", None)
    limit = None if request.GET.get("work") == "all" else WORK_SHOWN
    work = work_list_for(user=request.user, limit=limit)
    context = {
        "work": work.items,
        "work_count": work.total,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "sees_all": can_see_every_deadline(request.user),
        "can_change": can_manage_clock(request.user),
        "sees_action_log": can_view_action_log(request.user),
    }
    return render(request, "reviews/clock/task_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def deadline_change_view(request, pk):
    if not can_manage_clock(request.user):
        raise PermissionDenied
    deadline = deadline_open_get(pk=pk)
    if deadline is None:
        raise Http404("No such open deadline")
    if not can_manage_clock(request.user, deadline.review):
        raise PermissionDenied
    initial = {"due_on": deadline.due_on, "version": version_of(deadline)}
    form = DeadlineChangeForm(request.POST or None, initial=initial)
    if form_submit(request, form, deadline_change, "Deadline changed", deadline=deadline):
        return redirect("reviews:tasks")
    status = 409 if is_conflict(form) else 200
    context = {"deadline": deadline, "form": form}
    return render(request, "reviews/clock/deadline_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def clock_view(request, reference):
    review = review_door(request, reference, may=can_manage_clock)
    form = ClockForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        service = {"extend": clock_extend, "stop": clock_stop, "restart": clock_restart}
        kwargs = {"days": data["days"]} if data["action"] == "extend" else {}
        try:
            service[data["action"]](
                review=review, actor=request.user, reason=data["reason"], **kwargs
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The review's clock is changed")
            return redirect(review)
    context = {
        "review": review,
        "form": form,
        "stopped": clock_stop_in_force(review=review),
        "held": parallel_hold(review=review, effect="stops_clock"),
        "events": clock_event_list(review=review),
    }
    return render(request, "reviews/clock/clock_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notification_list_view(request):
    """The person's notifications; a POST marks every one read (a GET changes nothing)."""
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        messages.success(request, "Notifications marked as read")
        return redirect("reviews:notifications")
    page = keyset_page(
        notification_list_for(user=request.user),
        keys=("-created_at", "-id"),
        token=request.GET.get("page"),
        per_page=NOTIFICATIONS_PER_PAGE,
    )
    unread = {n.pk for n in page if n.read_at is None}
    context = {"page": page, "unread": unread, "query": ""}
    return render(request, "reviews/clock/notification_list.html", context)
