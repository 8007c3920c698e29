"""Reads of the overview report's text: its versions, each section by section, two versions
compared, and a Word draft read into sections before it is imported."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch, QuerySet

from reviews.docx_import import DocxImport, DocxUnreadable, docx_to_sections
from reviews.files import DOCX
from reviews.models import OverviewDraft, OverviewSection, OverviewVersion, Review
from reviews.textdiff import Piece, text_diff
from scr.richtext import plain_text

Key = OverviewSection.Key


def overview_version_list(*, review: Review) -> list[OverviewVersion]:
    """The versions of the report's text, newest first, with who made each and the draft it
    was imported from."""
    return list(review.overview_versions.select_related("created_by", "draft").order_by("-number"))


def _with_sections(review: Review):
    return review.overview_versions.select_related("created_by", "draft").prefetch_related(
        Prefetch("sections", queryset=OverviewSection.objects.order_by("id"))
    )


def overview_versions_get(*, review: Review, numbers: list[int]) -> dict[int, OverviewVersion]:
    """The review's versions of those numbers that exist, by number, with their sections."""
    versions = _with_sections(review).filter(number__in=numbers)
    return {version.number: version for version in versions}


def overview_version_latest(*, review: Review) -> OverviewVersion | None:
    """The latest version of the report's text, with its sections, if any was made."""
    return _with_sections(review).order_by("-number").first()


def overview_version_number_latest(*, review: Review) -> int:
    """The number of the latest version of the report's text (0 before the first)."""
    return review.overview_versions.aggregate(last=Max("number"))["last"] or 0


def sections_html(version: OverviewVersion | None) -> dict[str, str]:
    """Every section's HTML of a version fetched with its sections, in report order (empty for
    a section it lacks, or every one without a version)."""
    found = {section.key: section.html for section in version.sections.all()} if version else {}
    return {key: found.get(key, "") for key in Key.values}


@dataclass(frozen=True)
class SectionShown:
    key: str
    label: str
    html: str


def overview_version_sections(version: OverviewVersion) -> list[SectionShown]:
    """A version's sections in report order, each with its name and (sanitised) HTML."""
    html = sections_html(version)
    return [SectionShown(key, str(label), html[key]) for key, label in Key.choices]


@dataclass(frozen=True)
class SectionCompared:
    """One section of two versions: ``changed`` False when its words are the same (then
    ``layout_changed`` says whether its HTML differs all the same, a table become lines)."""

    key: str
    label: str
    changed: bool
    layout_changed: bool
    before: list[Piece]
    after: list[Piece]


def overview_compare(before: OverviewVersion, after: OverviewVersion) -> list[SectionCompared]:
    """Each section of two versions fetched with their sections, compared on their words."""
    old, new = sections_html(before), sections_html(after)
    compared = []
    for key, label in Key.choices:
        old_text, new_text = plain_text(old[key]), plain_text(new[key])
        if " ".join(old_text.split()) == " ".join(new_text.split()):
            layout = old[key] != new[key]
            compared.append(SectionCompared(key, str(label), False, layout, [], []))
            continue
        left, right = text_diff(old_text, new_text)
        compared.append(SectionCompared(key, str(label), True, False, left, right))
    return compared


def overview_docx_drafts(*, review: Review) -> QuerySet[OverviewDraft]:
    """The review's drafts that are Word documents (the ones whose text can be imported),
    newest first."""
    return review.overview_drafts.filter(content_type=DOCX).select_related("uploaded_by")


def overview_docx_draft_get(*, review: Review, number: int) -> OverviewDraft | None:
    """One of the review's Word drafts, by number."""
    return review.overview_drafts.filter(content_type=DOCX, number=number).first()


def overview_draft_read(*, draft: OverviewDraft) -> DocxImport:
    """A Word draft read into the report's sections, from its stored file (never from what a
    page sent back); raises ValidationError if it cannot be read."""
    with draft.file.open("rb") as stored:
        try:
            return docx_to_sections(stored)
        except DocxUnreadable:
            raise ValidationError(
                f"Draft {draft.number} could not be read as a Word document: save it again "
                "as a DOCX file and upload it"
            ) from None
