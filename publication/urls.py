from django.urls import path

from publication import views

app_name = "publication"

urlpatterns = [
    path("", views.plan_detail_view, name="plan"),
    path("plan/", views.plan_edit_view, name="plan_edit"),
    path("notice/", views.notice_record_view, name="notice"),
    path("approve/", views.plan_approve_view, name="approve"),
]
