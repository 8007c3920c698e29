"""The board's statistics (board manager and chair): the page, with the board's own view or
the view shared outside the board, and the PDF and CSV, which are always shared so always
suppressed."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from learning.permissions import can_view_statistics
from learning.statistics import (
    APRIL,
    SUPPRESSION_RULE,
    Statistics,
    current_year,
    period_for,
    statistics_for,
)
from learning.statistics_forms import StatisticsForm
from learning.statistics_output import chart_of, statistics_csv, statistics_pdf


def _chosen(request, *, shared: bool | None = None) -> tuple[StatisticsForm, Statistics | None]:
    """The form from the address and, when it is valid, the statistics it asks for (shared
    when ``shared`` says so, else as the form chose). Refuses anyone but the board (403)."""
    if not can_view_statistics(request.user):
        raise PermissionDenied
    form = StatisticsForm(request.GET, year=current_year(basis=request.GET.get("basis", APRIL)))
    if not form.is_valid():
        return form, None
    period = period_for(year=form.cleaned_data["year"], basis=form.cleaned_data["basis"])
    if shared is None:
        shared = form.cleaned_data["view"] == "shared"
    return form, statistics_for(period=period, shared=shared)


def _filename(statistics: Statistics, extension: str) -> str:
    period = statistics.period
    return f"statistics-{period.year}-{period.basis}.{extension}"


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def statistics_view(request):
    form, statistics = _chosen(request)
    charted = [
        (section, [(table, chart_of(table)) for table in section.tables])
        for section in (statistics.sections if statistics else [])
    ]
    context = {
        "form": form,
        "statistics": statistics,
        "charted": charted,
        "rule": SUPPRESSION_RULE,
        "query": request.GET.urlencode(),
    }
    return render(request, "learning/statistics.html", context)


@login_required
@require_GET
def statistics_pdf_view(request):
    form, statistics = _chosen(request, shared=True)
    if statistics is None:
        return render(request, "learning/statistics.html", {"form": form}, status=400)
    pdf = statistics_pdf(statistics)
    return _attachment(pdf, "application/pdf", _filename(statistics, "pdf"))


@login_required
@require_GET
def statistics_csv_view(request):
    form, statistics = _chosen(request, shared=True)
    if statistics is None:
        return render(request, "learning/statistics.html", {"form": form}, status=400)
    csv = statistics_csv(statistics)
    return _attachment(csv, "text/csv; charset=utf-8", _filename(statistics, "csv"))
