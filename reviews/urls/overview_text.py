"""URLs of stage 5: the overview report's text, version by version."""

from django.urls import path

from reviews.views import overview_text as views

urlpatterns = [
    path("<str:reference>/overview/text/", views.overview_versions_view, name="overview_versions"),
    path(
        "<str:reference>/overview/text/<int:number>/",
        views.overview_version_view,
        name="overview_version",
    ),
    path(
        "<str:reference>/overview/text/compare/",
        views.overview_compare_view,
        name="overview_compare",
    ),
    path("<str:reference>/overview/text/write/", views.overview_write_view, name="overview_write"),
    path(
        "<str:reference>/overview/text/import/",
        views.overview_import_view,
        name="overview_import",
    ),
    path(
        "<str:reference>/overview/text/import/upload/",
        views.overview_import_upload_view,
        name="overview_import_upload",
    ),
    path(
        "<str:reference>/overview/text/import/<int:number>/",
        views.overview_import_check_view,
        name="overview_import_check",
    ),
]
