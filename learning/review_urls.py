"""A review's lessons, learning brief and dissemination log, at /reviews/<reference>/lessons/."""

from django.urls import path

from learning import views

app_name = "lessons"

urlpatterns = [
    path("", views.lesson_list_view, name="list"),
    path("new/", views.lesson_add_view, name="add"),
    path("<int:pk>/change/", views.lesson_change_view, name="change"),
    path("recommendations/<int:number>/", views.recommendation_tag_view, name="recommendation"),
    path("brief/", views.brief_view, name="brief"),
    path("brief/draft/", views.brief_draft_view, name="brief_draft"),
    path("brief/change/", views.brief_edit_view, name="brief_edit"),
    path("brief/approve/", views.brief_approve_view, name="brief_approve"),
    path("brief/brief.pdf", views.brief_pdf_view, name="brief_pdf"),
    path("dissemination/", views.dissemination_list_view, name="dissemination"),
    path("dissemination/new/", views.dissemination_add_view, name="dissemination_add"),
]
