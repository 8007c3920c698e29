"""The processes running beside a review (criminal proceedings, an inquest, a domestic
homicide review, disciplinary or regulatory action): the board manager records each with its
contact and what it holds back, corrects it while it runs and records its end."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from reviews.doors import parallel_door, parallel_process_door
from reviews.forms.parallel import (
    ParallelProcessEndForm,
    ParallelProcessForm,
    ParallelProcessRecordForm,
)
from reviews.permissions.parallel import can_manage_parallel, can_view_parallel_contacts
from reviews.selectors.clock import clock_stop_in_force
from reviews.selectors.parallel import (
    EFFECTS,
    parallel_hold,
    parallel_process_history,
    parallel_process_list,
)
from reviews.services.parallel import (
    parallel_process_change,
    parallel_process_end,
    parallel_process_record,
)
from scr.forms import form_page
from scr.versions import version_of

_FORM = "reviews/parallel/parallel_form.html"
_DETAILS = [name for name in ParallelProcessForm.base_fields if name not in ("effects", "version")]


def _list_url(review) -> str:
    return reverse("reviews:parallel", args=[review.reference])


@login_required
@require_GET
def parallel_list_view(request, reference):
    review = parallel_door(request, reference)
    context = {
        "review": review,
        "processes": parallel_process_list(review=review),
        "holds": {effect: parallel_hold(review=review, effect=effect) for effect in EFFECTS},
        "clock_stop": clock_stop_in_force(review=review),
        "sees_contacts": can_view_parallel_contacts(request.user, review),
        "can_manage": can_manage_parallel(request.user, review),
    }
    return render(request, "reviews/parallel/parallel_list.html", context)


@login_required
@require_GET
def parallel_process_view(request, reference, pk):
    review, process = parallel_process_door(request, reference, pk)
    context = {
        "review": review,
        "process": process,
        "history": parallel_process_history(process=process),
        "sees_contacts": can_view_parallel_contacts(request.user, review),
        "can_manage": can_manage_parallel(request.user, review) and process.is_running,
    }
    return render(request, "reviews/parallel/parallel_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def parallel_process_add_view(request, reference):
    review = parallel_door(request, reference, may=can_manage_parallel)
    return form_page(
        request,
        ParallelProcessRecordForm(request.POST or None),
        parallel_process_record,
        message=lambda process: f"{process.get_kind_display()} recorded",
        success_url=_list_url(review),
        template=_FORM,
        context={"review": review, "heading": "Record a parallel process", "submit": "Record it"},
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def parallel_process_change_view(request, reference, pk):
    review, process = parallel_process_door(request, reference, pk, may=can_manage_parallel)
    fields = [
        name for name in ParallelProcessForm.base_fields if name not in ("effects", "version")
    ]
    initial = {name: getattr(process, name) for name in fields}
    initial["effects"] = [effect for effect in EFFECTS if getattr(process, effect)]
    initial["version"] = version_of(process)
    return form_page(
        request,
        ParallelProcessForm(request.POST or None, initial=initial),
        parallel_process_change,
        message=lambda process: f"{process.get_kind_display()} changed",
        success_url=reverse("reviews:parallel_process", args=[review.reference, process.pk]),
        template=_FORM,
        context={
            "review": review,
            "process": process,
            "heading": f"Change the {process.get_kind_display().lower()}",
            "submit": "Save the changes",
        },
        process=process,
    )


@login_required
@require_http_methods(["GET", "POST"])
def parallel_process_end_view(request, reference, pk):
    review, process = parallel_process_door(request, reference, pk, may=can_manage_parallel)
    initial = {"version": version_of(process)}
    return form_page(
        request,
        ParallelProcessEndForm(request.POST or None, initial=initial),
        parallel_process_end,
        message=lambda process: f"{process.get_kind_display()} ended: what it held back is lifted",
        success_url=_list_url(review),
        template=_FORM,
        context={
            "review": review,
            "process": process,
            "heading": f"Record the end of the {process.get_kind_display().lower()}",
            "submit": "Record the end",
        },
        process=process,
    )
