from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("", views.family_list_view, name="list"),
    path("new/", views.family_member_add_view, name="add"),
    path("from-referral/", views.family_members_seed_view, name="seed"),
    path("<int:pk>/", views.family_member_view, name="member"),
    path("<int:pk>/change/", views.family_member_change_view, name="change"),
    path("<int:pk>/declines/", views.family_member_declines_view, name="declines"),
    path(
        "<int:pk>/letters/invitation.pdf",
        views.family_letter_invitation_view,
        name="letter_invitation",
    ),
    path("<int:pk>/letters/notice/", views.family_letter_notice_view, name="letter_notice"),
    path("<int:pk>/contacts/<slug:kind>/", views.family_contact_add_view, name="contact_add"),
    path("<int:pk>/meetings/new/", views.family_meeting_offer_view, name="meeting_offer"),
    path(
        "<int:pk>/meetings/<int:meeting_pk>/<slug:step>/",
        views.family_meeting_update_view,
        name="meeting_update",
    ),
    path("<int:pk>/views/", views.family_views_view, name="views"),
]
