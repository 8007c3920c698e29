"""Who may manage agencies and people: board managers, through global permissions."""

from agencies.models import User


def _has(user: User, perm: str) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(perm)


def can_manage_agencies(user: User) -> bool:
    """Board managers add and edit agencies."""
    return _has(user, "agencies.change_agency")


def can_manage_people(user: User) -> bool:
    """Board managers invite people, change their roles and deactivate them."""
    return _has(user, "agencies.change_user")
