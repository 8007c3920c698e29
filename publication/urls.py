from django.urls import path

from publication import (
    document_views,
    internal_views,
    pack_views,
    response_views,
    version_views,
    views,
)

app_name = "publication"

urlpatterns = [
    path("", views.plan_detail_view, name="plan"),
    path("plan/", views.plan_edit_view, name="plan_edit"),
    path("notice/", views.notice_record_view, name="notice"),
    path("approve/", views.plan_approve_view, name="approve"),
    path("version/", version_views.version_detail_view, name="version"),
    path("version/new/", version_views.version_make_view, name="version_make"),
    path("version/correct/", version_views.version_edit_view, name="version_edit"),
    path(
        "version/<int:number>/hits/<slug:key>/",
        version_views.hit_resolve_view,
        name="hit_resolve",
    ),
    path("publish/", version_views.publish_view, name="publish"),
    path("pseudonyms/", views.pseudonym_list_view, name="pseudonyms"),
    path("pseudonyms/new/", views.pseudonym_add_view, name="pseudonym_add"),
    path("pseudonyms/fill/", views.pseudonyms_fill_view, name="pseudonyms_fill"),
    path("pseudonyms/check/", views.identifier_check_view, name="identifier_check"),
    path("pseudonyms/<int:pk>/change/", views.pseudonym_change_view, name="pseudonym_change"),
    path("pseudonyms/<int:pk>/remove/", views.pseudonym_remove_view, name="pseudonym_remove"),
    path("published/<int:pk>/", internal_views.published_detail_view, name="published"),
    path(
        "published/<int:pk>/themes/",
        internal_views.published_themes_view,
        name="published_themes",
    ),
    path(
        "published/<int:pk>/remove/",
        internal_views.published_remove_view,
        name="published_remove",
    ),
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
    path("response/", response_views.board_response_view, name="response"),
    path("response/write/", response_views.board_response_write_view, name="response_write"),
    path("response/agree/", response_views.board_response_agree_view, name="response_agree"),
    path("pack/", pack_views.pack_view, name="pack"),
    path("pack/<int:pk>/download/", pack_views.pack_download_view, name="pack_download"),
]
