"""Where a review's identifying details are kept, for its pseudonym map to be filled from.

The map (publication/) reads the review's own records itself; an app above reviews that keeps
more of them (families/: the family's records) registers a source in its AppConfig.ready(),
since publication may not import it. A source is a function of the review returning
``Identifier`` rows, in the order they should be numbered.
"""

from collections.abc import Callable
from typing import NamedTuple

from reviews.models import Review


class Identifier(NamedTuple):
    """A real value that identifies someone or somewhere, and what to call it instead."""

    real_value: str
    replacement: str  # "Mother"; numbered when several share it ("Sibling 1", "Sibling 2")
    kind: str  # publication.models.PseudonymEntry.Kind
    source: str  # publication.models.PseudonymEntry.Source


Source = Callable[[Review], list[Identifier]]
SOURCES: list[Source] = []


def identifier_source(source: Source) -> Source:
    """Register a source of a review's identifiers (once, however often it is called)."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def registered_identifiers(*, review: Review) -> list[Identifier]:
    """What every registered source finds in the review, in the order they registered."""
    return [found for source in SOURCES for found in source(review)]


def one_line(address: str) -> str:
    """An address written over several lines, on one: "12 Mill Lane, Northshire NS4 2QT"."""
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())
