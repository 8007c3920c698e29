"""A review's quality markers (board manager and chair), the board manager's answer to one, the
page as a PDF for the board, and the board's view of the markers across its reviews, with the
board manager's request to count them again."""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quality.forms import AnswerForm
from quality.markers import GROUPS, MARKERS_BY_KEY, STATUS_TAGS, MarkerResult
from quality.models import Status
from quality.permissions import (
    can_answer_quality_markers,
    can_count_quality_markers,
    can_view_quality_markers,
)
from quality.selectors import (
    BOARD_NAMED,
    quality_answer_history,
    quality_board_tally,
    quality_results,
)
from quality.services import quality_answer_save
from quality.tasks import quality_count_task
from reviews.doors import review_door
from scr.forms import form_page
from scr.pdf import render_pdf

# The marking of a review's quality report: internal, as the review's own papers are.
MARKING = "OFFICIAL-SENSITIVE"


def _page(review, results: list[MarkerResult]) -> dict:
    """What the page and its PDF show: the summary count and the markers by stage."""
    counts = Counter(result.status for result in results)
    return {
        "review": review,
        "summary": [
            (label, counts[status], STATUS_TAGS[status]) for status, label in Status.choices
        ],
        "groups": [
            (title, [r for r in results if r.marker.group == group])
            for group, title in GROUPS.items()
        ],
    }


@login_required
@require_GET
def review_quality_view(request, reference):
    review = review_door(request, reference, may=can_view_quality_markers, kind="quality")
    context = _page(review, quality_results(review=review))
    context["can_answer"] = can_answer_quality_markers(request.user, review)
    return render(request, "quality/review_quality.html", context)


@login_required
@require_GET
def review_quality_pdf_view(request, reference):
    review = review_door(request, reference, may=can_view_quality_markers, kind="quality")
    context = _page(review, quality_results(review=review))
    context.update(
        title="Quality markers",
        reference=review.reference,
        review_kind=review.type_profile.label,
        marking=MARKING,
        dated=timezone.localdate(),
        board_name=settings.SCR_BOARD_NAME,
    )
    response = HttpResponse(render_pdf("quality/review_quality_pdf.html", context))
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = f'attachment; filename="{review.reference}-quality.pdf"'
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def quality_answer_view(request, reference, marker):
    review = review_door(request, reference, may=can_answer_quality_markers, kind="quality")
    found = MARKERS_BY_KEY.get(marker)
    if found is None:
        raise Http404("No such quality marker")
    back = reverse("quality:review", args=[review.reference]) + f"#{found.key}"
    current = next(r for r in quality_results(review=review) if r.marker.key == found.key)
    initial = {"status": current.status, "note": current.answer.note if current.answer else ""}
    return form_page(
        request,
        AnswerForm(request.POST if request.method == "POST" else None, initial=initial),
        quality_answer_save,
        message=f"Your answer to {found.title.lower()} is recorded",
        success_url=back,
        template="quality/answer_form.html",
        context={
            "review": review,
            "result": current,
            "history": quality_answer_history(review=review, marker=found.key),
            "back": back,
        },
        review=review,
        marker=found.key,
    )


@login_required
@require_GET
def board_quality_view(request):
    if not can_view_quality_markers(request.user):
        raise PermissionDenied
    board = quality_board_tally()
    context = {
        "tallies": board.tallies,
        "counted_at": board.counted_at,
        "statuses": [(label, STATUS_TAGS[status]) for status, label in Status.choices],
        "named": BOARD_NAMED,
        "can_count": can_count_quality_markers(request.user),
    }
    return render(request, "quality/board_quality.html", context)


@login_required
@require_POST
def board_quality_count_view(request):
    if not can_count_quality_markers(request.user):
        raise PermissionDenied
    quality_count_task.delay_on_commit()
    messages.success(
        request,
        "Counting the quality markers again. The page says when its figures were counted: if "
        "the time has not changed, reload it in a minute or two",
    )
    return redirect("quality:board")
