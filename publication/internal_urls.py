"""The board's pages of the public site (board manager and chair), at /board/."""

from django.urls import path

from publication import internal_views

app_name = "publications"

urlpatterns = [
    path("publications/", internal_views.publication_list_view, name="list"),
    path("themes/", internal_views.theme_list_view, name="themes"),
    path("themes/new/", internal_views.theme_add_view, name="theme_add"),
    path("themes/<int:pk>/rename/", internal_views.theme_rename_view, name="theme_rename"),
]
