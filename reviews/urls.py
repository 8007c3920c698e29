from django.urls import path

from reviews.views import actions, chronology, clock, interviews, overview, reports
from reviews.views import review as views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list_view, name="list"),
    path("new/", views.referral_create_view, name="create"),
    path("tasks/", clock.tasks_view, name="tasks"),
    path("notifications/", clock.notification_list_view, name="notifications"),
    path("deadlines/<int:pk>/", clock.deadline_change_view, name="deadline_change"),
    path("<str:reference>/", views.review_detail_view, name="detail"),
    path("<str:reference>/decision/", views.decision_record_view, name="decide"),
    path("<str:reference>/notification/", views.notification_record_view, name="notify"),
    path("<str:reference>/rapid-review/", views.rapid_review_record_view, name="rapid_review"),
    path("<str:reference>/clock/", clock.clock_view, name="clock"),
    path("<str:reference>/panel/", views.panel_detail_view, name="panel"),
    path("<str:reference>/panel/add/", views.panel_member_add_view, name="panel_add"),
    path(
        "<str:reference>/panel/<int:pk>/remove/",
        views.panel_member_remove_view,
        name="panel_remove",
    ),
    path("<str:reference>/author/", views.author_appoint_view, name="author"),
    path("<str:reference>/terms/", views.terms_edit_view, name="terms"),
    path("<str:reference>/meetings/new/", views.meeting_record_view, name="meeting_add"),
    path("<str:reference>/overview/", overview.overview_view, name="overview"),
    path("<str:reference>/overview/upload/", overview.overview_upload_view, name="overview_upload"),
    path(
        "<str:reference>/overview/drafts/<int:number>/",
        overview.overview_download_view,
        name="overview_download",
    ),
    path(
        "<str:reference>/overview/comments/request/",
        overview.comments_request_view,
        name="comments_request",
    ),
    path("<str:reference>/overview/comments/", overview.comment_add_view, name="comment_add"),
    path(
        "<str:reference>/overview/comments/close/",
        overview.comments_close_view,
        name="comments_close",
    ),
    path(
        "<str:reference>/overview/recommendations/",
        overview.recommendation_add_view,
        name="recommendation_add",
    ),
    path(
        "<str:reference>/overview/finalise/",
        overview.overview_finalise_view,
        name="overview_finalise",
    ),
    path("<str:reference>/actions/", actions.action_list_view, name="actions"),
    path("<str:reference>/actions/new/", actions.action_create_view, name="action_add"),
    path(
        "<str:reference>/actions/agree/",
        actions.action_plan_agree_view,
        name="action_plan_agree",
    ),
    path("<str:reference>/actions/<int:pk>/", actions.action_detail_view, name="action"),
    path(
        "<str:reference>/actions/<int:pk>/progress/",
        actions.action_progress_view,
        name="action_progress",
    ),
    path(
        "<str:reference>/actions/<int:pk>/target/",
        actions.action_target_view,
        name="action_target",
    ),
    path("<str:reference>/reports/request/", reports.reports_request_view, name="reports_request"),
    path("<str:reference>/reports/<int:pk>/", reports.report_detail_view, name="report"),
    path(
        "<str:reference>/reports/<int:pk>/records/",
        reports.report_records_view,
        name="report_records",
    ),
    path(
        "<str:reference>/reports/<int:pk>/upload/", reports.report_upload_view, name="report_upload"
    ),
    path(
        "<str:reference>/reports/<int:pk>/submit/", reports.report_submit_view, name="report_submit"
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/",
        chronology.chronology_view,
        name="chronology",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/add/",
        chronology.chronology_entry_view,
        name="chronology_add",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/<int:entry_pk>/",
        chronology.chronology_entry_view,
        name="chronology_edit",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/<int:entry_pk>/delete/",
        chronology.chronology_entry_delete_view,
        name="chronology_delete",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/import/",
        chronology.chronology_import_view,
        name="chronology_import",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/import/<int:batch_pk>/",
        chronology.chronology_preview_view,
        name="chronology_preview",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/import/<int:batch_pk>/undo/",
        chronology.chronology_undo_view,
        name="chronology_undo",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology.csv",
        chronology.chronology_export_view,
        name="chronology_export",
    ),
    path(
        "<str:reference>/reports/<int:pk>/interviews/",
        interviews.interview_list_view,
        name="interviews",
    ),
    path(
        "<str:reference>/reports/<int:pk>/interviews/add/",
        interviews.interview_add_view,
        name="interview_add",
    ),
    path(
        "<str:reference>/reports/<int:pk>/interviews/<int:interview_pk>/",
        interviews.interview_detail_view,
        name="interview",
    ),
    path(
        "<str:reference>/reports/<int:pk>/interviews/<int:interview_pk>/<str:step>/",
        interviews.interview_update_view,
        name="interview_update",
    ),
    path(
        "<str:reference>/reports/<int:pk>/<str:decision>/",
        reports.report_decide_view,
        name="report_decide",
    ),
    path(
        "<str:reference>/reports/<int:pk>/versions/<int:number>/",
        reports.report_download_view,
        name="report_download",
    ),
]
