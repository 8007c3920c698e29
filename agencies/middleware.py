"""Requests of signed-in people: signed out when idle too long, and nothing but the
second-factor pages until they give it."""

from urllib.parse import urlencode

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from agencies.permissions import object_permissions_shared
from agencies.signin import (
    SECOND_FACTOR_GIVEN,
    has_authenticator,
    second_factor_required,
    session_expired,
    session_seen,
)

# The pages a person signed in with a password alone may reach.
_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "agencies:mfa_setup",
    "agencies:mfa_verify",
    "agencies:mfa_recovery",
    "healthz",
    "accessibility",
    "favicon",
    "password_reset",
    "password_reset_sent",
    "password_reset_confirm",
    "password_set",
}


class SecondFactorMiddleware:
    """Send a person who signed in with a password, and must give a second factor, to set up
    an authenticator app (if they have none) or to give a code, whatever page they asked for.

    Only the set-up, verify and recovery-code views mark a session as having given it, so no
    page, admin sign-in or URL typed by hand gets round it. Views marked
    ``open_to_anyone`` (the public site) show nothing of the service, and are let through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.session.get(SECOND_FACTOR_GIVEN):
            return None
        if request.resolver_match.view_name in _BEFORE_SECOND_FACTOR:
            return None
        # Pages open to anyone (the board's public site) are open to them too.
        if getattr(view_func, "open_to_anyone", False):
            return None
        if not second_factor_required(user):
            return None
        page = "agencies:mfa_verify" if has_authenticator(user) else "agencies:mfa_setup"
        if request.method != "GET":
            return redirect(page)
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")


class IdleTimeoutMiddleware:
    """End a session idle longer than SCR_IDLE_SECONDS (or older than SESSION_COOKIE_AGE) and
    send the person to sign in again, with the reason; otherwise note the request, and tell
    the page (``request.session_expires_in``) how long is left, for the warning dialog."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if session_expired(request):
                logout(request)
                query = {"timed_out": "1"}
                if request.method == "GET":
                    query["next"] = request.get_full_path()
                return redirect(f"{reverse('login')}?{urlencode(query)}")
            request.session_expires_in = session_seen(request)
        return self.get_response(request)


class ObjectPermissionsMiddleware:
    """Run each request with one guardian checker per person, shared by every predicate the
    view, its templates and the context processors ask (``agencies.permissions``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with object_permissions_shared():
            return self.get_response(request)
