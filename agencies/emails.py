"""What the people app emails, and to whom: the outbox's renderers for its kinds, registered in
AgenciesConfig.ready(). They run when the email is sent, never inside a request."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agencies.models import User
from agencies.signin import password_reset_token_generator, role_requires_second_factor
from outbox.kinds import subject_line

INVITATION = "agencies.invitation"
PASSWORD_RESET = "agencies.password_reset"
AUTHENTICATOR_RESET = "agencies.authenticator_reset"


def invitation_message(person: User, context: dict[str, Any]) -> EmailMultiAlternatives | None:
    """The invitation: a one-time link to set a password, made now (the row keeps no token);
    None if the person has left or has set a password already."""
    if not person.is_active or person.has_usable_password():
        return None
    link = settings.SCR_SITE_URL.rstrip("/") + reverse(
        "password_set",
        args=[
            urlsafe_base64_encode(force_bytes(person.pk)),
            default_token_generator.make_token(person),
        ],
    )
    context = {
        "person": person,
        "link": link,
        "board_name": settings.SCR_BOARD_NAME,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    message = EmailMultiAlternatives(
        subject=subject_line(f"Your account for SCR manager, {settings.SCR_BOARD_NAME}"),
        body=render_to_string("emails/invitation.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    return message


def password_reset_message(person: User, context: dict[str, Any]) -> EmailMultiAlternatives | None:
    """A link to choose a new password, made now (the row keeps no token): it works once, for
    SCR_PASSWORD_RESET_SECONDS. None if the person has left, has no password yet (their
    invitation sets one), or asked longer ago than that (they will have asked again)."""
    asked_at = datetime.fromisoformat(context["asked_at"])
    if timezone.now() - asked_at > timedelta(seconds=settings.SCR_PASSWORD_RESET_SECONDS):
        return None
    if not person.is_active or not person.has_usable_password():
        return None
    link = settings.SCR_SITE_URL.rstrip("/") + reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(person.pk)),
            password_reset_token_generator.make_token(person),
        ],
    )
    context = {"person": person, "link": link, "board_name": settings.SCR_BOARD_NAME}
    message = EmailMultiAlternatives(
        subject=subject_line("Reset your password for SCR manager"),
        body=render_to_string("emails/password_reset.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string("emails/password_reset.html", context), "text/html")
    return message


def authenticator_reset_message(
    person: User, context: dict[str, Any]
) -> EmailMultiAlternatives | None:
    """Tell a person that their authenticator app was reset, by whom and when, and what to do
    next; None if they have left."""
    if not person.is_active:
        return None
    context = {
        "person": person,
        "by": context["by"],
        "at": timezone.localtime(datetime.fromisoformat(context["at"])),
        "required": role_requires_second_factor(person),
        "setup_link": settings.SCR_SITE_URL.rstrip("/") + reverse("agencies:mfa_setup"),
        "board_name": settings.SCR_BOARD_NAME,
    }
    message = EmailMultiAlternatives(
        subject=subject_line("Your authenticator app for SCR manager was reset"),
        body=render_to_string("emails/authenticator_reset.txt", context),
        to=[person.email],
    )
    message.attach_alternative(
        render_to_string("emails/authenticator_reset.html", context), "text/html"
    )
    return message


def invitation_send(*, person: User) -> bool:
    """Email an invited person a one-time link to set their password; False if not sent."""
    message = invitation_message(person, {})
    if message is None:
        return False
    message.send()
    return True
