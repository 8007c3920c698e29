from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from agencies import views as agency_views
from scr import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=views.SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("session/extend/", agency_views.session_extend_view, name="session_extend"),
    path("healthz", views.healthz_view, name="healthz"),
    path("accessibility/", views.accessibility_view, name="accessibility"),
    path("favicon.ico", views.favicon_view, name="favicon"),
    path("robots.txt", views.robots_txt_view, name="robots_txt"),
    path("publications/", include("publication.public_urls")),
    path("publications/", include("learning.public_urls")),
    path("board/", include("publication.internal_urls")),
    path("", include("learning.urls")),
    path(
        "set-password/<uidb64>/<token>/",
        agency_views.PasswordSetView.as_view(),
        name="password_set",
    ),
    path("password-reset/", agency_views.password_reset_view, name="password_reset"),
    path("password-reset/sent/", agency_views.password_reset_sent_view, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        agency_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("quality.urls")),
    path("", include("governance.urls")),
    path("reviews/<str:reference>/publication/", include("publication.urls")),
    path("reviews/<str:reference>/family/", include("families.urls")),
    path("reviews/<str:reference>/lessons/", include("learning.review_urls")),
    path("reviews/", include("reviews.urls")),
    path("", include("agencies.urls")),
    path("", include("outbox.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "scr.views.page_not_found"
