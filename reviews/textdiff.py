"""Two texts compared, for the report's versions side by side: what was removed from the first
and what was added in the second.

difflib matches the texts sentence by sentence first (a paragraph moved or rewritten reads as
whole sentences), then word by word inside each run of sentences that changed, so that one word
corrected in a long paragraph marks that word and not the paragraph. Whitespace is kept as it
was, but a change of spacing alone is no change.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, REMOVED, ADDED = "same", "removed", "added"
# Past this many words on the two sides of a changed run, the run is shown as removed and added
# whole: word matching is quadratic at worst.
_WORD_DIFF_MOST = 4000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*")
_WORD = re.compile(r"\s+|\S+\s*")


@dataclass(frozen=True)
class Piece:
    """A run of text, the same on both sides, removed from the first or added in the second."""

    text: str
    change: str = SAME


def _sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _key(token: str) -> str:
    return " ".join(token.split())


def _opcodes(before: list[str], after: list[str]):
    keys = ([_key(token) for token in before], [_key(token) for token in after])
    return SequenceMatcher(None, *keys, autojunk=False).get_opcodes()


def _add(pieces: list[Piece], text: str, change: str) -> None:
    """Append, joining a run to the one before it when both are the same kind."""
    if not text:
        return
    if pieces and pieces[-1].change == change:
        pieces[-1] = Piece(pieces[-1].text + text, change)
    else:
        pieces.append(Piece(text, change))


def _diff(before: list[str], after: list[str], left: list[Piece], right: list[Piece], *, words):
    for op, i1, i2, j1, j2 in _opcodes(before, after):
        old, new = "".join(before[i1:i2]), "".join(after[j1:j2])
        if op == "equal":
            _add(left, old, SAME)
            _add(right, new, SAME)
        elif op == "replace" and words:
            old_words, new_words = _WORD.findall(old), _WORD.findall(new)
            if len(old_words) + len(new_words) <= _WORD_DIFF_MOST:
                _diff(old_words, new_words, left, right, words=False)
                continue
            _add(left, old, REMOVED)
            _add(right, new, ADDED)
        else:
            _add(left, old, REMOVED)
            _add(right, new, ADDED)


def text_diff(before: str, after: str) -> tuple[list[Piece], list[Piece]]:
    """The first text with what was removed marked, and the second with what was added
    marked; joined up, each side's pieces are its text exactly."""
    left: list[Piece] = []
    right: list[Piece] = []
    _diff(_sentences(before), _sentences(after), left, right, words=True)
    return left, right
