"""Stage 3: the panel, the overview author, the terms of reference and panel meetings."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from reviews.doors import panel_door
from reviews.forms.panel import AuthorForm, MeetingForm, PanelMemberForm, RemovalForm, TermsForm
from reviews.models import Review
from reviews.permissions.panel import can_appoint_author, can_manage_panel, can_set_terms
from reviews.permissions.reports import can_request_reports
from reviews.selectors.panel import panel_member_seated_get
from reviews.selectors.reports import report_ids_unreachable
from reviews.services.panel import (
    author_appoint,
    meeting_record,
    panel_member_add,
    panel_member_remove,
    terms_save,
)
from scr.forms import form_page
from scr.versions import version_of


def _panel_form_page(request, review, form, service, *, heading, submit, message, **target):
    """A one-form page of the panel's business: on success, back to the panel page. The
    service acts on ``target`` (a member), or else on the review."""
    return form_page(
        request,
        form,
        service,
        message=message,
        success_url=reverse("reviews:panel", args=[review.reference]),
        template="reviews/panel/panel_form.html",
        context={"review": review, "heading": heading, "submit": submit},
        **(target or {"review": review}),
    )


@login_required
@require_GET
def panel_detail_view(request, reference):
    review = panel_door(request, reference)
    context = {
        "review": review,
        "author": next(iter(review.current_authors), None),
        "terms": getattr(review, "terms", None),
        "can_manage_panel": can_manage_panel(request.user, review),
        "can_set_terms": can_set_terms(request.user, review),
        "can_appoint_author": can_appoint_author(request.user, review),
        "can_request_reports": can_request_reports(request.user, review),
        "unreachable": report_ids_unreachable(reports=review.report_requests.all()),
    }
    return render(request, "reviews/panel/panel_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def panel_member_add_view(request, reference):
    review = panel_door(request, reference, may=can_manage_panel)
    return _panel_form_page(
        request,
        review,
        PanelMemberForm(request.POST or None, review=review),
        panel_member_add,
        heading="Put a person forward for the panel",
        submit="Record declaration",
        message="Panel member recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_member_remove_view(request, reference, pk):
    review = panel_door(request, reference, may=can_manage_panel)
    member = panel_member_seated_get(review=review, pk=pk)
    if member is None:
        raise Http404("No such panel member")
    return _panel_form_page(
        request,
        review,
        RemovalForm(request.POST or None),
        panel_member_remove,
        heading=f"Remove {member.person} from the panel",
        submit="Remove from the panel",
        message=f"{member.person} removed from the panel",
        member=member,
    )


@login_required
@require_http_methods(["GET", "POST"])
def author_appoint_view(request, reference):
    review = panel_door(request, reference, may=can_appoint_author)
    return _panel_form_page(
        request,
        review,
        AuthorForm(request.POST or None),
        author_appoint,
        heading="Appoint the independent overview author",
        submit="Appoint author",
        message="Overview author appointed",
    )


def _terms_initial(review: Review) -> dict:
    terms = getattr(review, "terms", None)
    if terms is None:
        return {}
    return {
        "version": version_of(terms),
        "period_start": terms.period_start,
        "period_end": terms.period_end,
        "lines_of_enquiry": "\n".join(terms.lines_of_enquiry),
        "agencies_in_scope": list(terms.agencies_in_scope.all()),
        "family_involvement_plan": terms.family_involvement_plan,
        "scoping_meeting_on": terms.scoping_meeting_on,
    }


@login_required
@require_http_methods(["GET", "POST"])
def terms_edit_view(request, reference):
    review = panel_door(request, reference, may=can_set_terms)
    form = TermsForm(
        request.POST or None,
        initial=_terms_initial(review),
        amending=review.stage != Review.Stage.PANEL,
    )
    return _panel_form_page(
        request,
        review,
        form,
        terms_save,
        heading="Terms of reference",
        submit="Save terms of reference",
        message="Terms of reference saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record_view(request, reference):
    review = panel_door(request, reference, may=can_manage_panel)
    return _panel_form_page(
        request,
        review,
        MeetingForm(request.POST or None, review=review),
        meeting_record,
        heading="Record a panel meeting",
        submit="Record meeting",
        message="Panel meeting recorded",
    )
