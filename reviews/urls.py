from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list_view, name="list"),
    path("new/", views.referral_create_view, name="create"),
    path("<str:reference>/", views.review_detail_view, name="detail"),
    path("<str:reference>/decision/", views.decision_record_view, name="decide"),
]
