"""The learning app's pages, at /board/: the board's statistics."""

from django.urls import path

from learning import statistics_views

app_name = "learning"

urlpatterns = [
    path("statistics/", statistics_views.statistics_view, name="statistics"),
    path("statistics/pdf/", statistics_views.statistics_pdf_view, name="statistics_pdf"),
    path("statistics/csv/", statistics_views.statistics_csv_view, name="statistics_csv"),
]
