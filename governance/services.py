"""The board manager's retention decisions: keep a closed review past its retention period, or
destroy its personal data and keep a tombstone.

Destroying is one transaction: the tombstone is written, then everything of the review goes
(deleted with the review, which cascades to every record of it in every app), then every
history row that any of it left (simple-history keeps what each record held, and writes one more
row as each is deleted), and, once committed, its files on disk. A review whose report was
published keeps its published report on the public site (already anonymised, and the public may
be owed it): the review stays as a shell with nothing personal in it, holding the publication,
its version and the overview version that version was made from, stripped of the report's text.

On PostgreSQL the app's role may not delete history rows or access changes (``manage.py
db_roles``, SECURITY-CHECKS F3): they are erased through the owner's function
``scr_erase_history``, which refuses unless this transaction wrote the tombstone, which the
role can never change or remove. The access log stays: it holds who looked at which page, not
what the review held. Elsewhere (SQLite: no roles) they are deleted directly.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import ProgrammingError, connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from agencies.models import User
from governance.models import RetentionKeep, Tombstone
from governance.selectors import history_model, object_ids, retention_due, review_paths
from publication.models import HitResolution, Publication, PublicationVersion
from reviews.audit_tables import ERASE_FUNCTION, erasable_tables
from reviews.models import AccessChange, OverviewVersion, Review
from reviews.services.review import repeated_submission, review_lock

# What a shell review (one whose published report stays) keeps, and only so far as the
# publication needs it.
_KEPT = (Publication, PublicationVersion, OverviewVersion)
# The review's own fields that may hold personal data, blanked on a shell review.
_REVIEW_TEXT = (
    "referrer_name",
    "referrer_role",
    "referrer_contact",
    "lead_consulted_name",
    "circumstances",
    "other_agencies",
    "agency_concerns",
    "key_dates",
    "incident_setting",
    "closed_reason",
)


def _check_due(review: Review, today: datetime.date) -> None:
    if review.stage != Review.Stage.CLOSED:
        raise ValidationError("Only a closed review can be kept or destroyed", code="open")
    if review.pk not in {due.pk for due in retention_due(today=today)}:
        raise ValidationError(
            "This review is not past its retention period, or the board has decided to keep it",
            code="not_due",
        )


@transaction.atomic
def retention_keep(
    *,
    review: Review,
    actor: User,
    keep_until: datetime.date,
    reason: str,
    submission: uuid.UUID | None = None,
) -> RetentionKeep:
    """Keep a closed review past its retention period until ``keep_until``, with a reason;
    raises ValidationError if it is not due, the day is not in the future or no reason."""
    locked = review_lock(review, closed_ok=True)
    if earlier := repeated_submission(RetentionKeep, submission):
        return earlier
    today = timezone.localdate()
    _check_due(locked, today)
    if keep_until <= today:
        raise ValidationError("The date to keep the review until must be in the future")
    if not reason.strip():
        raise ValidationError("Enter why the board keeps the review longer")
    keep = RetentionKeep(
        review=locked,
        keep_until=keep_until,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
        submission=submission,
    )
    keep._history_user, keep._change_reason = actor, f"kept until {keep_until:%Y-%m-%d}"
    keep.save()
    return keep


def _lookup(path: tuple[models.ForeignKey, ...]) -> str:
    return "__".join(field.name for field in path)


def _owned(review: Review) -> dict[type[models.Model], list]:
    """The primary keys of every live record of the review, by model (the review aside)."""
    owned = {}
    for model, path in review_paths().items():
        if path:
            owned[model] = list(
                model._default_manager.filter(**{_lookup(path): review.pk}).values_list(
                    "pk", flat=True
                )
            )
    return owned


def _files(owned: dict[type[models.Model], list]) -> list[tuple[Storage, str]]:
    """The files on disk of those records: (storage, name)."""
    files: list[tuple[Storage, str]] = []
    for model, pks in owned.items():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and pks:
                names = model._default_manager.filter(pk__in=pks).values_list(
                    field.attname, flat=True
                )
                files += [(field.storage, name) for name in names if name]
    return files


def _history_ids(review: Review, owned: dict) -> dict[type[models.Model], set]:
    """Every object id of each audited model whose history rows belong to the review, the
    long-deleted included, read before anything goes (a child's parent is found through the
    parent's history)."""
    found = {}
    for model in review_paths():
        if history_model(model) is not None:
            ids = set(object_ids(model, review.pk).values_list(model._meta.pk.attname, flat=True))
            found[model] = ids | set(owned.get(model, ()))
    found[Review] = {review.pk}
    return found


def _strip_to_shell(review: Review, actor: User) -> None:
    """Delete every record of the review but its publications, their versions and the
    overview versions they came from (emptied of the report's text); blank the review."""
    publications = Publication.objects.filter(review=review)
    kept_versions = PublicationVersion.objects.filter(publication__in=publications)
    kept_overviews = OverviewVersion.objects.filter(pk__in=kept_versions.values("overview_version"))
    # The identifier check's resolutions on the kept versions: the board manager's working
    # notes, which may point at versions about to go.
    HitResolution.objects.filter(version__in=kept_versions).delete()
    for overview in kept_overviews:
        overview.sections.all().delete()
        overview.note, overview.draft = "", None
        overview._history_user, overview._change_reason = actor, "report text destroyed"
        overview.save()
    # Access changes were erased already (review_purge): the app's role may not delete them.
    direct = [
        model
        for model, path in review_paths().items()
        if len(path) == 1 and model not in (Publication, AccessChange)
    ]
    keep_pks = {
        PublicationVersion: set(kept_versions.values_list("pk", flat=True)),
        OverviewVersion: set(kept_overviews.values_list("pk", flat=True)),
    }
    remaining = list(direct)
    while remaining:
        blocked = []
        for model in remaining:
            rows = model._default_manager.filter(**{_lookup(review_paths()[model]): review.pk})
            rows = rows.exclude(pk__in=keep_pks.get(model, ()))
            try:
                with transaction.atomic():
                    rows.delete()
            except (ProtectedError, RestrictedError):
                blocked.append(model)
        if len(blocked) == len(remaining):
            raise ValidationError("The review's records could not all be destroyed")
        remaining = blocked
    for field in _REVIEW_TEXT:
        setattr(review, field, "")
    review.lead_consulted = None
    review.incident_date = review.referred_on
    review.protection_plan_started_on = review.protection_plan_ended_on = None
    review.agencies_involved.clear()
    review.records_destroyed_at = timezone.now()
    review._history_user, review._change_reason = actor, "records destroyed"
    review.save()


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural).capitalize()


