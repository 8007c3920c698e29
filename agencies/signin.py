"""How a person proves who they are: the sign-in's client address and account name for the
lockout, password rules, reset tokens, two-factor checks and recent re-authentication."""

import ipaddress
import math
import re
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import (
    PasswordResetTokenGenerator as BasePasswordResetTokenGenerator,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import base36_to_int, url_has_allowed_host_and_scheme
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with SCR_TRUSTED_PROXIES = n, the address the
    n-th proxy from us saw, read from the right of X-Forwarded-For (entries to its left are
    whatever the client chose to send, so they are never trusted)."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.SCR_TRUSTED_PROXIES
    if hops <= 0:
        return _valid_address(remote) or remote or None
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    chain = [*forwarded, remote]
    candidate = chain[-(hops + 1)] if len(chain) > hops else chain[0]
    return _valid_address(candidate) or _valid_address(remote) or remote or None


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account name a sign-in attempt was for, as the lockout records it: the form posts
    ``username`` (the email address), compared in lower case like the sign-in itself."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return value.strip().lower() or None


class RepetitivePasswordValidator:
    """Refuse passwords of very few distinct characters or one short pattern repeated
    (``aaaaaaaaaaaa``, ``abcabcabcabc``): long, but guessed at once."""

    def __init__(self, min_distinct: int = 5):
        self.min_distinct = min_distinct

    def validate(self, password: str, user=None) -> None:
        if len(set(password.lower())) < self.min_distinct or _is_repeated(password):
            raise ValidationError(
                "Your password repeats the same few characters: choose one that is harder to "
                "guess, such as three or four random words",
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return (
            f"Your password must use at least {self.min_distinct} different characters and "
            "must not be one pattern repeated."
        )


def _is_repeated(password: str) -> bool:
    """True when the password is one shorter string repeated, e.g. ``abab`` or ``xyzxyzxyz``."""
    return bool(password) and re.fullmatch(r"(.+?)\1+", password, flags=re.DOTALL) is not None


class PasswordResetTokenGenerator(BasePasswordResetTokenGenerator):
    """Self-service reset links: their own salt, so an invitation link is not a reset link
    (nor the reverse), and valid for SCR_PASSWORD_RESET_SECONDS (an hour) rather than the
    invitation's PASSWORD_RESET_TIMEOUT. Like every Django reset token, it works once: it
    hashes the password and the last sign-in, which the reset changes."""

    key_salt = "agencies.signin.PasswordResetTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not super().check_token(user, token):
            return False
        try:
            issued = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - issued <= settings.SCR_PASSWORD_RESET_SECONDS


password_reset_token_generator = PasswordResetTokenGenerator()


# What the session records about how its person proved who they are.
SECOND_FACTOR_GIVEN = "scr_second_factor"
AUTHENTICATED_AT = "scr_authenticated_at"
SIGNED_IN_AT = "scr_signed_in_at"
LAST_SEEN = "scr_last_seen"
# The last request is written to the session at most this often, not on every request.
_LAST_SEEN_GRANULARITY = 60


def open_to_anyone(view):
    """Mark a view whose page anyone may see and that shows nothing of the service (the
    board's public site): no sign-in needed, and a person midway through signing in (a
    password given, the second factor not yet) reaches it too."""
    view = login_not_required(view)
    view.open_to_anyone = True
    return view


def second_factor_required(user) -> bool:
    """True if the person must give a code after their password: they have set up an app, or
    their role requires one."""
    return has_authenticator(user) or role_requires_second_factor(user)


def role_requires_second_factor(user) -> bool:
    """True if the person holds a role in SCR_MFA_REQUIRED_ROLES (superusers too, unless that
    list is empty): they must set up an app, and cannot sign in without one."""
    roles = settings.SCR_MFA_REQUIRED_ROLES
    return bool(roles) and (user.is_superuser or user.groups.filter(name__in=roles).exists())


def has_authenticator(user) -> bool:
    """True if the person has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


_RECOVERY_CODE_SALT = "agencies.signin.recovery_code"


def recovery_code_digest(code: str, *, secret: str | None = None) -> str:
    """What is stored of a recovery code (django-otp's StaticToken, 16 characters): a digest
    keyed with SECRET_KEY, or ``secret``. The codes are short, so an unkeyed hash of one could
    be guessed from a copy of the database."""
    digest = salted_hmac(_RECOVERY_CODE_SALT, code, secret=secret, algorithm="sha256")
    return digest.hexdigest()[:16]


def second_factor_device(user, *, recovery: bool = False) -> Device | None:
    """The person's confirmed authenticator app, or with ``recovery`` their recovery codes.
    Each page checks its own kind: a code tried on the wrong kind would count as a mistake
    there and make that kind's next code wait."""
    model = StaticDevice if recovery else TOTPDevice
    return model.objects.filter(user=user, confirmed=True).first()


def code_wait_seconds(device: Device) -> int:
    """Seconds before ``device`` takes another code, after wrong ones (each mistake doubles
    the wait: django-otp's throttling); 0 when a code may be tried now."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


def authenticated_now(request: HttpRequest) -> None:
    """Record that the person has just given their password or a code."""
    request.session[AUTHENTICATED_AT] = time.time()


def second_factor_given(request: HttpRequest) -> None:
    """Record that the person has given their second factor, under a new session key."""
    request.session.cycle_key()
    request.session[SECOND_FACTOR_GIVEN] = True
    authenticated_now(request)


def safe_next(request: HttpRequest, default: str = "/") -> str:
    """The ``next`` parameter if it is a path on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default


def recently_authenticated(request: HttpRequest) -> bool:
    """True if the person gave their password or a code within SCR_REAUTHENTICATE_AFTER."""
    given = request.session.get(AUTHENTICATED_AT, 0)
    return time.time() - given <= settings.SCR_REAUTHENTICATE_AFTER.total_seconds()


def reauthentication_required(return_to: str | None = None):
    """Ask for the password again before the view runs when it was last given too long ago.

    A GET comes back to itself afterwards; a POST cannot be replayed, so it comes back to the
    page named ``return_to`` (reversed with the view's own arguments), where the person presses
    the button again.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if recently_authenticated(request):
                return view(request, *args, **kwargs)
            if request.method == "GET" or return_to is None:
                back = request.get_full_path() if request.method == "GET" else "/"
            else:
                back = reverse(return_to, args=args, kwargs=kwargs)
            return redirect(f"{reverse('agencies:reauthenticate')}?{urlencode({'next': back})}")

        return wrapped

    return decorator


def record_sign_in(sender, request, user, **kwargs) -> None:
    """On every sign-in (``user_logged_in``): the password was given, and the session began,
    just now."""
    if request is not None and hasattr(request, "session"):
        authenticated_now(request)
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = time.time()


def session_expired(request: HttpRequest) -> bool:
    """True if the session has been idle longer than SCR_IDLE_SECONDS, or has lasted longer
    than SESSION_COOKIE_AGE (the cookie's own expiry moves on each time the session is saved,
    so the absolute limit is kept here)."""
    now = time.time()
    last_seen = request.session.get(LAST_SEEN, now)
    signed_in = request.session.get(SIGNED_IN_AT, now)
    return (
        now - last_seen > settings.SCR_IDLE_SECONDS or now - signed_in > settings.SESSION_COOKIE_AGE
    )


def session_seen(request: HttpRequest, *, extend: bool = False) -> int:
    """Note a request (written at most once a minute, or at once to ``extend``); returns the
    seconds left before the session ends for idleness."""
    now = time.time()
    request.session.setdefault(SIGNED_IN_AT, now)  # a session from before this was recorded
    last_seen = request.session.get(LAST_SEEN, 0)
    if extend or now - last_seen >= _LAST_SEEN_GRANULARITY:
        request.session[LAST_SEEN] = last_seen = now
    return max(0, round(settings.SCR_IDLE_SECONDS - (now - last_seen)))
