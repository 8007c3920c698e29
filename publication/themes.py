"""Writes of the board's list of themes, and of the themes a publication is found under on the
public site. A theme's name is unique whatever its case ("Neglect" and "neglect" are one
theme); a theme is renamed, never deleted, since publications keep it."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from agencies.models import User
from publication.models import Publication, Theme
from reviews.models import StageTransition
from reviews.services.review import timeline_record
from scr.versions import check_unchanged

NAME_MAX_LENGTH = Theme._meta.get_field("name").max_length


def _clean_name(name: str, *, other_than: Theme | None = None) -> str:
    """The name with its spaces tidied; ValidationError if empty, too long or already taken."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter the theme's name"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Name must be {NAME_MAX_LENGTH} characters or fewer"})
    taken = (
        Theme.objects.select_for_update()
        .annotate(key=Lower("name"))
        .filter(key=name.lower())
        .exclude(pk=other_than.pk if other_than else None)
        .first()
    )
    if taken is not None:
        raise ValidationError({"name": f"There is already a theme called {taken.name}"})
    return name


@transaction.atomic
def theme_add(*, actor: User, name: str) -> Theme:
    """Add a theme to the board's list; ValidationError if one of that name (in any case)
    exists."""
    theme = Theme(name=_clean_name(name))
    theme._history_user, theme._change_reason = actor, "added"
    theme.save()
    return theme


@transaction.atomic
def theme_rename(*, theme: Theme, actor: User, name: str, version: int | None = None) -> Theme:
    """Rename a theme (its publications keep it under the new name); ValidationError if
    another theme has that name, or if the theme changed since the person read ``version``."""
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    check_unchanged(theme, version, what="The theme")
    old = theme.name
    theme.name = _clean_name(name, other_than=theme)
    if theme.name == old:
        return theme
    theme._history_user, theme._change_reason = actor, f"renamed from {old}"
    theme.save()
    return theme


@transaction.atomic
def publication_themes_set(
    *,
    publication: Publication,
    actor: User,
    themes: Iterable[Theme],
    version: int | None = None,
) -> Publication:
    """Set the themes the public site finds a listed publication under; kept in its history
    and on the review's timeline. ValidationError for a removed publication, or if it changed
    since the person read ``version``."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    check_unchanged(publication, version, what="The publication")
    if publication.removed_at is not None:
        raise ValidationError("This publication was removed from the public site")
    chosen = sorted(set(themes), key=lambda theme: theme.name.lower())
    if {theme.pk for theme in chosen} == set(publication.themes.values_list("pk", flat=True)):
        return publication
    publication._history_user, publication._change_reason = actor, "themes changed"
    publication.themes.set(chosen)
    names = ", ".join(theme.name for theme in chosen) or "none"
    timeline_record(
        review=publication.review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"Themes of publication version {publication.version.number}: {names}",
    )
    return publication
