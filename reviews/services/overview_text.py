"""Stage 5: the overview report's text, section by section, as numbered versions: written in the
service in the plain writing form (scr.richtext), or imported from a Word draft. A version is
never changed; each save that changes something makes the next one."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from agencies.models import User
from reviews.files import DOCX
from reviews.models import OverviewDraft, OverviewSection, OverviewVersion, Review, StageTransition
from reviews.selectors.overview_text import (
    overview_draft_read,
    overview_version_latest,
    sections_html,
)
from reviews.services.overview import overview_draft_upload
from reviews.services.review import repeated_submission, review_lock, timeline_event_record
from scr.formats import govuk_datetime
from scr.richtext import html_to_text, plain_text, sanitise, text_to_html

Key = OverviewSection.Key


def _check_overview_stage(review: Review) -> None:
    if review.stage != Review.Stage.OVERVIEW:
        raise ValidationError("The report's text can only change at the overview stage")


def _check_based_on(latest: OverviewVersion | None, seen: int | None) -> None:
    """Raise ValidationError (code "conflict") if a version was made since the person opened
    the page at version ``seen`` (0: before the first); no version given checks nothing."""
    number = latest.number if latest else 0
    if seen is None or seen == number or latest is None:
        return
    raise ValidationError(
        "Version %(number)s of the report text was made by %(who)s at %(time)s, after you "
        "opened this page: nothing was saved. Compare it with the version you started from, "
        "then save again if your text should replace it.",
        code="conflict",
        params={
            "number": number,
            "who": latest.created_by,
            "time": govuk_datetime(latest.created_at),
            "version": number,
        },
    )


def _check_changed(latest: OverviewVersion | None, sections: dict[str, str]) -> None:
    if latest is not None and sections == sections_html(latest):
        raise ValidationError(
            f"Nothing was changed since version {latest.number}, so no new version was made",
            code="unchanged",
        )
    if not any(plain_text(html).strip() for html in sections.values()):
        raise ValidationError("Write at least one section of the report")


def _version_save(
    *,
    review: Review,
    actor: User,
    latest: OverviewVersion | None,
    sections: dict[str, str],
    note: str,
    submission: uuid.UUID | None,
    draft: OverviewDraft | None = None,
) -> OverviewVersion:
    number = (latest.number if latest else 0) + 1
    source = OverviewVersion.Source.IMPORTED if draft else OverviewVersion.Source.WRITTEN
    how = f"imported from draft {draft.number}" if draft else "written"
    version = OverviewVersion(
        review=review,
        number=number,
        source=source,
        draft=draft,
        note=note.strip(),
        created_by=actor,
        submission=submission,
    )
    version._history_user, version._change_reason = actor, how
    version.save()
    # Sections are part of their version, which is never changed: its history row records them.
    OverviewSection.objects.bulk_create(
        OverviewSection(version=version, key=key, html=sanitise(sections.get(key, "")))
        for key in Key.values
    )
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.OVERVIEW,
        actor=actor,
        summary=f"Overview report version {number} {how}",
    )
    return version


def _same_text(typed: str, shown: str) -> bool:
    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.replace("\r\n", "\n").strip().splitlines()]

    return lines(typed) == lines(shown)


@transaction.atomic
def overview_version_write(
    *,
    review: Review,
    actor: User,
    texts: dict[str, str],
    note: str = "",
    version: int | None = None,
    submission: uuid.UUID | None = None,
) -> OverviewVersion:
    """Save the report's sections as written in the writing form (``texts``, by section key)
    as the next version; a section whose text is as the latest version showed it keeps that
    version's HTML (a table from Word stays a table). Raises ValidationError when nothing
    changed (code "unchanged"), when every section is empty, or (code "conflict") when a
    version was made since the person opened the page at version ``version``."""
    review = review_lock(review)
    if earlier := repeated_submission(OverviewVersion, submission):
        return earlier
    _check_overview_stage(review)
    latest = overview_version_latest(review=review)
    _check_based_on(latest, version)
    previous = sections_html(latest)
    sections = {
        key: previous[key]
        if _same_text(texts.get(key, ""), html_to_text(previous[key]))
        else text_to_html(texts.get(key, ""))
        for key in Key.values
    }
    _check_changed(latest, sections)
    return _version_save(
        review=review,
        actor=actor,
        latest=latest,
        sections=sections,
        note=note,
        submission=submission,
    )


@transaction.atomic
def overview_version_import(
    *,
    review: Review,
    actor: User,
    draft: OverviewDraft,
    note: str = "",
    version: int | None = None,
    submission: uuid.UUID | None = None,
) -> OverviewVersion:
    """Save the text of a Word draft, read again from its stored file and cut into sections at
    its headings, as the next version. Raises ValidationError for a draft of another review or
    not a Word document, one with no text, one whose text is the latest version's (code
    "unchanged"), or (code "conflict") when a version was made since the person checked the
    import at version ``version``."""
    review = review_lock(review)
    if earlier := repeated_submission(OverviewVersion, submission):
        return earlier
    _check_overview_stage(review)
    if draft.review_id != review.pk or draft.content_type != DOCX:
        raise ValidationError("Choose one of this review's drafts that is a Word document")
    latest = overview_version_latest(review=review)
    _check_based_on(latest, version)
    read = overview_draft_read(draft=draft)
    if not read.has_text:
        raise ValidationError(f"Draft {draft.number} has no text to import")
    _check_changed(latest, read.sections)
    return _version_save(
        review=review,
        actor=actor,
        latest=latest,
        sections=read.sections,
        note=note,
        submission=submission,
        draft=draft,
    )


def overview_import_upload(
    *, review: Review, actor: User, file: UploadedFile, note: str = ""
) -> OverviewDraft:
    """Keep an uploaded Word document as the report's next draft, for its text to be
    imported; raises ValidationError (nothing kept) for anything but a safe DOCX."""
    return overview_draft_upload(review=review, actor=actor, file=file, note=note, word_only=True)
