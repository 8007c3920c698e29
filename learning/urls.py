"""The board-wide pages of learning: the lessons library and the log of where learning was
shared, at /learning/; the board's statistics, at /board/statistics/."""

from django.urls import path

from learning import library_views, statistics_views

app_name = "learning"

urlpatterns = [
    path("board/statistics/", statistics_views.statistics_view, name="statistics"),
    path("board/statistics/pdf/", statistics_views.statistics_pdf_view, name="statistics_pdf"),
    path("board/statistics/csv/", statistics_views.statistics_csv_view, name="statistics_csv"),
    path("learning/", library_views.library_view, name="library"),
    path("learning/dissemination/", library_views.dissemination_log_view, name="dissemination"),
    path(
        "learning/dissemination.csv",
        library_views.dissemination_export_view,
        name="dissemination_export",
    ),
]
