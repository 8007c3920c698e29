"""Keyset pages for lists thousands of pages deep: each page is found by the key of the row
before it (``(due_on, id) > (last row's)``), which an index reaches directly, where OFFSET
walks and throws away every earlier row (the last of 8,000 pages of deadlines took 0.6 s).

The ``page`` parameter holds a token: nothing (or anything not understood) is the first page,
``last`` is the reversed order's first page, and ``n…``/``p…`` name the rows after or before a
key. A bad or stale token gives the first page, never an error."""

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils.timezone import is_naive

LAST = "last"
_AFTER, _BEFORE = "n", "p"


@dataclass(frozen=True)
class KeysetPage:
    """One page of rows, with the tokens of the pages either side (None at an end) and the
    number of rows in the whole list when it was asked for."""

    object_list: list[Any]
    previous_token: str | None
    next_token: str | None
    count: int | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.previous_token is not None

    @property
    def has_next(self) -> bool:
        return self.next_token is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def _encode(kind: str, values: Sequence[Any]) -> str:
    text = json.dumps([v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values])
    return kind + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _field(model: type[Model], key: str) -> Field:
    field = model._meta.get_field(key.removeprefix("-"))
    if not isinstance(field, Field):
        raise FieldDoesNotExist(key)
    return field


def _decode(model: type[Model], keys: Sequence[str], token: str) -> tuple[str, list] | None:
    """The token's direction and key values as the key fields read them; None if it is not
    one of this list's tokens."""
    kind, body = token[:1], token[1:]
    if kind not in (_AFTER, _BEFORE) or len(body) > 1000:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            return None
        fields = [_field(model, key) for key in keys]
        values = [field.to_python(value) for field, value in zip(fields, raw, strict=True)]
    except (ValueError, TypeError, binascii.Error, ValidationError, FieldDoesNotExist):
        return None
    if any(value is None or (isinstance(value, datetime) and is_naive(value)) for value in values):
        return None
    return kind, values


def _beyond(keys: Sequence[str], values: Sequence[Any], *, forward: bool) -> Q:
    """Rows after ``values`` in the order ``keys`` (before them if not ``forward``): the
    lexicographic comparison, led by a bound on the first key that an index range can use."""
    terms = []
    for n, key in enumerate(keys):
        name = key.removeprefix("-")
        ascending = (not key.startswith("-")) == forward
        term = Q(**{f"{name}__{'gt' if ascending else 'lt'}": values[n]})
        for earlier, value in zip(keys[:n], values[:n], strict=True):
            term &= Q(**{earlier.removeprefix("-"): value})
        terms.append(term)
    first = keys[0].removeprefix("-")
    lead = (not keys[0].startswith("-")) == forward
    bound = Q(**{f"{first}__{'gte' if lead else 'lte'}": values[0]})
    either = Q()
    for term in terms:
        either |= term
    return bound & either


def _reversed(keys: Sequence[str]) -> list[str]:
    return [key.removeprefix("-") if key.startswith("-") else f"-{key}" for key in keys]


def keyset_page(
    queryset: QuerySet,
    *,
    keys: Sequence[str],
    token: str | None,
    per_page: int,
    count: bool = False,
) -> KeysetPage:
    """The page of ``queryset`` that ``token`` names, in the order ``keys`` (model fields,
    ``-`` for descending, the last one unique, none of them null). ``count`` adds the number of
    rows in the whole list (one more query)."""
    model = queryset.model
    token = token or ""
    decoded = _decode(model, keys, token) if token != LAST else None
    if token == LAST:
        rows = list(queryset.order_by(*_reversed(keys))[: per_page + 1])
        more, rows = len(rows) > per_page, rows[:per_page][::-1]
        previous = _encode(_BEFORE, _key(rows[0], keys)) if more else None
        page = KeysetPage(rows, previous, None)
    elif decoded is None:
        page = _forward(queryset, keys, per_page, after=None)
    elif decoded[0] == _AFTER:
        page = _forward(queryset, keys, per_page, after=decoded[1])
    else:
        page = _backward(queryset, keys, per_page, before=decoded[1])
    if not page.object_list and token:
        # A stale token (its rows gone, or past an end): start again from the first page.
        page = _forward(queryset, keys, per_page, after=None)
    if count:
        page = KeysetPage(page.object_list, page.previous_token, page.next_token, queryset.count())
    return page


def _key(row: Any, keys: Sequence[str]) -> list[Any]:
    return [getattr(row, key.removeprefix("-")) for key in keys]


def _forward(
    queryset: QuerySet, keys: Sequence[str], per_page: int, *, after: list | None
) -> KeysetPage:
    if after is not None:
        queryset = queryset.filter(_beyond(keys, after, forward=True))
    rows = list(queryset.order_by(*keys)[: per_page + 1])
    more, rows = len(rows) > per_page, rows[:per_page]
    previous = _encode(_BEFORE, _key(rows[0], keys)) if after is not None and rows else None
    following = _encode(_AFTER, _key(rows[-1], keys)) if more else None
    return KeysetPage(rows, previous, following)


def _backward(
    queryset: QuerySet, keys: Sequence[str], per_page: int, *, before: list
) -> KeysetPage:
    queryset = queryset.filter(_beyond(keys, before, forward=False))
    rows = list(queryset.order_by(*_reversed(keys))[: per_page + 1])
    more, rows = len(rows) > per_page, rows[:per_page][::-1]
    previous = _encode(_BEFORE, _key(rows[0], keys)) if more else None
    following = _encode(_AFTER, _key(rows[-1], keys)) if rows else None
    return KeysetPage(rows, previous, following)
