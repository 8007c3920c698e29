"""Reads of the board's public site: what anyone may see, signed in or not.

A publication is **listed** from ``published_at`` until it is removed. The public site shows
listed publications only, each with the review's reference and the publication version's text
(anonymised and sanitised), and nothing else of the review: these selectors load no other
field of it, so no page of the public site can show one.
"""

import re
from datetime import datetime
from html import unescape
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from publication.models import BoardResponse, Publication, Theme

_ROW_FIELDS = (
    "id",
    "published_at",
    "review__reference",
    "version__title",
    "version__form",
)
_PAGE_FIELDS = (*_ROW_FIELDS, "version__summary_html", "version__body_html")
_THEMES = Prefetch("themes", queryset=Theme.objects.order_by("name").only("id", "name"))


def publications_listed(*, now: datetime | None = None) -> QuerySet[Publication]:
    """Publications on the public site now: published by ``now`` and not removed."""
    return Publication.objects.filter(
        removed_at__isnull=True, published_at__lte=now or timezone.now()
    )


def public_publication_list(
    *, year: int | None = None, themes: list[Theme] | None = None
) -> QuerySet[Publication]:
    """Listed publications, newest first: those published in ``year`` (the board's time zone)
    and found under any of ``themes``, if given."""
    listed = publications_listed()
    if year:
        listed = listed.filter(published_at__year=year)
    if themes:
        tagged = Publication.themes.through.objects.filter(theme__in=themes)
        listed = listed.filter(pk__in=tagged.values("publication_id"))
    return (
        listed.select_related("review", "version")
        .only(*_ROW_FIELDS)
        .prefetch_related(_THEMES)
        .order_by("-published_at", "-id")
    )


def public_years() -> list[int]:
    """The years in which listed publications were published, newest first."""
    moments = publications_listed().datetimes("published_at", "year", order="DESC")
    return [moment.year for moment in moments]


def public_themes() -> QuerySet[Theme]:
    """The themes some listed publication is found under, by name."""
    tagged = Publication.themes.through.objects.filter(publication__in=publications_listed())
    return Theme.objects.filter(pk__in=tagged.values("theme_id")).order_by("name")


def public_publication_get(*, pk: int) -> Publication | None:
    """A publication the public may have seen: published by now, listed or removed since (the
    page then says so). None for any other id, a publication still to come included."""
    return (
        Publication.objects.filter(pk=pk, published_at__lte=timezone.now())
        .select_related("review", "version")
        .only(*_PAGE_FIELDS, "removed_at")
        .prefetch_related(_THEMES)
        .first()
    )


def public_board_response(*, publication: Publication) -> BoardResponse | None:
    """The board's response published with the report: its agreed text, meeting and date
    only; None if the board has not agreed one (a report published before responses were)."""
    return (
        BoardResponse.objects.filter(review_id=publication.review_id, agreed_on__isnull=False)
        .only("id", "review_id", "text", "meeting", "agreed_on")
        .first()
    )


class Section(NamedTuple):
    anchor: str
    heading: str


_H2 = re.compile(r"<h2(?:\s[^>]*)?>(.*?)</h2>", re.DOTALL)


def report_with_contents(body_html: str) -> tuple[SafeString, list[Section]]:
    """The report's text with an id on each ``<h2>`` section heading, and the contents list
    that links to them. ``body_html`` was sanitised when the version was made (scr.richtext):
    only the headings' own markup changes here, to an id this function writes."""
    sections: list[Section] = []

    def anchor(match: re.Match) -> str:
        section = Section(f"section-{len(sections) + 1}", unescape(strip_tags(match[1])).strip())
        sections.append(section)
        return f'<h2 id="{section.anchor}">{match[1]}</h2>'

    html = _H2.sub(anchor, body_html)
    # Sanitised text, to which only the ids above were added.
    return mark_safe(html), sections
