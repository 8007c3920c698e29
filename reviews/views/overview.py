"""Stage 5: the overview report's drafts, comments on them and its recommendations."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.doors import overview_door
from reviews.files import attachment_response
from reviews.forms.overview import (
    CommentForm,
    CommentsRequestForm,
    DraftUploadForm,
    OverviewAgreementForm,
    RecommendationCorrectForm,
    RecommendationForm,
    RecommendationRemoveForm,
)
from reviews.permissions.overview import (
    can_comment_on_overview,
    can_draft_overview,
    can_finalise_overview,
    can_read_report_text,
    can_view_recommendations,
)
from reviews.permissions.practitioners import can_view_practitioner_comments
from reviews.selectors.overview import (
    comment_round_agencies,
    comment_round_open_get,
    overview_agreement_get,
    overview_agreement_version,
    overview_draft_get,
    overview_draft_latest,
    overview_drafts_visible,
    overview_rounds_visible,
    recommendation_get,
    recommendation_list,
)
from reviews.selectors.overview_text import overview_version_number_latest
from reviews.services.overview import (
    comment_add,
    comments_close,
    comments_request,
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
    recommendation_correct,
    recommendation_remove,
)
from scr.forms import ConfirmForm, form_page, form_submit, is_conflict
from scr.versions import version_of


def _overview_page(request, door, **forms):
    review, user = door.review, request.user
    shown = can_view_recommendations(user, review)
    reads_text = can_read_report_text(user, review)
    context = {
        "review": review,
        "drafts": overview_drafts_visible(review=review, panel=door.panel),
        "rounds": overview_rounds_visible(
            review=review, own_report=door.own_report, panel=door.panel
        ),
        "open_round": comment_round_open_get(review=review),
        "recommendations": recommendation_list(review=review, with_removed=door.panel)
        if shown
        else [],
        "recommendations_hidden": not shown,
        "agreement": overview_agreement_get(review=review),
        "can_read_text": reads_text,
        "text_latest": overview_version_number_latest(review=review) if reads_text else 0,
        "can_draft": can_draft_overview(user, review),
        "can_comment": can_comment_on_overview(user, review),
        "can_finalise": can_finalise_overview(user, review),
        "can_view_practitioners": can_view_practitioner_comments(user, review),
        "upload_form": forms.get("upload_form") or DraftUploadForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "recommendation_form": forms.get("recommendation_form") or RecommendationForm(),
        "errors": forms.get("errors", []),
    }
    return render(request, "reviews/overview/overview_detail.html", context)


def _to_overview(door):
    return redirect("reviews:overview", door.review.reference)


@login_required
@require_GET
def overview_view(request, reference):
    return _overview_page(request, overview_door(request, reference))


@login_required
@require_POST
def overview_upload_view(request, reference):
    door = overview_door(request, reference, may=can_draft_overview)
    form = DraftUploadForm(request.POST, request.FILES)
    if form_submit(request, form, overview_draft_upload, "Draft uploaded", review=door.review):
        return _to_overview(door)
    return _overview_page(request, door, upload_form=form)


@login_required
@require_POST
def recommendation_add_view(request, reference):
    door = overview_door(request, reference, may=can_draft_overview)
    form = RecommendationForm(request.POST)
    if form_submit(request, form, recommendation_add, "Recommendation added", review=door.review):
        return _to_overview(door)
    return _overview_page(request, door, recommendation_form=form)


def _recommendation_of(door, number):
    recommendation = recommendation_get(review=door.review, number=number)
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_correct_view(request, reference, number):
    door = overview_door(request, reference, may=can_draft_overview)
    recommendation = _recommendation_of(door, number)
    initial = {"text": recommendation.text, "version": version_of(recommendation)}
    return form_page(
        request,
        RecommendationCorrectForm(_posted(request), initial=initial),
        recommendation_correct,
        message=f"Recommendation {number} corrected",
        success_url=reverse("reviews:overview", args=[door.review.reference]),
        template="reviews/overview/recommendation_form.html",
        context={
            "review": door.review,
            "heading": f"Correct recommendation {number}",
            "submit": "Save correction",
        },
        recommendation=recommendation,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_remove_view(request, reference, number):
    door = overview_door(request, reference, may=can_draft_overview)
    recommendation = _recommendation_of(door, number)
    return form_page(
        request,
        RecommendationRemoveForm(_posted(request), initial={"version": version_of(recommendation)}),
        recommendation_remove,
        message=f"Recommendation {number} removed",
        success_url=reverse("reviews:overview", args=[door.review.reference]),
        template="reviews/overview/recommendation_form.html",
        context={
            "review": door.review,
            "recommendation": recommendation,
            "show_text": True,
            "heading": f"Remove recommendation {number}",
            "submit": "Remove recommendation",
        },
        recommendation=recommendation,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comments_request_view(request, reference):
    door = overview_door(request, reference, may=can_draft_overview)
    return form_page(
        request,
        CommentsRequestForm(request.POST or None),
        comments_request,
        message="Draft sent to the agencies for comments",
        success_url=reverse("reviews:overview", args=[door.review.reference]),
        template="reviews/review/review_part_form.html",
        context={
            "review": door.review,
            "heading": "Send the latest draft for comments",
            "submit": "Send for comments",
        },
        review=door.review,
    )


@login_required
@require_POST
def comment_add_view(request, reference):
    door = overview_door(request, reference, may=can_comment_on_overview)
    form = CommentForm(request.POST)
    if form_submit(
        request,
        form,
        comment_add,
        "Comments sent to the author",
        comment_round=comment_round_open_get(review=door.review),
        report=door.own_report,
    ):
        return _to_overview(door)
    return _overview_page(request, door, comment_form=form)


def _confirm_page(request, door, template, form, **context):
    """A page naming what an action that cannot be undone will do, with its confirm button;
    409 when the confirmation was refused because what it named changed since."""
    context = {"review": door.review, "form": form, **context}
    return render(request, template, context, status=409 if is_conflict(form) else 200)


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def comments_close_view(request, reference):
    door = overview_door(request, reference, may=can_draft_overview)
    comment_round = comment_round_open_get(review=door.review)
    if comment_round is None:
        return _overview_page(request, door, errors=["There is no open round of comments"])
    form = ConfirmForm(_posted(request))
    if form_submit(request, form, comments_close, "Comments closed", review=door.review):
        return _to_overview(door)
    commented, waiting = comment_round_agencies(comment_round=comment_round)
    return _confirm_page(
        request,
        door,
        "reviews/overview/comments_close_confirm.html",
        form,
        comment_round=comment_round,
        commented=commented,
        waiting=waiting,
        overdue=comment_round.due_on < timezone.localdate(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def overview_finalise_view(request, reference):
    door = overview_door(request, reference, may=can_finalise_overview)
    review = door.review
    form = OverviewAgreementForm(
        _posted(request),
        initial={"version": overview_agreement_version(review=review)},
        review=review,
    )
    message = "Overview report agreed: the action plan starts"
    if form_submit(request, form, overview_finalise, message, review=review):
        return _to_overview(door)
    return _confirm_page(
        request,
        door,
        "reviews/overview/overview_finalise_confirm.html",
        form,
        draft=overview_draft_latest(review=review),
        open_round=comment_round_open_get(review=review),
        recommendations=recommendation_list(review=review, with_removed=False),
    )


@login_required
@require_GET
def overview_download_view(request, reference, number):
    door = overview_door(request, reference, action="download")
    draft = overview_draft_get(review=door.review, number=number, panel=door.panel)
    if draft is None:
        raise Http404("No such draft")
    return attachment_response(draft.file, draft.display_name, draft.content_type)
