"""URLs of stage 4: interviews with workers."""

from django.urls import path

from reviews.views import interviews as views

urlpatterns = [
    path(
        "<str:reference>/reports/<int:pk>/interviews/",
        views.interview_list_view,
        name="interviews",
    ),
    path(
        "<str:reference>/reports/<int:pk>/interviews/add/",
        views.interview_add_view,
        name="interview_add",
    ),
    path(
        "<str:reference>/reports/<int:pk>/interviews/<int:interview_pk>/",
        views.interview_detail_view,
        name="interview",
    ),
    path(
        "<str:reference>/reports/<int:pk>/interviews/<int:interview_pk>/<str:step>/",
        views.interview_update_view,
        name="interview_update",
    ),
]
