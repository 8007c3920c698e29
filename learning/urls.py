"""The board-wide pages of learning, at /learning/."""

from django.urls import path

from learning import library_views

app_name = "learning"

urlpatterns = [
    path("", library_views.library_view, name="library"),
    path("dissemination/", library_views.dissemination_log_view, name="dissemination"),
    path(
        "dissemination.csv",
        library_views.dissemination_export_view,
        name="dissemination_export",
    ),
]
