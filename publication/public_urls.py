"""The board's public site, at /publications/: no sign-in."""

from django.urls import path

from publication import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.public_list_view, name="list"),
    path("<int:pk>/", public_views.public_detail_view, name="detail"),
    path("<int:pk>/summary.pdf", public_views.public_pdf_view, {"part": "summary"}, name="pdf"),
    path(
        "<int:pk>/report.pdf", public_views.public_pdf_view, {"part": "report"}, name="report_pdf"
    ),
    path("accessibility/", public_views.public_accessibility_view, name="accessibility"),
]
