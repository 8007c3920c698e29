from django.urls import path

from publication import document_views, pack_views, views

app_name = "publication"

urlpatterns = [
    path("", views.plan_detail_view, name="plan"),
    path("plan/", views.plan_edit_view, name="plan_edit"),
    path("notice/", views.notice_record_view, name="notice"),
    path("approve/", views.plan_approve_view, name="approve"),
    path("pseudonyms/", views.pseudonym_list_view, name="pseudonyms"),
    path("pseudonyms/new/", views.pseudonym_add_view, name="pseudonym_add"),
    path("pseudonyms/fill/", views.pseudonyms_fill_view, name="pseudonyms_fill"),
    path("pseudonyms/check/", views.identifier_check_view, name="identifier_check"),
    path("pseudonyms/<int:pk>/change/", views.pseudonym_change_view, name="pseudonym_change"),
    path("pseudonyms/<int:pk>/remove/", views.pseudonym_remove_view, name="pseudonym_remove"),
    path("documents/<slug:kind>/", document_views.document_view, name="document"),
    path(
        "documents/report/<int:number>/<slug:kind>/",
        document_views.document_view,
        name="report_document",
    ),
    path(
        "documents/<slug:kind>/<int:pk>/download/",
        document_views.document_download_view,
        name="document_download",
    ),
    path("pack/", pack_views.pack_view, name="pack"),
    path("pack/<int:pk>/download/", pack_views.pack_download_view, name="pack_download"),
]
