"""URLs of stage 3: the panel, the author, terms of reference, meetings."""

from django.urls import path

from reviews.views import panel as views

urlpatterns = [
    path("<str:reference>/panel/", views.panel_detail_view, name="panel"),
    path("<str:reference>/panel/add/", views.panel_member_add_view, name="panel_add"),
    path(
        "<str:reference>/panel/<int:pk>/remove/",
        views.panel_member_remove_view,
        name="panel_remove",
    ),
    path("<str:reference>/author/", views.author_appoint_view, name="author"),
    path("<str:reference>/terms/", views.terms_edit_view, name="terms"),
    path("<str:reference>/meetings/new/", views.meeting_record_view, name="meeting_add"),
]
