"""URLs of stage 5: passages sent to workers interviewed, and their comments."""

from django.urls import path

from reviews.views import practitioners as views

urlpatterns = [
    path(
        "<str:reference>/overview/practitioners/",
        views.practitioner_comment_list_view,
        name="practitioner_comments",
    ),
    path(
        "<str:reference>/overview/practitioners/send/",
        views.practitioner_worker_choose_view,
        name="practitioner_worker_choose",
    ),
    path(
        "<str:reference>/overview/practitioners/send/<int:interview_pk>/",
        views.practitioner_comment_send_view,
        name="practitioner_comment_send",
    ),
    path(
        "<str:reference>/overview/practitioners/<int:pk>/",
        views.practitioner_comment_view,
        name="practitioner_comment",
    ),
    path(
        "<str:reference>/overview/practitioners/<int:pk>/record/",
        views.practitioner_comment_record_view,
        name="practitioner_comment_record",
    ),
    path(
        "<str:reference>/overview/practitioners/<int:pk>/no-comments/",
        views.practitioner_comment_lapse_view,
        name="practitioner_comment_lapse",
    ),
]
