"""Stage 7: the publication plan of a review, and its pseudonym map with the identifier check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.signin import reauthentication_required
from publication.anonymise import mask_html
from publication.checks import version_check, version_problems, worker_names
from publication.forms import (
    IdentifierCheckForm,
    NoticeForm,
    PseudonymAddForm,
    PseudonymChangeForm,
    PublicationApproveForm,
    PublicationPlanForm,
)
from publication.identifiers import hits_by_entry, identifier_hits
from publication.models import PublicationPlan
from publication.permissions import (
    can_approve_publication,
    can_manage_pseudonyms,
    can_plan_publication,
    can_send_submission_pack,
    can_view_board_response,
    can_view_pseudonyms,
    can_view_publications,
)
from publication.selectors import (
    board_response_get,
    pseudonym_get,
    pseudonym_list,
    publication_list_of_review,
    publication_notice_deadline,
    publication_of,
    publication_plan_get,
    publication_version_latest,
)
from publication.services import (
    pseudonym_add,
    pseudonym_change,
    pseudonym_remove,
    pseudonyms_fill,
    publication_approve,
    publication_notice_record,
    publication_plan_save,
)
from reviews.doors import part_door, review_door
from reviews.gates import PUBLICATION_APPROVAL, gate_unmet
from reviews.permissions.review import can_view_publication
from reviews.selectors.parallel import parallel_hold
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
        "can_see_pseudonyms": can_view_pseudonyms(request.user, review),
        # What of the review is on the public site, or was: the board manager's and the chair's.
        "publications": (
            publication_list_of_review(review=review) if can_view_publications(request.user) else []
        ),
        "now": timezone.now(),
        "publication": publication_of(review=review),
        "can_send_pack": can_send_submission_pack(request.user, review),
        "response": board_response_get(review=review),
        "can_view_response": can_view_board_response(request.user, review),
        # Who sees stage 7 sees the review's parallel processes too (both: the panel's papers).
        "held": parallel_hold(review=review, effect="holds_publication"),
    }
    if context["can_see_pseudonyms"]:
        context["version"] = publication_version_latest(review=review)
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
    version = publication_version_latest(review=review)
    initial = {"version": version_of(plan), "publication_version": version and version.number}
    data = request.POST if request.method == "POST" else None
    form = PublicationApproveForm(data, initial=initial)
    if form_submit(request, form, publication_approve, "Publication plan approved", review=review):
        return redirect("publication:plan", review.reference)
    unmet = gate_unmet(PUBLICATION_APPROVAL, review=review)
    context = {"review": review, "plan": plan, "form": form, "unmet": unmet}
    if plan is not None and plan.form != PublicationPlan.Form.NONE:
        context.update(_version_context(review, version))
    status = 409 if is_conflict(form) else 200
    return render(request, "publication/plan_approve_confirm.html", context, status=status)


def _version_context(review, version):
    """What the chair reads before approving: the version's text (workers' names masked) and
    what stops it being approved (not the latest, not of the agreed report, hits unresolved)."""
    problems = version_problems(review, version)
    if version is None:
        return {"version": None, "problems": problems}
    workers = worker_names(review=review)
    return {
        "version": version,
        "problems": problems,
        "check": version_check(version),
        "summary_html": mask_html(version.summary_html, workers),
        "body_html": mask_html(version.body_html, workers),
    }


def _map_door(request, reference, may=can_view_pseudonyms):
    """The review's pseudonym map, logged as a look at it: 404 outside the review, 403 for
    anyone but the board manager and the chair, or unless ``may``."""
    return review_door(request, reference, may=may, kind="pseudonyms")


def _entry_door(request, reference, pk):
    review = _map_door(request, reference, may=can_manage_pseudonyms)
    entry = pseudonym_get(review=review, pk=pk)
    return review, part_door(request, entry, kind="pseudonym", ref=f"{reference}/pseudonyms/{pk}")


def _entry_form_page(request, on, form, service, *, heading, submit, message, **kwargs):
    """A form of the map of review ``on``, back to the map when saved."""
    return form_page(
        request,
        form,
        service,
        message=message,
        success_url=reverse("publication:pseudonyms", args=[on.reference]),
        template="publication/pseudonym_form.html",
        context={"review": on, "heading": heading, "submit": submit},
        **kwargs,
    )


@login_required
@require_GET
def pseudonym_list_view(request, reference):
    review = _map_door(request, reference)
    context = {
        "review": review,
        "entries": pseudonym_list(review=review),
        "can_manage": can_manage_pseudonyms(request.user, review),
    }
    return render(request, "publication/pseudonym_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pseudonym_add_view(request, reference):
    review = _map_door(request, reference, may=can_manage_pseudonyms)
    return _entry_form_page(
        request,
        review,
        PseudonymAddForm(request.POST or None),
        pseudonym_add,
        heading="Add to the pseudonym map",
        submit="Add",
        message="Entry added to the pseudonym map",
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pseudonym_change_view(request, reference, pk):
    review, entry = _entry_door(request, reference, pk)
    initial = {
        "version": version_of(entry),
        "real_value": entry.real_value,
        "replacement": entry.replacement,
        "kind": entry.kind,
    }
    return _entry_form_page(
        request,
        review,
        PseudonymChangeForm(request.POST or None, initial=initial),
        pseudonym_change,
        heading="Change an entry of the pseudonym map",
        submit="Save",
        message="Entry changed",
        entry=entry,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pseudonym_remove_view(request, reference, pk):
    review, entry = _entry_door(request, reference, pk)
    form = VersionedForm(request.POST or None, initial={"version": version_of(entry)})
    return form_page(
        request,
        form,
        pseudonym_remove,
        message="Entry removed from the pseudonym map",
        success_url=reverse("publication:pseudonyms", args=[review.reference]),
        template="publication/pseudonym_remove.html",
        context={"review": review, "entry": entry},
        entry=entry,
    )


@login_required
@require_POST
def pseudonyms_fill_view(request, reference):
    review = _map_door(request, reference, may=can_manage_pseudonyms)
    added = pseudonyms_fill(review=review, actor=request.user)
    if added:
        messages.success(request, f"{len(added)} added from the review's records")
    else:
        messages.success(request, "The map already holds everything the review's records name")
    return redirect("publication:pseudonyms", review.reference)


@login_required
@require_http_methods(["GET", "POST"])
def identifier_check_view(request, reference):
    review = _map_door(request, reference)
    form = IdentifierCheckForm(request.POST or None)
    groups = None
    if form.is_valid():
        hits = identifier_hits(form.cleaned_data["text"], pseudonym_list(review=review))
        groups = hits_by_entry(hits)
    context = {"review": review, "form": form, "groups": groups}
    return render(request, "publication/identifier_check.html", context)
