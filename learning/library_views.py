"""The board-wide pages of learning: the lessons library every signed-in person searches (each
finding only what they may), and the log of where every review's learning was shared (the
board manager and the chair)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from learning.exports import dissemination_csv
from learning.forms import LibrarySearchForm
from learning.permissions import can_search_lessons, can_view_dissemination_log
from learning.selectors import dissemination_list, lesson_search, lesson_years

PER_PAGE = 20


@login_required
@require_GET
def library_view(request):
    if not can_search_lessons(request.user):
        raise PermissionDenied
    form = LibrarySearchForm(request.GET or None, years=lesson_years())
    chosen = form.cleaned_data if form.is_valid() else {}
    lessons = lesson_search(
        user=request.user,
        text=chosen.get("q") or "",
        theme=chosen.get("theme"),
        agency=chosen.get("agency"),
        framework=chosen.get("framework") or "",
        year=chosen.get("year"),
    )
    # The search as the form read it, for the pagination's links: nothing else of the address.
    searched = {
        "q": chosen.get("q") or "",
        "theme": chosen["theme"].pk if chosen.get("theme") else "",
        "agency": chosen["agency"].pk if chosen.get("agency") else "",
        "framework": chosen.get("framework") or "",
        "year": chosen.get("year") or "",
    }
    query = urlencode({key: value for key, value in searched.items() if value})
    context = {
        "form": form,
        "page": Paginator(lessons, PER_PAGE).get_page(request.GET.get("page")),
        "query": query,
        "filtered": bool(query),
    }
    return render(request, "learning/library.html", context)


@login_required
@require_GET
def dissemination_log_view(request):
    if not can_view_dissemination_log(request.user):
        raise PermissionDenied
    records = dissemination_list()
    context = {
        "page": Paginator(records, settings.REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    }
    return render(request, "learning/dissemination_log.html", context)


@login_required
@require_GET
def dissemination_export_view(request):
    if not can_view_dissemination_log(request.user):
        raise PermissionDenied
    response = HttpResponse(dissemination_csv(dissemination_list()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="learning-shared.csv"'
    return response
