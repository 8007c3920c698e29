"""URLs of stage 6: the action plan."""

from django.urls import path

from reviews.views import actions as views

urlpatterns = [
    path("<str:reference>/actions/", views.action_list_view, name="actions"),
    path("<str:reference>/actions/new/", views.action_create_view, name="action_add"),
    path(
        "<str:reference>/actions/agree/",
        views.action_plan_agree_view,
        name="action_plan_agree",
    ),
    path("<str:reference>/actions/<int:pk>/", views.action_detail_view, name="action"),
    path(
        "<str:reference>/actions/<int:pk>/progress/",
        views.action_progress_view,
        name="action_progress",
    ),
    path(
        "<str:reference>/actions/<int:pk>/target/",
        views.action_target_view,
        name="action_target",
    ),
]
