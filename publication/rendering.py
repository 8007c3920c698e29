"""What each of a review's PDFs holds: the data of a document, the key of the source it renders
and the template that lays it out (templates/pdf/document.html: cover, contents, running
header with the reference and the marking, "Page x of y").

A version of the overview report, and a publication version, never change: their key is the
version's number and the published text's digest. Their sections are HTML kept only after
nh3 (scr/richtext.py); it is sanitised once more here, so that no row written past the
services can bring an image, a link or a style into a PDF.

The combined chronology and the action plan change as people work, so their key is a
fingerprint of the very rows the document prints: the same data gives the same key (and the
stored file), any change a new one. Text goes into the templates as text: Django escapes it,
so markup in an entry prints as the characters typed and fetches nothing.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.conf import settings
from django.utils import timezone

from publication.models import BoardResponse, PublicationVersion, RenderedDocument
from reviews.models import OverviewSection, OverviewVersion, Review
from reviews.selectors.actions import action_list_visible
from reviews.selectors.chronology import combined_chronology_list
from scr.richtext import sanitise, text_to_html

Kind = RenderedDocument.Kind
INTERNAL_MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


@dataclass(frozen=True)
class Source:
    """One document as it will be rendered: its key, template and what the template shows."""

    kind: str
    key: str
    template: str
    title: str
    marking: str
    context: dict = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    dated: date | None = None

    def layout(self, review: Review) -> dict:
        """The context of templates/pdf/document.html: the cover, the contents, the header."""
        return {
            "title": self.title,
            "review": review,
            "reference": review.reference,
            "review_kind": review.type_profile.label,
            "marking": self.marking,
            "dated": self.dated or timezone.localdate(),
            "sections": self.sections,
            "board_name": settings.SCR_BOARD_NAME,
            **self.context,
        }


class SourceChanged(Exception):
    """The document's data changed after it was asked for: its key names data that is gone."""


