"""The board's written response to the review's report: read, drafted and corrected, recorded
agreed at a board meeting. Each look is in the access log; a worker's name is never sent to the
browser (it reads "[worker's name]")."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from publication.anonymise import mask_text
from publication.checks import response_hits, worker_names
from publication.forms import BoardResponseAgreeForm, BoardResponseForm
from publication.permissions import (
    can_agree_board_response,
    can_view_board_response,
    can_view_pseudonyms,
    can_write_board_response,
)
from publication.responses import (
    board_response_agree,
    board_response_save,
    response_writing_form,
)
from publication.selectors import board_response_get
from reviews.doors import review_door
from scr.forms import form_page
from scr.richtext import text_to_html
from scr.versions import version_of


def _door(request, reference, may=can_view_board_response):
    """The review's response, logged as a look at it: 404 outside the review, 403 for who may
    not read it or do ``may``."""
    return review_door(request, reference, may=may, kind="board_response")


def _response_url(review) -> str:
    return reverse("publication:response", args=[review.reference])


@login_required
@require_GET
def board_response_view(request, reference):
    review = _door(request, reference)
    response = board_response_get(review=review)
    context = {
        "review": review,
        "response": response,
        "can_write": can_write_board_response(request.user, review),
        "can_agree": can_agree_board_response(request.user, review),
    }
    if response is not None:
        workers = worker_names(review=review)
        # Escaped by text_to_html: the writing form's text, every character as typed.
        context["text_html"] = text_to_html(mask_text(response.text, workers))
        if can_view_pseudonyms(request.user, review):
            context["hits"] = response_hits(review, response.text)
    return render(request, "publication/response_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def board_response_write_view(request, reference):
    review = _door(request, reference, may=can_write_board_response)
    response = board_response_get(review=review)
    initial = {"version": version_of(response), "text": response_writing_form(response, review)}
    return form_page(
        request,
        BoardResponseForm(request.POST or None, initial=initial),
        board_response_save,
        message="The board's response is saved",
        success_url=_response_url(review),
        template="publication/response_form.html",
        context={"review": review, "response": response},
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_response_agree_view(request, reference):
    review = _door(request, reference, may=can_agree_board_response)
    response = board_response_get(review=review)
    workers = worker_names(review=review)
    return form_page(
        request,
        BoardResponseAgreeForm(request.POST or None, initial={"version": version_of(response)}),
        board_response_agree,
        message="The board's response is recorded agreed",
        success_url=_response_url(review),
        template="publication/response_agree.html",
        context={
            "review": review,
            "response": response,
            "text_html": text_to_html(mask_text(response.text, workers)) if response else "",
        },
        review=review,
    )
