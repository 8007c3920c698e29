"""URLs of stage 4: management reports."""

from django.urls import path

from reviews.views import reports as views

urlpatterns = [
    path("<str:reference>/reports/request/", views.reports_request_view, name="reports_request"),
    path("<str:reference>/reports/<int:pk>/", views.report_detail_view, name="report"),
    path(
        "<str:reference>/reports/<int:pk>/records/",
        views.report_records_view,
        name="report_records",
    ),
    path(
        "<str:reference>/reports/<int:pk>/upload/", views.report_upload_view, name="report_upload"
    ),
    path(
        "<str:reference>/reports/<int:pk>/submit/", views.report_submit_view, name="report_submit"
    ),
    path(
        "<str:reference>/reports/<int:pk>/<str:decision>/",
        views.report_decide_view,
        name="report_decide",
    ),
    path(
        "<str:reference>/reports/<int:pk>/versions/<int:number>/",
        views.report_download_view,
        name="report_download",
    ),
]
