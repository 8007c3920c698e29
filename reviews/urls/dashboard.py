"""URL of the board's dashboard."""

from django.urls import path

from reviews.views import dashboard as views

urlpatterns = [
    path("dashboard/", views.dashboard_view, name="dashboard"),
]