@transaction.atomic
def review_purge(*, review: Review, actor: User, reason: str, confirm_reference: str) -> Tombstone:
    """Destroy a closed review's personal data after its retention period, keeping a
    tombstone (and a published report, if any); raises ValidationError if it is not due, the
    reason is missing or the reference typed is not the review's."""
    locked = review_lock(review, closed_ok=True)
    _check_due(locked, timezone.localdate())
    if not reason.strip():
        raise ValidationError("Enter why the board destroys the review's records")
    if confirm_reference.strip().upper() != locked.reference.upper():
        raise ValidationError(
            f"Type the review's reference, {locked.reference}, to confirm", code="confirm"
        )
    owned = _owned(locked)
    files = _files(owned)
    history_ids = _history_ids(locked, owned)
    published = Publication.objects.filter(review=locked).exists()
    counts = {
        _label(model): len(pks)
        for model, pks in sorted(owned.items(), key=lambda item: _label(item[0]))
        if pks and not (published and model is Publication)
    }
    tombstone = Tombstone(
        reference=locked.reference,
        framework=locked.framework,
        review_type=locked.review_type,
        referred_on=locked.referred_on,
        closed_on=timezone.localdate(locked.closed_at) if locked.closed_at else locked.referred_on,
        purged_by=actor,
        purged_at=timezone.now(),
        reason=reason.strip(),
        counts=counts,
        kept_publication=published,
    )
    tombstone._history_user, tombstone._change_reason = actor, "records destroyed"
    tombstone.save()
    try:
        _erase(tombstone, AccessChange, [locked.pk])
        if published:
            _strip_to_shell(locked, actor)
        else:
            locked.delete()
        for model, ids in history_ids.items():
            if published and model in (Publication, PublicationVersion):
                continue
            _erase(tombstone, history_model(model), sorted(ids))
    except ProgrammingError as error:  # refused: permission denied, or no such function
        raise ValidationError(REFUSED, code="refused") from error
    transaction.on_commit(lambda: _files_delete(files))
    return tombstone


REFUSED = (
    "The database refused to destroy the review's records, so nothing has changed. Ask the "
    "operator to run manage.py db_roles (needed after every upgrade), then try again"
)


def _erase(tombstone: Tombstone, model: type[models.Model], ids: list) -> None:
    """Erase the rows of an audit table (history rows by object id, access changes by review
    id): through ``scr_erase_history`` on PostgreSQL, directly elsewhere."""
    if not ids:
        return
    table = model._meta.db_table
    if connection.vendor != "postgresql":
        model._default_manager.filter(**{f"{erasable_tables()[table]}__in": ids}).delete()
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {ERASE_FUNCTION}(%s, %s, %s)", [tombstone.pk, table, ids])


def _files_delete(files: list[tuple[Storage, str]]) -> None:
    """Delete the files on disk, once the records that named them are gone for good."""
    for storage, name in files:
        storage.delete(name)
