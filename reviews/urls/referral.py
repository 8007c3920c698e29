"""URLs of stages 1 and 2: referral, notification, rapid review, decision."""

from django.urls import path

from reviews.views import referral as views

urlpatterns = [
    path("new/", views.referral_create_view, name="create"),
    path("new/<uuid:draft>/family/", views.referral_family_view, name="referral_family"),
    path(
        "new/<uuid:draft>/family/add/", views.referral_person_add_view, name="referral_person_add"
    ),
    path(
        "new/<uuid:draft>/family/<str:person>/remove/",
        views.referral_person_remove_view,
        name="referral_person_remove",
    ),
    path("new/<uuid:draft>/check/", views.referral_check_view, name="referral_check"),
    path("new/<uuid:draft>/<slug:part>/", views.referral_part_view, name="referral_part"),
    path("<str:reference>/decision/", views.decision_record_view, name="decide"),
    path("<str:reference>/notification/", views.notification_record_view, name="notify"),
    path("<str:reference>/rapid-review/", views.rapid_review_record_view, name="rapid_review"),
]
