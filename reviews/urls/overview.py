"""URLs of stage 5: the overview report."""

from django.urls import path

from reviews.views import overview as views

urlpatterns = [
    path("<str:reference>/overview/", views.overview_view, name="overview"),
    path("<str:reference>/overview/upload/", views.overview_upload_view, name="overview_upload"),
    path(
        "<str:reference>/overview/drafts/<int:number>/",
        views.overview_download_view,
        name="overview_download",
    ),
    path(
        "<str:reference>/overview/comments/request/",
        views.comments_request_view,
        name="comments_request",
    ),
    path("<str:reference>/overview/comments/", views.comment_add_view, name="comment_add"),
    path(
        "<str:reference>/overview/comments/close/",
        views.comments_close_view,
        name="comments_close",
    ),
    path(
        "<str:reference>/overview/recommendations/",
        views.recommendation_add_view,
        name="recommendation_add",
    ),
    path(
        "<str:reference>/overview/recommendations/<int:number>/",
        views.recommendation_correct_view,
        name="recommendation_correct",
    ),
    path(
        "<str:reference>/overview/recommendations/<int:number>/remove/",
        views.recommendation_remove_view,
        name="recommendation_remove",
    ),
    path(
        "<str:reference>/overview/finalise/",
        views.overview_finalise_view,
        name="overview_finalise",
    ),
]
