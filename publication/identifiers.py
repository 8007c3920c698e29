"""The identifier check: where a text names what a review's pseudonym map holds.

``identifier_hits(text, entries)`` is a pure function: it finds every real value of the map and
its variants, whole words only, in any case and with or without accents:

- any value, possessive too ("Leo's", "Farrant's" with a curly apostrophe too);
- a person's names alone (each of a multi-word name's words of three letters or more: "Leo",
  "Farrant") and initials (capitals) with the surname ("L. Farrant", "L Farrant", "L. J.
  Farrant");
- a UK postcode inside any value, without its space or in lower case ("NS42QT", "ns4 2qt");
- a place's street line with and without its number ("12 Mill Lane", "Mill Lane");
- a date written other ways ("17/02/2024", "17.2.24", "17th February 2024", "February 17,
  2024", "17 Feb 2024", "2024-02-17").

Each entry's variants are escaped and joined into one alternation of literals, so a regular
expression never backtracks more than the length of a value: the check is linear in the text.
An entry none of whose variants' first words appear in the text is skipped without a regular
expression at all.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

CONTEXT = 60  # characters shown either side of a hit
MIN_NAME_PART = 3  # a name's word shorter than this ("Al", "Bo") is not searched for alone

POSTCODE = re.compile(r"(?<!\w)([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})(?!\w)", re.I)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.I)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d/%m/%y",
    "%d.%m.%y",
    "%B %d, %Y",
    "%B %d %Y",
    "%b %d, %Y",
)
_MONTHS = [date(2000, month, 1).strftime("%B").lower() for month in range(1, 13)]
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class Entry(Protocol):
    """What the check needs of a pseudonym map's entry (``publication.models.PseudonymEntry``)."""

    @property
    def real_value(self) -> str: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Hit:
    """A place in the text that names an entry: the words found, where, and the text around."""

    entry: Entry
    matched: str
    start: int
    end: int
    before: str
    after: str


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """The character without its accents (é → e), if that leaves one character."""
    bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return bare if len(bare) == 1 else char


def fold(text: str) -> str:
    """The text without accents, character for character (so positions stay the same)."""
    return _NON_ASCII.sub(lambda m: _fold_char(m.group()), text)


def _words(value: str) -> list[str]:
    return value.split()


# A variant: its regular expression, and a word it cannot match without (in lower case), tried
# on the text first; "" when there is none to try.
Variant = tuple[str, str]


def _literal(words: Sequence[str]) -> Variant:
    """Words in order, any whitespace (a line break too) between them."""
    pattern = r"\s+".join(re.escape(word) for word in words)
    return pattern, max(words, key=len).lower()


def _initial(name: str) -> str:
    """A name's initial, in capitals only: "a Stone" is not "A. Stone"."""
    return rf"(?-i:{re.escape(name[0].upper())})"


def _person_variants(words: list[str]) -> list[Variant]:
    found = [_literal([word]) for word in words if sum(c.isalpha() for c in word) >= MIN_NAME_PART]
    if len(words) > 1:
        given, surname = words[:-1], words[-1]
        key = surname.lower()
        found.append((rf"{_initial(given[0])}\.?\s*{re.escape(surname)}", key))
        if len(given) > 1:
            initials = r"\.?\s*".join(_initial(name) for name in given)
            found.append((rf"{initials}\.?\s*{re.escape(surname)}", key))
    return found


def _postcode_variants(value: str) -> list[Variant]:
    return [
        (rf"{re.escape(outward)}\s*{re.escape(inward)}", inward.lower())
        for outward, inward in POSTCODE.findall(value)
    ]


def _place_variants(value: str) -> list[Variant]:
    """A street line of an address, with and without its number: "12 Mill Lane", "Mill Lane"."""
    found = []
    for part in re.split(r"[,\n]", value):
        words = _words(POSTCODE.sub("", part))
        if len(words) > 1 and words[0][:1].isdigit():
            found.append(_literal(words))
            if len(words) > 2:
                found.append(_literal(words[1:]))
    return found


def parse_date(value: str) -> date | None:
    """The date a value writes, in any of the usual ways, or None."""
    text = " ".join(_ORDINAL.sub("", value.strip().rstrip(".")).split())
    text = re.sub(r"(?i)\bsept\b", "Sep", text)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _date_variants(day: date) -> list[Variant]:
    d = rf"0?{day.day}" if day.day < 10 else str(day.day)
    m = rf"0?{day.month}" if day.month < 10 else str(day.month)
    year = rf"(?:{day.year}|{day.year % 100:02d})"
    name = _MONTHS[day.month - 1]
    september = r"|sept\.?" if day.month == 9 else ""
    month = rf"(?:{name}|{name[:3]}\.?{september})"
    ordinal = r"(?:st|nd|rd|th)?"
    patterns = [
        *(rf"{d}{sep}{m}{sep}{year}" for sep in ("/", r"\.", "-")),
        rf"{day.year}-{m}-{d}",
        rf"{day.year}/{m}/{d}",
        rf"{d}{ordinal}\s+(?:of\s+)?{month},?\s+{year}",
        rf"{month}\s+{d}{ordinal},?\s+{year}",
    ]
    # Every way of writing the date ends its year with the same two digits.
    return [(pattern, f"{day.year % 100:02d}") for pattern in patterns]


def variants(value: str, kind: str) -> list[Variant]:
    """The variants an entry is found by (escaped literals and dates' patterns), longest first."""
    value = fold(unicodedata.normalize("NFC", value))
    words = _words(value)
    if not words:
        return []
    found = [_literal(words)]
    if kind == "person":
        found += _person_variants(words)
    if kind == "place":
        found += _place_variants(value)
    if kind == "date" and (day := parse_date(value)):
        found += _date_variants(day)
    found += _postcode_variants(value)
    return sorted(set(found), key=lambda variant: len(variant[0]), reverse=True)


def entry_pattern(found: list[Variant]) -> re.Pattern[str]:
    """One alternation of an entry's variants, whole words, possessive or not."""
    alternation = "|".join(pattern for pattern, _ in found)
    return re.compile(rf"(?<!\w)(?:{alternation})(?:['\u2019]s?)?(?!\w)", re.IGNORECASE)


def _may_occur(found: list[Variant], lowered: str) -> bool:
    """Whether a variant's word is in the text (always true of a word that is not ASCII, whose
    case the regular expression may fold differently)."""
    return any(not key or not key.isascii() or key in lowered for _, key in found)


def identifier_hits(text: str, entries: Iterable[Entry]) -> list[Hit]:
    """Every place the text names an entry's real value or a variant of it, in the order they
    come in the text (positions in the text as given, composed to NFC), with ``CONTEXT``
    characters either side."""
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    lowered = folded.lower()
    hits = []
    for entry in entries:
        found = variants(entry.real_value, entry.kind)
        if not found or not _may_occur(found, lowered):
            continue
        for match in entry_pattern(found).finditer(folded):
            start, end = match.span()
            hits.append(
                Hit(
                    entry=entry,
                    matched=text[start:end],
                    start=start,
                    end=end,
                    before=text[max(0, start - CONTEXT) : start],
                    after=text[end : end + CONTEXT],
                )
            )
    return sorted(hits, key=lambda hit: (hit.start, -hit.end))


def hits_by_entry(hits: Iterable[Hit]) -> list[tuple[Entry, list[Hit]]]:
    """The hits grouped by the entry they name, entries in the order of their first hit."""
    groups: dict[int, tuple[Entry, list[Hit]]] = {}
    for hit in hits:
        groups.setdefault(id(hit.entry), (hit.entry, []))[1].append(hit)
    return list(groups.values())
