"""Who may manage agencies and people: board managers, through global permissions; and the
one guardian checker a request shares for everyone's per-object permissions."""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db.models import BooleanField, Model, QuerySet, Value
from guardian.core import ObjectPermissionChecker

from agencies.models import User

T = TypeVar("T")
M = TypeVar("M", bound=Model)

# Within a request: a guardian checker per person and the facts the predicates found about
# them (memos), by key. Outside one (tasks, the shell, a test calling a predicate directly)
# there is none, and every check asks the database afresh.
_scope: ContextVar[dict[Hashable, Any] | None] = ContextVar("permission_scope", default=None)


def _has(user: User, perm: str) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(perm)


def can_manage_agencies(user: User) -> bool:
    """Board managers add and edit agencies."""
    return _has(user, "agencies.change_agency")


def can_manage_people(user: User) -> bool:
    """Board managers invite people, change their roles and deactivate them."""
    return _has(user, "agencies.change_user")


@contextmanager
def object_permissions_shared() -> Iterator[None]:
    """Share one checker per person for everything run inside (a request): ``user.has_perm(p,
    obj)`` builds a fresh guardian checker each time, two queries a check, and a page asks
    many predicates of the same review."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def object_permissions(user: User) -> ObjectPermissionChecker:
    """The person's guardian checker: the request's shared one (it remembers each object's
    permissions once asked), else a fresh one."""
    return permission_memo(("checker", user.pk), lambda: ObjectPermissionChecker(user))


def permission_memo(key: Hashable, compute: Callable[[], T]) -> T:
    """What ``compute`` answers, asked once a request for the key (say, whether a person
    leads for their agency); outside a request, asked every time."""
    scope = _scope.get()
    if scope is None:
        return compute()
    if key not in scope:
        scope[key] = compute()
    return scope[key]


def object_permissions_forget() -> None:
    """Drop the request's checkers and memos, so a check after a grant, a withdrawal or a
    change of groups made in the same request sees it; the services that make them call this."""
    scope = _scope.get()
    if scope is not None:
        scope.clear()


def permitted(queryset: QuerySet[M], *, allowed: bool) -> QuerySet[M]:
    """The queryset, empty unless ``allowed``, yet still asked of the database: a page that
    runs it for everyone costs the same queries whoever reads it, so neither its speed nor its
    query count depends on (or tells) the reader's role."""
    return queryset.filter(Value(allowed, output_field=BooleanField()))
