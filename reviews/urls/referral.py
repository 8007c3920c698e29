"""URLs of stages 1 and 2: referral, notification, rapid review, decision."""

from django.urls import path

from reviews.views import referral as views

urlpatterns = [
    path("new/", views.referral_create_view, name="create"),
    path("<str:reference>/decision/", views.decision_record_view, name="decide"),
    path("<str:reference>/notification/", views.notification_record_view, name="notify"),
    path("<str:reference>/rapid-review/", views.rapid_review_record_view, name="rapid_review"),
]
