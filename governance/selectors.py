"""Reads of the board's information governance: a review's audit trail (every history row of
everything belonging to it, every grant and withdrawal of access, every look logged), and the
closed reviews past the retention period.

The audited models are found, not listed: every model with a django-simple-history history and
a chain of foreign keys to the review (``review_paths``). A model added later is in the trail
as soon as it has both. Rows are found through the history tables themselves (an object's
parent's ids from the parent's history), so the history of an object deleted long ago still
belongs to its review.
"""

import datetime
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.urls import reverse

from agencies.models import User
from agencies.selectors import person_list
from governance.models import RetentionKeep, Tombstone
from governance.permissions import can_view_audit_trail
from reviews.models import AccessChange, AccessLog, Review
from reviews.selectors.progress import ProgressStep
from reviews.selectors.progress import Status as ProgressStatus

ACCESS_CHANGE, ACCESS_LOG = "access_change", "access_log"
# Fields of a history row that say what the row is rather than what the record held.
_BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type"}
_BOOKKEEPING |= {"history_user", "history_relation", "updated_at"}
# Apps whose models never lead to a review: people and organisations, and Django's own.
_NOT_OF_A_REVIEW = {"agencies", "auth", "contenttypes", "sessions", "admin", "guardian", "axes"}


def history_model(model: type[models.Model]) -> Any:
    """The model's django-simple-history model, or None for a model with no history."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


def _parents(model: type[models.Model]) -> Iterator[Any]:
    """The model's foreign keys (and one-to-ones) to models that may belong to a review."""
    for field in model._meta.concrete_fields:
        related: Any = field.related_model if field.is_relation else None
        if related is not None and related._meta.app_label not in _NOT_OF_A_REVIEW:
            yield field


@cache
def review_paths() -> dict[type[models.Model], tuple[models.ForeignKey, ...]]:
    """Every model with a chain of foreign keys to the review (the shortest), keyed by model;
    the review itself has the empty chain."""
    found: dict[type[models.Model], tuple[models.ForeignKey, ...]] = {Review: ()}
    candidates = [
        model
        for model in apps.get_models()
        if model._meta.app_label not in _NOT_OF_A_REVIEW and not _is_history(model)
    ]
    queue: deque[type[models.Model]] = deque([Review])
    while queue:
        parent = queue.popleft()
        for model in candidates:
            if model in found:
                continue
            for field in _parents(model):
                if field.related_model is parent:
                    found[model] = (field, *found[parent])
                    queue.append(model)
                    break
    return found


def _is_history(model: type[models.Model]) -> bool:
    from simple_history.models import HistoricalChanges

    return issubclass(model, HistoricalChanges)


def audited_models() -> list[type[models.Model]]:
    """The models whose history the audit trail shows: a history and a path to the review."""
    return sorted(
        (model for model in review_paths() if history_model(model) is not None),
        key=lambda model: model._meta.label,
    )


def object_ids(model: type[models.Model], review_id: int) -> QuerySet:
    """The ids of every object of ``model`` that belongs, or belonged, to the review, as a
    subquery: from the history tables (a deleted object's history still names its parent),
    from the live table for a model without history."""
    path = review_paths()[model]
    pk = model._meta.pk.attname
    if not path:
        return Review.objects.filter(pk=review_id).values("pk")
    first, parent = path[0], cast(type[models.Model], path[0].related_model)
    rows = history_model(model).objects if history_model(model) else model._default_manager
    if parent is Review:
        return rows.filter(**{first.attname: review_id}).values(pk)
    return rows.filter(**{f"{first.attname}__in": object_ids(parent, review_id)}).values(pk)


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name).capitalize()


def kind_choices() -> list[tuple[str, str]]:
    """What the trail can be filtered to: each audited model, grants, looks."""
    kinds = [(model._meta.label_lower, _label(model)) for model in audited_models()]
    kinds.sort(key=lambda kind: kind[1])
    return [
        *kinds,
        (ACCESS_CHANGE, "Access granted or withdrawn"),
        (ACCESS_LOG, "Access log"),
    ]


@dataclass(frozen=True)
class TrailFilter:
    """What a person narrowed the trail to (each None or empty: everything). ``who``: words of
    a name or email address; the trail keeps what was done by the people whose name or email
    holds every word (agencies.selectors.person_list)."""

    who: str = ""
    kinds: tuple[str, ...] = ()
    since: datetime.date | None = None
    until: datetime.date | None = None


