"""URLs of the list of reviews, its export and a review's page."""

from django.urls import path

from reviews.views import review as views

urlpatterns = [
    path("", views.review_list_view, name="list"),
    path("export/", views.review_export_view, name="export"),
    path("<str:reference>/", views.review_detail_view, name="detail"),
]
