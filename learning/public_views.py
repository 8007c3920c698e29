"""A learning brief published with its report on the board's public site: no sign-in, nothing
of the review but what the brief says and the report's reference. 404 unless the brief is
approved for the public and its report was published; 410 once the report is removed (as
publication/public_views.py answers for the report)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.signin import open_to_anyone
from learning.briefs import brief_pdf_response
from learning.selectors import public_brief_get


def _found(request, pk):
    found = public_brief_get(publication_pk=pk)
    if found is None:
        raise Http404("No such learning brief")
    return found


@open_to_anyone
@require_GET
def public_brief_view(request, pk):
    found = _found(request, pk)
    if found.brief is None:
        return render(request, "public/publication_removed.html", status=410)
    context = {"publication": found.publication, "brief": found.brief}
    return render(request, "learning/public_brief.html", context)


@open_to_anyone
@require_GET
def public_brief_pdf_view(request, pk):
    found = _found(request, pk)
    if found.brief is None:
        return render(request, "public/publication_removed.html", status=410)
    return brief_pdf_response(found.brief, internal=False)