def _narrowed(rows: QuerySet, trail: TrailFilter, at: str, who: str) -> QuerySet:
    if trail.who:
        rows = rows.filter(**{f"{who}__in": person_list(search=trail.who).values("pk")})
    if trail.since is not None:
        rows = rows.filter(**{f"{at}__date__gte": trail.since})
    if trail.until is not None:
        rows = rows.filter(**{f"{at}__date__lte": trail.until})
    return rows


def _columns(rows: QuerySet, source: str, key: str, at: str, who: str) -> QuerySet:
    return rows.annotate(
        src=Value(source, output_field=CharField()),
        row=F(key),
        when=F(at),
        by=F(who),
    ).values_list("src", "row", "when", "by")


def _access_log_rows(review: Review) -> QuerySet:
    references = [review.reference, *([review.former_reference] * bool(review.former_reference))]
    looked = Q(object_type="review", object_ref__in=references)
    for reference in references:
        looked |= Q(path__startswith=f"/reviews/{reference}/")
    return AccessLog.objects.filter(looked)


def audit_trail(*, review: Review, trail: TrailFilter) -> QuerySet:
    """The review's whole audit trail as one query, newest first: rows of (source, id, when,
    by), merged in SQL (UNION ALL) so that a page of it costs the same however long it is."""
    parts = []
    for model in audited_models():
        source = model._meta.label_lower
        if trail.kinds and source not in trail.kinds:
            continue
        history = (
            history_model(model).objects.filter(id__in=object_ids(model, review.pk)).order_by()
        )
        history = _narrowed(history, trail, "history_date", "history_user_id")
        parts.append(_columns(history, source, "history_id", "history_date", "history_user_id"))
    if not trail.kinds or ACCESS_CHANGE in trail.kinds:
        changes = _narrowed(
            AccessChange.objects.filter(review=review).order_by(), trail, "at", "actor_id"
        )
        parts.append(_columns(changes, ACCESS_CHANGE, "pk", "at", "actor_id"))
    if not trail.kinds or ACCESS_LOG in trail.kinds:
        looks = _narrowed(_access_log_rows(review).order_by(), trail, "at", "user_id")
        parts.append(_columns(looks, ACCESS_LOG, "pk", "at", "user_id"))
    if not parts:
        return AccessLog.objects.none().values_list("pk")
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-when", "-row")


@dataclass
class TrailRow:
    """One line of the audit trail, ready to show or export."""

    when: datetime.datetime
    who: str
    kind: str
    what: str
    reason: str
    changes: list[tuple[str, str, str]]  # (field, before, after)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _diff(model: type[models.Model], row: Any, previous: Any | None) -> list[tuple[str, str, str]]:
    """Each field that differs from the object's previous history row: (field, before, after).
    The first row of an object lists every field it was made with."""
    changes = []
    for field in model._meta.concrete_fields:
        if field.name in _BOOKKEEPING or field.primary_key:
            continue
        after = getattr(row, field.attname, None)
        before = getattr(previous, field.attname, None) if previous is not None else None
        if previous is None and row.history_type == "-":
            continue
        if previous is None or before != after:
            changes.append((str(field.verbose_name).capitalize(), _shown(before), _shown(after)))
    return changes


_HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _person(user: User | None) -> str:
    if user is None:
        return "The system"
    return user.get_full_name() or user.email