def fingerprint(rows: object) -> str:
    """A short digest of the rows a document prints (JSON, so dates and None are stable)."""
    text = json.dumps(rows, default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def chronology_source(*, review: Review) -> Source:
    """The combined chronology: every accepted agency chronology merged by date, the key
    practice episodes marked and listed after it."""
    entries = []
    for entry in combined_chronology_list(review=review):
        episode = getattr(entry, "key_episode", None)
        entries.append(
            {
                "id": entry.pk,
                "occurred_on": entry.occurred_on.isoformat(),
                "day": entry.occurred_on,
                "time": _time(entry.occurred_time),
                "approximate": entry.approximate,
                "agency": entry.request.agency.name,
                "what_happened": entry.what_happened,
                "practitioner_role": entry.practitioner_role,
                "source_reference": entry.source_reference,
                "analysis": entry.analysis,
                "key_episode": episode.note if episode else None,
            }
        )
    printed = [{k: v for k, v in row.items() if k != "day"} for row in entries]
    terms = getattr(review, "terms", None)
    period = (terms.period_start, terms.period_end) if terms else None
    agencies = sorted({row["agency"] for row in entries})
    key_episodes = [row for row in entries if row["key_episode"] is not None]
    return Source(
        kind=Kind.CHRONOLOGY,
        key=fingerprint([printed, str(period)]),
        template="publication/documents/chronology.html",
        title="Combined chronology",
        marking=INTERNAL_MARKING,
        context={
            "entries": entries,
            "agencies": agencies,
            "period": period,
            "key_episodes": key_episodes,
        },
        sections=(
            Section("about", "About this chronology"),
            Section("chronology", "Chronology"),
            Section("key-episodes", "Key practice episodes"),
        ),
    )


def _action_row(action) -> dict:
    latest = action.updates.all()[0] if action.updates.all() else None
    return {
        "id": action.pk,
        "recommendation": action.recommendation.number,
        "agency": action.agency.name,
        "lead": action.lead_name,
        "change": action.change,
        "difference": action.difference,
        "target_on": action.target_on,
        "status": action.status_label,
        "completed_on": action.completed_on,
        "progress": latest.note if latest else "",
        "progress_on": timezone.localdate(latest.created_at) if latest else None,
    }


def action_plan_source(*, review: Review, agency_id: int | None) -> Source:
    """The action plan, by recommendation: every action with its agency, lead, target, status
    and latest progress. With ``agency_id``, only that agency's actions (an agency lead's)."""
    actions = action_list_visible(review=review, agency_id=agency_id).prefetch_related("updates")
    rows = [_action_row(action) for action in actions]
    texts = {rec.number: rec.text for rec in review.recommendations.filter(removed_at__isnull=True)}
    if agency_id is None:
        numbers = sorted(set(texts) | {row["recommendation"] for row in rows})
    else:
        numbers = sorted({row["recommendation"] for row in rows})
    by_number = {n: list(group) for n, group in groupby(rows, key=lambda r: r["recommendation"])}
    recommendations = [
        {"number": n, "text": texts.get(n, ""), "actions": by_number.get(n, [])} for n in numbers
    ]
    scope = f"agency-{agency_id}" if agency_id else "all"
    agency_name = rows[0]["agency"] if agency_id and rows else ""
    return Source(
        kind=Kind.ACTION_PLAN,
        key=f"{scope}:{fingerprint(recommendations)}",
        template="publication/documents/action_plan.html",
        title=f"Action plan: {agency_name}" if agency_name else "Action plan",
        marking=INTERNAL_MARKING,
        context={"recommendations": recommendations, "agency_only": bool(agency_id)},
        sections=tuple(
            Section(f"recommendation-{rec['number']}", f"Recommendation {rec['number']}")
            for rec in recommendations
        ),
    )


_REPORT_ORDER = [key for key, _ in OverviewSection.Key.choices]
REPORT_KINDS = (Kind.OVERVIEW_REPORT, Kind.EXECUTIVE_SUMMARY)
PUBLIC_KINDS = (Kind.PUBLIC_REPORT, Kind.PUBLIC_SUMMARY)


def report_key(number: int) -> str:
    return f"v{number}"


def report_source(*, version: OverviewVersion, kind: str) -> Source:
    """A version of the overview report (every section, in the report's order) or its
    executive summary alone: internal, marked OFFICIAL-SENSITIVE; the key is its number."""
    if kind not in REPORT_KINDS:
        raise ValueError(f"{kind} is not a document of a report version")
    sections = sorted(version.sections.all(), key=lambda section: _REPORT_ORDER.index(section.key))
    if kind == Kind.EXECUTIVE_SUMMARY:
        sections = [s for s in sections if s.key == OverviewSection.Key.EXECUTIVE_SUMMARY]
    parts = [
        {"anchor": f"section-{s.key}", "title": s.get_key_display(), "html": sanitise(s.html)}
        for s in sections
    ]
    title = Kind(kind).label
    return Source(
        kind=kind,
        key=report_key(version.number),
        template="publication/documents/report.html",
        title=title,
        marking=INTERNAL_MARKING,
        context={"parts": parts, "version_note": f"Version {version.number}"},
        sections=tuple(Section(part["anchor"], part["title"]) for part in parts),
        dated=timezone.localdate(version.created_at),
    )


def _agreed_response(review_id: int) -> BoardResponse | None:
    return BoardResponse.objects.filter(review_id=review_id, agreed_on__isnull=False).first()


def publication_source(*, version: PublicationVersion, kind: str) -> Source:
    """A publication version as the public reads it: the anonymised title and summary, for
    the full report the rest of it, then the board's response once agreed (published with the
    report). No marking; the key is the text's digest, and with a response a fingerprint of
    it too (a PDF made before the board agreed it is not the public one). Raises ValueError
    for the full report of a version that publishes a summary only."""
    if kind not in PUBLIC_KINDS:
        raise ValueError(f"{kind} is not a document of a publication version")
    full = kind == Kind.PUBLIC_REPORT
    if full and version.form != PublicationVersion.Form.FULL:
        raise ValueError("This version publishes an executive summary only")
    parts = [{"anchor": "summary", "title": "Executive summary", "html": version.summary_html}]
    if full:
        parts.append({"anchor": "report", "title": "The report", "html": version.body_html})
    key = version.digest
    if response := _agreed_response(version.review_id):
        agreed = f"Agreed by the board at {response.meeting} on {response.agreed_on:%-d %B %Y}."
        parts.append(
            {
                "anchor": "response",
                "title": "The board's response",
                "html": text_to_html(response.text),
                "note": agreed,
            }
        )
        key += "-" + fingerprint([response.text, response.meeting, response.agreed_on])[:32]
    for part in parts:
        part["html"] = sanitise(part["html"])
    return Source(
        kind=kind,
        key=key,
        template="publication/documents/report.html",
        title=version.title,
        marking="",
        context={"parts": parts, "version_note": ""},
        sections=tuple(Section(part["anchor"], part["title"]) for part in parts),
        dated=timezone.localdate(version.created_at),
    )


def _versioned(document: RenderedDocument) -> Source:
    if document.kind in REPORT_KINDS:
        number = int(document.source_key.removeprefix("v"))
        report = OverviewVersion.objects.get(review_id=document.review_id, number=number)
        return report_source(version=report, kind=document.kind)
    digest = document.source_key.split("-")[0]
    published = PublicationVersion.objects.filter(
        review_id=document.review_id, digest=digest
    ).first()
    if published is None:
        raise SourceChanged("No publication version has this text any more.")
    return publication_source(version=published, kind=document.kind)


def source_of(document: RenderedDocument) -> Source:
    """The source a stored document renders, built from today's data; raises SourceChanged if
    that is no longer what the document was asked for."""
    if document.kind == Kind.CHRONOLOGY:
        source = chronology_source(review=document.review)
    elif document.kind == Kind.ACTION_PLAN:
        source = action_plan_source(review=document.review, agency_id=document.agency_id)
    else:
        source = _versioned(document)
    if source.key != document.source_key:
        raise SourceChanged("The data changed after the document was asked for: ask again.")
    return source
