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
]
