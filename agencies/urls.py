from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("two-factor/set-up/", views.mfa_setup_view, name="mfa_setup"),
    path("two-factor/", views.mfa_verify_view, name="mfa_verify"),
    path("two-factor/recovery-code/", views.mfa_recovery_view, name="mfa_recovery"),
    path("sign-in/again/", views.reauthenticate_view, name="reauthenticate"),
    path("agencies/", views.agency_list_view, name="list"),
    path("agencies/new/", views.agency_create_view, name="create"),
    path("agencies/<int:pk>/", views.agency_update_view, name="update"),
    path("people/", views.person_list_view, name="people"),
    path("people/invite/", views.person_invite_view, name="invite"),
    path("people/<int:pk>/", views.person_update_view, name="person_update"),
    path("people/<int:pk>/deactivate/", views.person_deactivate_view, name="deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate_view, name="reactivate"),
    path(
        "people/<int:pk>/authenticator/reset/",
        views.authenticator_reset_view,
        name="authenticator_reset",
    ),
]
