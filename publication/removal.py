"""Taking a publication off the board's public site. It is never deleted: the board manager
and the chair still see it, with who removed it, when and why, and its history keeps it.

Boards must keep a published report listed for at least 12 months (``listed_until``): removing
it sooner needs a reason that says why it must come off early (a court order, say), which the
board manager confirms they have given."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from publication.models import Publication
from reviews.models import StageTransition
from reviews.services.review import timeline_record
from scr.formats import govuk_datetime

REASON_MAX_LENGTH = 2000


def removal_is_early(publication: Publication) -> bool:
    """Whether removing the publication today would be before the 12 months it must stay
    listed."""
    return timezone.localdate() < publication.listed_until


@transaction.atomic
def publication_remove(
    *, publication: Publication, actor: User, reason: str, early_confirmed: bool = False
) -> Publication:
    """Take a listed publication off the public site with a reason; kept in its history and
    on the review's timeline. ValidationError if it was removed already, if the reason is
    empty, or if it is removed before ``listed_until`` without the board manager confirming
    the reason says why."""
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("removed_by", "version")
        .get(pk=publication.pk)
    )
    if publication.removed_at is not None:
        raise ValidationError(
            f"This publication was already removed, by {publication.removed_by} on "
            f"{govuk_datetime(publication.removed_at)}"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the publication is being removed"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Reason must be {REASON_MAX_LENGTH:,} characters or fewer"}
        )
    if removal_is_early(publication) and not early_confirmed:
        raise ValidationError(
            {
                "early_confirmed": "Confirm that the reason says why the report must come off "
                "the public site before "
                f"{publication.listed_until:%-d %B %Y}"
            }
        )
    publication.removed_at, publication.removed_by = timezone.now(), actor
    publication.removal_reason = reason
    publication._history_user, publication._change_reason = actor, "removed from the public site"
    publication.save()
    summary = f"Publication version {publication.version.number} removed from the public site"
    if removal_is_early(publication):
        summary += f", before {publication.listed_until:%-d %B %Y}"
    timeline_record(
        review=publication.review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=summary,
        reason=reason,
    )
    return publication