def _history_rows(model: type[models.Model], ids: list[int]) -> dict[tuple[str, int], TrailRow]:
    """The page's history rows of one model, each with its diff against the object's previous
    row: two queries, whatever the history's length."""
    history = history_model(model)
    earlier = history.objects.filter(
        id=OuterRef("id"), history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    rows = list(
        history.objects.filter(history_id__in=ids)
        .select_related("history_user")
        .annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
    )
    wanted = [row.previous_id for row in rows if row.previous_id]
    previous = {row.history_id: row for row in history.objects.filter(history_id__in=wanted)}
    source = model._meta.label_lower
    found = {}
    for row in rows:
        found[(source, row.history_id)] = TrailRow(
            when=row.history_date,
            who=_person(row.history_user),
            kind=_label(model),
            what=f"{_label(model)} {row.id}: {_HISTORY_TYPES.get(row.history_type, '')}",
            reason=row.history_change_reason or "",
            changes=_diff(model, row, previous.get(row.previous_id)),
        )
    return found


def _access_change_rows(ids: list[int]) -> dict[tuple[str, int], TrailRow]:
    rows = AccessChange.objects.filter(pk__in=ids).select_related("actor", "person", "group")
    found = {}
    for change in rows:
        holder = _person(change.person) if change.person else f"group {change.group}"
        verb = "Access granted to" if change.granted else "Access withdrawn from"
        found[(ACCESS_CHANGE, change.pk)] = TrailRow(
            when=change.at,
            who=_person(change.actor),
            kind="Access granted or withdrawn",
            what=f"{verb} {holder}",
            reason="",
            changes=[
                (
                    "Permission",
                    "(none)" if change.granted else change.permission,
                    change.permission if change.granted else "(none)",
                )
            ],
        )
    return found


def _access_log_rows_of(ids: list[int]) -> dict[tuple[str, int], TrailRow]:
    found = {}
    for look in AccessLog.objects.filter(pk__in=ids).select_related("user"):
        verdict = "allowed" if look.allowed else "refused"
        found[(ACCESS_LOG, look.pk)] = TrailRow(
            when=look.at,
            who=_person(look.user),
            kind="Access log",
            what=f"{look.action.capitalize()} {look.object_type.replace('_', ' ')} "
            f"{look.object_ref}: {verdict}",
            reason=f"{look.path} from {look.ip_address or 'an unknown address'}",
            changes=[],
        )
    return found


def audit_rows(keys: list[tuple[str, int, Any, Any]]) -> list[TrailRow]:
    """The lines of a page (or a chunk of an export) of ``audit_trail``, in its order: two
    queries per kind of record on it, one per grant or look."""
    by_source: dict[str, list[int]] = {}
    for source, row, _when, _by in keys:
        by_source.setdefault(source, []).append(row)
    found: dict[tuple[str, int], TrailRow] = {}
    models_by_label = {model._meta.label_lower: model for model in audited_models()}
    for source, ids in by_source.items():
        if source == ACCESS_CHANGE:
            found |= _access_change_rows(ids)
        elif source == ACCESS_LOG:
            found |= _access_log_rows_of(ids)
        else:
            found |= _history_rows(models_by_label[source], ids)
    return [found[(source, row)] for source, row, _when, _by in keys]


def audit_export_rows(*, review: Review, trail: TrailFilter, chunk: int = 500) -> Iterator[list]:
    """Every line of the trail the filter matches, for a CSV: a header, then one row per field
    changed (a line with no field change: one row), read a chunk at a time."""
    yield ["When", "Who", "Kind of record", "What", "Reason", "Field", "Before", "After"]
    keys = audit_trail(review=review, trail=trail)
    start = 0
    while batch := list(keys[start : start + chunk]):
        for line in audit_rows(batch):
            head = [line.when.isoformat(), line.who, line.kind, line.what, line.reason]
            for field, before, after in line.changes or [("", "", "")]:
                yield [*head, field, before, after]
        start += chunk


def retention_years() -> int:
    return settings.SCR_RETENTION_YEARS


def retention_due(*, today: datetime.date) -> list[Review]:
    """Closed reviews whose retention period (``SCR_RETENTION_YEARS`` from the day the review
    closed) has passed by ``today``, with no keep decision still running: oldest first. A
    review closed on 1 March 2020 with six years is due on 1 March 2026."""
    closed_by = today - relativedelta(years=retention_years())
    kept = RetentionKeep.objects.filter(review=OuterRef("pk"), keep_until__gte=today)
    purged = Tombstone.objects.values("reference")
    latest_keep = RetentionKeep.objects.filter(review=OuterRef("pk")).order_by("-decided_at")
    return list(
        Review.objects.filter(stage=Review.Stage.CLOSED, closed_at__date__lte=closed_by)
        .exclude(reference__in=purged)
        .annotate(
            kept_until=Subquery(latest_keep.values("keep_until")[:1]),
            still_kept=models.Exists(kept),
        )
        .filter(still_kept=False)
        .order_by("closed_at", "id")
    )


def audit_steps(review: Review, user: User) -> list[ProgressStep]:
    """The audit trail's line among the steps alongside the review's stages, for those who may
    read it: no query (the trail is counted on its own page)."""
    if not can_view_audit_trail(user, review):
        return []
    url = reverse("governance:audit", args=[review.reference])
    hint = "Every change, grant of access and look, kept as it happens"
    return [ProgressStep("audit", "Audit trail", ProgressStatus.IN_PROGRESS, hint, url)]


def tombstone_get(*, reference: str) -> Tombstone | None:
    """The tombstone of a destroyed review, by its reference (None: none)."""
    return Tombstone.objects.select_related("purged_by").filter(reference=reference).first()
