"""URLs of deadlines, "My tasks", notifications and the review's clock."""

from django.urls import path

from reviews.views import clock as views

urlpatterns = [
    path("tasks/", views.tasks_view, name="tasks"),
    path("notifications/", views.notification_list_view, name="notifications"),
    path("deadlines/<int:pk>/", views.deadline_change_view, name="deadline_change"),
    path("<str:reference>/clock/", views.clock_view, name="clock"),
]
