"""URLs of the processes running beside a review."""

from django.urls import path

from reviews.views import parallel as views

urlpatterns = [
    path("<str:reference>/parallel/", views.parallel_list_view, name="parallel"),
    path("<str:reference>/parallel/new/", views.parallel_process_add_view, name="parallel_add"),
    path(
        "<str:reference>/parallel/<int:pk>/",
        views.parallel_process_view,
        name="parallel_process",
    ),
    path(
        "<str:reference>/parallel/<int:pk>/change/",
        views.parallel_process_change_view,
        name="parallel_change",
    ),
    path(
        "<str:reference>/parallel/<int:pk>/end/",
        views.parallel_process_end_view,
        name="parallel_end",
    ),
]
