from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("emails/", views.email_list_view, name="list"),
    path("emails/<int:pk>/send-again/", views.email_resend_view, name="resend"),
]
