"""What apps above publication add to a report's page on the public site (a learning brief
published with the report), without publication importing them: each registers, in its
AppConfig.ready(), a function of the listed publication that returns its links (as
reviews/gates.py does for the stages' gates). The links are to public pages only."""

from collections.abc import Callable
from typing import NamedTuple

from publication.models import Publication


class PublicLink(NamedTuple):
    text: str
    url: str


PublicExtra = Callable[[Publication], list[PublicLink]]

_EXTRAS: list[PublicExtra] = []


def public_extra_register(extra: PublicExtra) -> PublicExtra:
    """Add a source of links to the public report page (once, however often it is called)."""
    if extra not in _EXTRAS:
        _EXTRAS.append(extra)
    return extra


def public_extras(publication: Publication) -> list[PublicLink]:
    """The links every registered source gives for a listed publication, in the order they
    registered."""
    return [link for extra in _EXTRAS for link in extra(publication)]
