"""Every write to agencies and people goes through these functions."""

import logging
import unicodedata

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.emails import AUTHENTICATOR_RESET, INVITATION, PASSWORD_RESET
from agencies.models import Agency, Role, User
from agencies.permissions import object_permissions_forget
from agencies.selectors import changes_of, person_has_second_factor
from agencies.signin import recovery_code_digest
from outbox.services import email_queue
from scr.versions import check_unchanged

logger = logging.getLogger(__name__)

OWN_AUTHENTICATOR = (
    "You cannot reset your own authenticator app: ask another person who manages people to reset it"
)

_LABELS = {
    "name": "The agency's name",
    "first_name": "First name",
    "last_name": "Last name",
    "job_title": "Job title",
}


def _printable_check(**fields: str) -> None:
    """Names go into email headers and pages: refuse line breaks, tabs and other control
    characters, which could add a header (``Evil\r\nBcc: …``)."""
    errors = {
        field: f"{_LABELS[field]} must not include line breaks or other control characters"
        for field, value in fields.items()
        if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value)
    }
    if errors:
        raise ValidationError(errors)


def _agency_name_check(*, name: str, exclude_pk: int | None = None) -> None:
    _printable_check(name=name)
    agencies = Agency.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        agencies = agencies.exclude(pk=exclude_pk)
    if agencies.exists():
        raise ValidationError({"name": "An agency with this name already exists"})


@transaction.atomic
def agency_create(*, actor: User, name: str, sector: str, contact_email: str) -> Agency:
    """Add an agency; raises ValidationError if the name is taken."""
    _agency_name_check(name=name)
    agency = Agency(name=name, sector=sector, contact_email=contact_email)
    agency._history_user, agency._change_reason = actor, "agency added"
    agency.save()
    return agency


@transaction.atomic
def agency_update(
    *,
    actor: User,
    agency: Agency,
    name: str,
    sector: str,
    contact_email: str,
    is_active: bool,
    version: int | None = None,
) -> Agency:
    """Change an agency's details; raises ValidationError if the new name is taken, or if the
    agency changed since the person read ``version`` of it (code "conflict")."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    check_unchanged(agency, version, what="The agency", history=changes_of(agency))
    _agency_name_check(name=name, exclude_pk=agency.pk)
    agency.name, agency.sector, agency.contact_email = name, sector, contact_email
    agency.is_active = is_active
    agency._history_user, agency._change_reason = actor, "agency changed"
    agency.save()
    return agency


def agency_leads_group(*, agency: Agency) -> Group:
    """The group of the agency's leads, made on first use; call inside a transaction."""
    group = agency.leads_group
    if group is None:
        # get_or_create: another request, or a stale copy of the agency, may have made it.
        group, _ = Group.objects.get_or_create(name=f"Agency leads #{agency.pk}")
        agency.leads_group = group
        agency.save(update_fields=["leads_group"])
    return group


def _roles_check(*, roles: list[str], agency: Agency | None) -> None:
    if Role.AGENCY_LEAD in roles and agency is None:
        raise ValidationError({"agency": "Select the agency this agency lead works for"})
    # The chair checks the board manager's work (the threshold decision, the publication
    # plan): one person holding both could approve their own.
    if Role.BOARD_MANAGER in roles and Role.CHAIR in roles:
        raise ValidationError({"roles": "A person cannot be both board manager and chair"})


def person_roles_set(*, person: User, roles: list[str], agency: Agency | None) -> None:
    """Put the person in exactly their role groups, and their agency's leads group if a lead;
    call inside a transaction."""
    groups = list(Group.objects.filter(name__in=roles))
    if Role.AGENCY_LEAD in roles and agency is not None:
        groups.append(agency_leads_group(agency=agency))
    person.groups.set(groups)
    object_permissions_forget()


