"""A Word document read into the overview report's sections.

mammoth turns the DOCX into HTML (Word's heading styles become headings; pictures are left
out, since report text keeps none; no file or address outside the document is opened). The
HTML is then cut at its headings: a heading whose words name a section ("Executive summary",
"3. Summary of the case", "Lessons learnt") starts that section, and everything up to the
next such heading is its text. A heading that names no section stays, as a sub-heading, in the
section it falls in. Text before the first recognised heading goes into the executive summary
when the document has no heading of its own for it, and is left out otherwise (a title page,
a table of contents). Each section is then cleaned by ``scr.richtext.sanitise``.

What this reads is a document already checked on upload (``reviews.files.document_inspect``):
no DTD, macros, embedded objects or external content.
"""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import BinaryIO

import mammoth

from reviews.models import OverviewSection
from scr.richtext import plain_text, sanitise

Key = OverviewSection.Key

# Each section's heading as reports word it, normalised by ``_normalise`` (lower case, no
# numbering, no "the", no apostrophes, "and" for "&").
VARIANTS: dict[str, set[str]] = {
    Key.EXECUTIVE_SUMMARY: {"executive summary", "summary", "exec summary", "overview"},
    Key.HOW_RUN: {
        "how review was run",
        "how review was conducted",
        "review process",
        "review process and methodology",
        "process of review",
        "conduct of review",
        "methodology",
        "method",
        "review methodology",
        "introduction",
        "terms of reference",
        "scope of review",
        "introduction and methodology",
    },
    Key.CASE_SUMMARY: {
        "case in summary",
        "case summary",
        "summary of case",
        "brief summary of case",
        "background",
        "background to case",
        "background to review",
        "case history",
        "summary of events",
        "key events",
        "facts",
    },
    Key.AGENCY_ANALYSIS: {
        "analysis of each agencys involvement",
        "analysis of agency involvement",
        "analysis of agencies involvement",
        "analysis of involvement",
        "agency involvement",
        "agencies involvement",
        "involvement of agencies",
        "analysis",
        "analysis of practice",
        "individual agency analysis",
    },
    Key.FAMILY_VIEWS: {
        "familys views",
        "family views",
        "views of family",
        "family involvement",
        "involvement of family",
        "familys contribution",
        "familys contribution to review",
        "contribution of family",
        "family participation",
    },
    Key.GOOD_PRACTICE: {
        "good practice",
        "examples of good practice",
        "good practice identified",
        "notable practice",
        "what went well",
    },
    Key.LESSONS: {
        "lessons",
        "lessons learned",
        "lessons learnt",
        "lessons to be learned",
        "lessons to be learnt",
        "learning",
        "key learning",
        "learning points",
        "conclusions",
        "conclusions and lessons learned",
        "conclusions and lessons learnt",
    },
    Key.RECOMMENDATIONS: {
        "recommendations",
        "recommendation",
        "multi agency recommendations",
        "recommendations for board",
        "recommendations to board",
    },
}
_SECTION_OF = {variant: key for key, variants in VARIANTS.items() for variant in variants}
_NUMBERING = re.compile(
    r"^(?:(?:section|part|chapter)\s+)?"  # "Section 3: …"
    r"(?:\d+(?:\.\d+)*|[ivxlc]+(?=[.)])|[a-z](?=\)))"  # "3.2", "IV.", "a)"
    r"[.):]?\s*(?:[-\u2013:]\s*)?"
)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "img", "hr"}


def _normalise(heading: str) -> str:
    text = heading.lower().replace("\u2019", "'").replace("&", " and ")
    text = _NUMBERING.sub("", text.strip())
    text = re.sub(r"[^a-z0-9 ]+", lambda m: "" if "'" in m.group() else " ", text)
    words = [word for word in text.split() if word != "the"]
    return " ".join(words)


def section_of_heading(heading: str) -> str | None:
    """The section a heading's words name, if any."""
    return _SECTION_OF.get(_normalise(heading))


def _label(key: str | None) -> str:
    return str(Key(key).label) if key else ""


@dataclass(frozen=True)
class Heading:
    """A heading of the document: its words, the section it names (``key``, None if it names
    none) and the section its text went into (``placed_in``, None if left out)."""

    text: str
    key: str | None
    placed_in: str | None

    @property
    def section(self) -> str:
        return _label(self.key)

    @property
    def placed_in_section(self) -> str:
        return _label(self.placed_in)


