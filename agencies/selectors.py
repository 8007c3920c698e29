"""Reads of agencies and people."""

from django.contrib.auth.models import Group
from django.db.models import Model, Prefetch, Q, QuerySet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, Role, User


def agency_list() -> QuerySet[Agency]:
    """Every agency, active or closed, by name."""
    return Agency.objects.order_by("name")


def agency_list_active() -> QuerySet[Agency]:
    """Agencies still taking part, by name: the choices wherever an agency is picked."""
    return Agency.objects.filter(is_active=True).order_by("name")


def changes_of(record: Model) -> QuerySet:
    """The history rows of an agency or a person that change what its edit page shows: each
    change a service or the admin made, which says why. Saves that only keep the record going
    (a sign-in's time, a password its owner chose, an agency's leads group made on first use)
    say no reason, and a form read before them may still be saved."""
    return record.history.filter(history_change_reason__gt="")  # type: ignore[attr-defined]


def person_list(
    *, search: str = "", agency: Agency | None = None, role: str = ""
) -> QuerySet[User]:
    """People with an account, with their agency and role groups for the people page, by
    name: those whose name or email holds every word of ``search``, in ``agency`` and holding
    ``role`` (a Role) when given."""
    people = User.objects.select_related("agency").prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=Role.values), to_attr="roles")
    )
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    if agency is not None:
        people = people.filter(agency=agency)
    if role:
        people = people.filter(groups__name=role)
    return people.order_by("last_name", "first_name", "email", "id")


def person_role_names(person: User) -> list[str]:
    """The person's roles; uses the prefetched ``roles`` when present."""
    groups = getattr(person, "roles", None)
    if groups is None:
        groups = person.groups.filter(name__in=Role.values)
    return sorted(group.name for group in groups)


def person_account_changes(person: User) -> list:
    """Every change of the person's roles and every reset of their authenticator app, newest
    first, with who made it and when."""
    return list(
        person.history.filter(
            Q(history_change_reason__startswith="roles changed")
            | Q(history_change_reason="authenticator reset")
        )
        .select_related("history_user")
        .order_by("-history_date")
    )


def person_has_second_factor(person: User) -> bool:
    """True if the person has an authenticator app (set up, or begun) or recovery codes: what
    resetting their authenticator removes."""
    return (
        TOTPDevice.objects.filter(user=person).exists()
        or StaticDevice.objects.filter(user=person).exists()
    )


def agency_lead_list(*, agency_ids: list[int]) -> QuerySet[User]:
    """The active agency leads of these agencies: who receives what is asked of an agency."""
    return User.objects.filter(
        is_active=True, groups__name=Role.AGENCY_LEAD, agency_id__in=agency_ids
    ).distinct()


def agency_ids_without_leads(*, agency_ids: list[int]) -> set[int]:
    """Those of these agencies with no active lead: no one there can receive a request."""
    reached = set(agency_lead_list(agency_ids=agency_ids).values_list("agency_id", flat=True))
    return set(agency_ids) - reached