def sessions_end(*, person: User) -> int:
    """Delete every session of the person, so their next request must sign in again."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def person_invite(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str,
    agency: Agency | None,
    roles: list[str],
) -> User:
    """Create an account with no password and email the person a link to set one."""
    _printable_check(first_name=first_name, last_name=last_name, job_title=job_title)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "A person with this email address already has an account"})
    _roles_check(roles=roles, agency=agency)
    person = User(
        email=email, first_name=first_name, last_name=last_name, job_title=job_title, agency=agency
    )
    person.set_unusable_password()
    person._history_user, person._change_reason = actor, "invited"
    person.save()
    person_roles_set(person=person, roles=roles, agency=agency)
    email_queue(kind=INVITATION, recipient=person)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: User,
    first_name: str,
    last_name: str,
    job_title: str,
    agency: Agency | None,
    roles: list[str],
    version: int | None = None,
) -> User:
    """Change a person's details and roles; a change of role or agency ends their sessions.
    Raises ValidationError, with code "conflict" if the person changed since ``version``."""
    person = User.objects.select_for_update().get(pk=person.pk)
    check_unchanged(person, version, what=f"{person}'s record", history=changes_of(person))
    _printable_check(first_name=first_name, last_name=last_name, job_title=job_title)
    _roles_check(roles=roles, agency=agency)
    before = (person.agency_id, _role_names(person))
    person.first_name, person.last_name, person.job_title = first_name, last_name, job_title
    person.agency = agency
    person_roles_set(person=person, roles=roles, agency=agency)
    after = (person.agency_id, _role_names(person))
    reason = "details changed"
    if before[1] != after[1]:
        reason = (
            f"roles changed: {', '.join(before[1]) or 'none'} → {', '.join(after[1]) or 'none'}"
        )
    person._history_user, person._change_reason = actor, reason
    person.save()
    if before != after:
        sessions_end(person=person)
    return person


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Queue a link to choose a new password for the active account with this address and a
    password, if there is one; nothing otherwise. The outbox's sweep sends it, not the
    request, so that the request does the same work (one query, and at most one small write)
    whether or not the address is known, and a mail server or broker that is down loses
    nothing."""
    for person in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if person.has_usable_password():
            context = {"asked_at": timezone.now().isoformat()}
            email_queue(kind=PASSWORD_RESET, recipient=person, context=context, at_once=False)


def _role_names(person: User) -> list[str]:
    """The person's roles, in the order of ``Role`` (not their agency's leads group)."""
    names = set(person.groups.values_list("name", flat=True))
    return [role.value for role in Role if role.value in names]


@transaction.atomic
def person_deactivate(*, actor: User, person: User, reason: str) -> User:
    """Stop a person signing in or reaching anything, at once; their history stays theirs."""
    if person.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account")
    if not person.is_active:
        raise ValidationError("This account is already deactivated")
    person.is_active = False
    person._history_user, person._change_reason = actor, f"deactivated: {reason}"
    person.save()
    sessions_end(person=person)
    return person


@transaction.atomic
def person_reactivate(*, actor: User, person: User) -> User:
    """Let a deactivated person sign in again; their roles are as they were."""
    if person.is_active:
        raise ValidationError("This account is already active")
    person.is_active = True
    person._history_user, person._change_reason = actor, "reactivated"
    person.save()
    return person


def authenticator_start(*, person: User) -> TOTPDevice:
    """The person's authenticator app waiting to be confirmed, made on first use (the same one
    on each visit, so the QR code does not change)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=person, confirmed=False, defaults={"name": "Authenticator app"}
    )
    return device


@transaction.atomic
def code_accept(*, device: Device, code: str) -> bool:
    """Check a code against one device, which records it as used (an app's code is never
    taken twice, a recovery code is deleted) or counts a mistake; True if it matched. The
    device is locked first, so that two requests cannot both use one code."""
    device = type(device).objects.select_for_update().get(pk=device.pk)
    if isinstance(device, StaticDevice):
        # Recovery codes are stored as digests: find the one this code gives, under the
        # secret key or one it replaced (SECRET_KEY_FALLBACKS).
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        digests = [recovery_code_digest(code, secret=key) for key in keys]
        stored = device.token_set.filter(token__in=digests).values_list("token", flat=True)
        return device.verify_token(stored.first() or digests[0])
    return device.verify_token(code)


@transaction.atomic
def authenticator_confirm(*, person: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with a code it shows and issue ten new recovery codes, returned once
    and stored only as digests; an empty list if the code is wrong."""
    if not device.verify_token(code):
        return []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=person).delete()
    recovery = StaticDevice.objects.create(user=person, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(10)]
    for token in codes:
        recovery.token_set.create(token=recovery_code_digest(token))
    return codes


@transaction.atomic
def authenticator_reset(*, actor: User, person: User) -> User:
    """Remove the person's authenticator app and recovery codes (a lost phone), so that they
    set up a new app (at their next sign-in, where their role requires one); end their
    sessions and email them that it was done, and by whom. Raises ValidationError for one's
    own account (a stolen session must not shed its second factor) or when there is nothing
    to reset."""
    if person.pk == actor.pk:
        raise ValidationError(OWN_AUTHENTICATOR)
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person_has_second_factor(person):
        raise ValidationError(f"{person} has not set up an authenticator app: nothing to reset")
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    person._history_user, person._change_reason = actor, "authenticator reset"
    person.save()
    sessions_end(person=person)
    context = {"by": str(actor), "at": timezone.now().isoformat()}
    email_queue(kind=AUTHENTICATOR_RESET, recipient=person, context=context)
    logger.info("authenticator of person %s reset by person %s", person.pk, actor.pk)
    return person
