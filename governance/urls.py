"""A review's audit trail (under the review's address) and the board's retention pages."""

from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("reviews/<str:reference>/audit/", views.audit_trail_view, name="audit"),
    path("reviews/<str:reference>/audit/export/", views.audit_export_view, name="audit_export"),
    path("board/retention/", views.retention_list_view, name="retention"),
    path("board/retention/<str:reference>/keep/", views.retention_keep_view, name="keep"),
    path("board/retention/<str:reference>/destroy/", views.retention_purge_view, name="purge"),
    path("board/retention/destroyed/<str:reference>/", views.tombstone_view, name="tombstone"),
]
