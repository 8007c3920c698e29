"""The pseudonym map applied to report HTML, and the identifier check of a publication version.

Pure functions over texts and entries (no database):

- ``replace_in_html``: every real value of the map, and every variant ``identifier_hits`` finds
  (possessive, first name alone, a date written another way…), replaced in the HTML's text
  only, never inside a tag; where hits overlap, the longest wins.
- ``version_hits``: the hits of the map's entries and of the workers' names in a version's
  text, each with a stable key (which entry or worker, a digest of the words found, which
  occurrence) and its context. A worker's name is never shown: the words found, and any
  worker's name in the context, read "[worker's name]".
- ``body_to_text``/``text_to_body``: a full publication's body (each section under an ``<h2>``)
  to and from the writing form, a section's heading written ``# `` before it.
"""

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape, unescape

from publication.identifiers import Entry, Hit, identifier_hits
from scr.richtext import html_to_text, text_to_html

MASK = "[worker's name]"
CONTEXT = 60
SECTION = "# "

_TAG = re.compile(r"(<[^>]*>)")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_H2 = re.compile(r"<h2>(.*?)</h2>", re.S)


@dataclass(frozen=True)
class WorkerName:
    """A worker's name the review holds (an interview's worker, the referrer), to be found in a
    text but never shown: ``label`` says whose it is ("interview 2, Police")."""

    real_value: str
    kind: str
    ref: str
    label: str


@dataclass(frozen=True)
class VersionHit:
    """A place a version's text names an entry of the map or a worker: ``matched``, ``before``
    and ``after`` already masked where they hold a worker's name."""

    key: str
    entry: Entry | None
    worker: WorkerName | None
    matched: str
    before: str
    after: str
    context_digest: str

    @property
    def group(self) -> str:
        """Which entry or worker the hit names (the key without variant and occurrence)."""
        return self.key.rsplit("-", 2)[0]


def _pk(entry: Entry | None) -> object:
    return getattr(entry, "pk", None)


def _longest_first(hits: Iterable[Hit]) -> list[Hit]:
    """The hits to replace: the longest of any that overlap, in the order of the text."""
    chosen: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def replacement_of(hit: Hit) -> str:
    """The entry's replacement, possessive where the words found were ("Child A's")."""
    replacement = getattr(hit.entry, "replacement", MASK)
    suffix = _POSSESSIVE.search(hit.matched)
    if suffix and not _POSSESSIVE.search(hit.entry.real_value):
        return replacement + suffix.group()
    return replacement


def replace_in_text(text: str, entries: Sequence[Entry], replace: Callable[[Hit], str]) -> str:
    """The text with each hit of ``entries`` replaced by ``replace(hit)``, longest first."""
    text = unicodedata.normalize("NFC", text)
    out, position, last = [], 0, None
    for hit in _longest_first(identifier_hits(text, entries)):
        gap = text[position : hit.start]
        if last is not None and last.entry is hit.entry and not gap.strip():
            # Parts of one name side by side ("Leo Farrant" of "Leo James Farrant"): replaced
            # once, as the whole of it, keeping a possessive the last part carries.
            out[-1] = replace(hit)
        else:
            out += [gap, replace(hit)]
        position, last = hit.end, hit
    return "".join([*out, text[position:]])


def replace_in_html(
    html: str, entries: Sequence[Entry], replace: Callable[[Hit], str] = replacement_of
) -> str:
    """Report HTML with every hit of ``entries`` replaced in its text, its tags untouched."""
    if not entries:
        return html
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):  # the even parts are text between tags
        if parts[index].strip():
            replaced = replace_in_text(unescape(parts[index]), entries, replace)
            parts[index] = escape(replaced, quote=False)
    return "".join(parts)


def mask_html(html: str, workers: Sequence[WorkerName]) -> str:
    """Report HTML with every worker's name (and its variants) shown as ``MASK``."""
    return replace_in_html(html, workers, lambda hit: MASK)


def mask_text(text: str, workers: Sequence[WorkerName]) -> str:
    """A text with every worker's name shown as ``MASK``."""
    return replace_in_text(text, workers, lambda hit: MASK) if workers else text


def _masked(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with any worker's name in it, even in part, shown as ``MASK``."""
    out, position = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        out += [text[position : max(position, span_start)], MASK]
        position = min(end, max(position, span_end))
    return "".join([*out, text[position:end]])


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def version_hits(
    text: str, entries: Sequence[Entry], workers: Sequence[WorkerName]
) -> list[VersionHit]:
    """Every hit of the map's ``entries`` and of the ``workers``' names in ``text``, in the
    order of the text, keyed and masked (see the module's docstring)."""
    text = unicodedata.normalize("NFC", text)
    worker_hits = identifier_hits(text, workers) if workers else []
    spans = sorted((hit.start, hit.end) for hit in worker_hits)
    hits = sorted([*identifier_hits(text, entries), *worker_hits], key=lambda h: (h.start, -h.end))
    seen: Counter[tuple[str, str]] = Counter()
    found = []
    for hit in hits:
        worker = hit.entry if isinstance(hit.entry, WorkerName) else None
        owner = f"w-{worker.ref}" if worker else f"e{_pk(hit.entry)}"
        variant = _digest(hit.matched.casefold())[:12]
        index = seen[owner, variant]
        seen[owner, variant] += 1
        before_start, after_end = max(0, hit.start - CONTEXT), hit.end + CONTEXT
        found.append(
            VersionHit(
                key=f"{owner}-{variant}-{index}",
                entry=None if worker else hit.entry,
                worker=worker,
                matched=MASK if worker else _masked(text, hit.start, hit.end, spans),
                before=_masked(text, before_start, hit.start, spans),
                after=_masked(text, hit.end, after_end, spans),
                context_digest=_digest(hit.before, hit.matched, hit.after),
            )
        )
    return found


def body_to_text(html: str) -> str:
    """A full publication's body in the writing form: each section's heading after ``# ``."""
    parts = _H2.split(html)
    blocks = [html_to_text(parts[0])] if parts[0].strip() else []
    for index in range(1, len(parts), 2):
        blocks.append(SECTION + unescape(re.sub(r"<[^>]*>", "", parts[index])).strip())
        if text := html_to_text(parts[index + 1]):
            blocks.append(text)
    return "\n\n".join(blocks)


def text_to_body(text: str) -> str:
    """A full publication's body from the writing form: a line ``# Heading`` starts a section
    (``<h2>``); what is under it is report HTML (``text_to_html``)."""
    heading = re.compile(rf"^{re.escape(SECTION)}(?!#)(.+)$", re.M)
    parts = heading.split(text.replace("\r\n", "\n"))
    html = [text_to_html(parts[0])] if parts[0].strip() else []
    for index in range(1, len(parts), 2):
        html.append(f"<h2>{escape(parts[index].strip(), quote=False)}</h2>")
        html.append(text_to_html(parts[index + 1]) if parts[index + 1].strip() else "")
    return "".join(html)
