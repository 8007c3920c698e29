"""URLs of closing a review, and of the board's action log (a fixed path: it comes before a
review's own ``<reference>/``)."""

from django.urls import path

from reviews.views import closing as views

urlpatterns = [
    path("action-log/", views.action_log_view, name="action_log"),
    path("<str:reference>/sign-off/", views.review_sign_off_view, name="sign_off"),
    path("<str:reference>/hand-over/", views.review_hand_over_view, name="hand_over"),
    path("<str:reference>/withdraw/", views.review_withdraw_view, name="withdraw"),
]
