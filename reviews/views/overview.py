"""Stage 5 pages: the overview report's drafts, comments on them and its recommendations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.forms.overview import (
    CommentForm,
    CommentsRequestForm,
    DraftUploadForm,
    RecommendationForm,
)
from reviews.permissions.overview import can_draft_overview, can_finalise_overview
from reviews.permissions.panel import can_view_panel
from reviews.selectors.overview import overview_drafts_visible, overview_rounds_visible
from reviews.selectors.reports import report_list_for_agency_lead
from reviews.services.overview import (
    comment_add,
    comments_close,
    comments_request,
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
    round_open_get,
)
from reviews.services.review import access_log_record
from reviews.views.reports import attachment_response
from reviews.views.review import review_or_404


def overview_or_404(request, reference):
    """The review, the user's own agency report (for an agency lead) and whether the user is
    of the panel: 404 outside the review, 403 for a lead whose agency reports to it on
    nothing, and for anyone before the overview stage has begun (logged either way)."""
    review = review_or_404(request, reference)
    own_report = report_list_for_agency_lead(user=request.user, review=review).first()
    panel = can_view_panel(request.user, review)
    allowed = (panel or own_report is not None) and review.overview_started
    access_log_record(
        request=request, object_type="overview", object_ref=reference, allowed=allowed
    )
    if not allowed:
        raise PermissionDenied
    return review, own_report, panel


def _overview_page(request, review, own_report, panel, **forms):
    comment_round = round_open_get(review)
    can_draft = can_draft_overview(request.user, review)
    context = {
        "review": review,
        "drafts": overview_drafts_visible(review=review, panel=panel),
        "rounds": overview_rounds_visible(review=review, own_report=own_report, panel=panel),
        "open_round": comment_round,
        # Agency leads see the recommendations once the report is agreed, not while drafted.
        "recommendations": list(review.recommendations.all())
        if panel or review.stage != review.Stage.OVERVIEW
        else [],
        "can_draft": can_draft,
        "can_comment": comment_round is not None and (panel or own_report is not None),
        "can_finalise": can_finalise_overview(request.user, review),
        "upload_form": forms.get("upload_form") or DraftUploadForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "recommendation_form": forms.get("recommendation_form") or RecommendationForm(),
        "errors": forms.get("errors", []),
    }
    return render(request, "reviews/overview/overview_detail.html", context)


@login_required
@require_GET
def overview_view(request, reference):
    review, own_report, panel = overview_or_404(request, reference)
    return _overview_page(request, review, own_report, panel)


def _drafting_or_403(request, reference):
    review, own_report, panel = overview_or_404(request, reference)
    if not can_draft_overview(request.user, review):
        raise PermissionDenied
    return review, own_report, panel


def _form_post(request, reference, form_class, service, form_key, message):
    """Run a drafting form's service; back to the overview page with the form's errors."""
    review, own_report, panel = _drafting_or_403(request, reference)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            service(review=review, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect("reviews:overview", review.reference)
    return _overview_page(request, review, own_report, panel, **{form_key: form})


@login_required
@require_POST
def overview_upload_view(request, reference):
    return _form_post(
        request, reference, DraftUploadForm, overview_draft_upload, "upload_form", "Draft uploaded"
    )


@login_required
@require_POST
def recommendation_add_view(request, reference):
    return _form_post(
        request,
        reference,
        RecommendationForm,
        recommendation_add,
        "recommendation_form",
        "Recommendation added",
    )


@login_required
@require_http_methods(["GET", "POST"])
def comments_request_view(request, reference):
    review, _, _ = _drafting_or_403(request, reference)
    form = CommentsRequestForm(request.POST or None)
    if form.is_valid():
        try:
            comments_request(review=review, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft sent to the agencies for comments")
            return redirect("reviews:overview", review.reference)
    context = {
        "review": review,
        "form": form,
        "heading": "Send the latest draft for comments",
        "submit": "Send for comments",
    }
    return render(request, "reviews/review/review_part_form.html", context)


@login_required
@require_POST
def comment_add_view(request, reference):
    review, own_report, panel = overview_or_404(request, reference)
    comment_round = round_open_get(review)
    if comment_round is None:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_add(
                comment_round=comment_round,
                actor=request.user,
                report=own_report,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Comments sent to the author")
            return redirect("reviews:overview", review.reference)
    return _overview_page(request, review, own_report, panel, comment_form=form)


def _action_post(request, reference, allowed, service, message):
    review, own_report, panel = overview_or_404(request, reference)
    if not allowed(request.user, review):
        raise PermissionDenied
    try:
        service(review=review, actor=request.user)
    except ValidationError as error:
        return _overview_page(request, review, own_report, panel, errors=error.messages)
    messages.success(request, message)
    return redirect("reviews:overview", review.reference)


@login_required
@require_POST
def comments_close_view(request, reference):
    return _action_post(request, reference, can_draft_overview, comments_close, "Comments closed")


@login_required
@require_POST
def overview_finalise_view(request, reference):
    return _action_post(
        request,
        reference,
        can_finalise_overview,
        overview_finalise,
        "Overview report agreed: the action plan starts",
    )


@login_required
@require_GET
def overview_download_view(request, reference, number):
    review, _, panel = overview_or_404(request, reference)
    draft = next(
        (d for d in overview_drafts_visible(review=review, panel=panel) if d.number == number), None
    )
    if draft is None:
        raise Http404("No such draft")
    return attachment_response(draft.file, draft.display_name, draft.content_type)