@dataclass
class DocxImport:
    """A Word document read into sections: ``sections`` holds every key of
    ``OverviewSection.Key``, each as sanitised HTML (empty if the document had nothing for it)."""

    sections: dict[str, str]
    headings: list[Heading] = field(default_factory=list)
    # The words before the first recognised heading, and the section they went into (None:
    # left out).
    preamble: str = ""
    preamble_in: str | None = None
    pictures: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def empty(self) -> list[str]:
        """The sections the document had no text for, in report order."""
        return [key for key in Key.values if not plain_text(self.sections[key]).strip()]

    @property
    def empty_sections(self) -> list[str]:
        return [_label(key) for key in self.empty]

    @property
    def preamble_section(self) -> str:
        return _label(self.preamble_in)

    @property
    def texts(self) -> list[tuple[str, str]]:
        """Each section's name and its words, in report order: to check, not to render."""
        return [(str(label), plain_text(self.sections[key])) for key, label in Key.choices]

    @property
    def unrecognised(self) -> list[Heading]:
        return [heading for heading in self.headings if heading.key is None]

    @property
    def has_text(self) -> bool:
        return len(self.empty) < len(Key.values)


@dataclass
class _Block:
    tag: str
    parts: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


class _Blocks(HTMLParser):
    """Cuts mammoth's HTML into its top-level blocks (paragraphs, headings, lists, tables),
    each written back as HTML with its text escaped again."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.depth = 0

    def _current(self, tag: str) -> _Block:
        if self.depth == 0 or not self.blocks:
            self.blocks.append(_Block(tag))
        return self.blocks[-1]

    def handle_starttag(self, tag, attrs):
        block = self._current(tag)
        block.parts.append(self.get_starttag_text() or "")
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self._current(tag).parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if self.depth and self.blocks:
            self.blocks[-1].parts.append(f"</{tag}>")
            self.depth -= 1

    def handle_data(self, data):
        block = self._current("p")
        block.parts.append(escape(data, quote=False))
        block.words.append(data)


def _blocks(html: str) -> list[_Block]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def _subheading(block: _Block) -> str:
    """A heading that names no section, kept as a report's sub-heading (h3 or h4)."""
    tag = "h3" if block.tag in ("h1", "h2", "h3") else "h4"
    return f"<{tag}>{escape(''.join(block.words).strip())}</{tag}>"


def _split(html: str) -> tuple[dict[str, list[str]], list[Heading], list[str]]:
    """Each section's HTML parts, every heading in order, and the parts before the first
    recognised heading."""
    parts: dict[str, list[str]] = {key: [] for key in Key.values}
    headings: list[Heading] = []
    preamble: list[str] = []
    current: str | None = None
    for block in _blocks(html):
        if block.tag not in _HEADINGS:
            (parts[current] if current else preamble).append("".join(block.parts))
            continue
        text = " ".join("".join(block.words).split())
        if not text:
            continue
        key = section_of_heading(text)
        if key:
            current = key
        else:
            (parts[current] if current else preamble).append(_subheading(block))
        headings.append(Heading(text=text, key=key, placed_in=current))
    return parts, headings, preamble


class DocxUnreadable(ValueError):
    """The document could not be read as a Word document."""


def docx_to_sections(document: BinaryIO) -> DocxImport:
    """Read a Word document into the report's sections (see the module's docstring); raises
    DocxUnreadable if it is not a Word document mammoth can read."""
    pictures = 0

    def leave_out_picture(image) -> list:
        nonlocal pictures
        pictures += 1
        return []

    try:
        result = mammoth.convert_to_html(
            document, convert_image=leave_out_picture, external_file_access=False
        )
    except Exception as error:  # mammoth raises what its zip and XML readers raise
        raise DocxUnreadable(str(error)) from error
    parts, headings, preamble = _split(result.value)
    preamble_html = sanitise("".join(preamble))
    preamble_in = None
    if not any(heading.key == Key.EXECUTIVE_SUMMARY for heading in headings):
        preamble_in = Key.EXECUTIVE_SUMMARY.value
        parts[preamble_in][:0] = preamble
    headings = [
        heading if heading.placed_in or not preamble_in else _placed(heading, preamble_in)
        for heading in headings
    ]
    return DocxImport(
        sections={key: sanitise("".join(html)) for key, html in parts.items()},
        headings=headings,
        preamble=plain_text(preamble_html),
        preamble_in=preamble_in if plain_text(preamble_html).strip() else None,
        pictures=pictures,
        messages=list(dict.fromkeys(message.message for message in result.messages)),
    )


def _placed(heading: Heading, key: str) -> Heading:
    return Heading(text=heading.text, key=heading.key, placed_in=key)
