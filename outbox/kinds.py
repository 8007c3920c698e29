"""The kinds of email the outbox sends, each registered by the app that owns its wording.

The outbox sits below every app and imports none of them: an app registers a renderer for each
kind it queues in its ``AppConfig.ready()``. A renderer takes the recipient and the row's
context and returns the message to send, or None when it is no longer needed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage

Renderer = Callable[[Any, dict[str, Any]], EmailMessage | None]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    render: Renderer


_KINDS: dict[str, Kind] = {}


def kind_register(name: str, *, label: str, render: Renderer) -> None:
    """Say how to write emails of kind ``name``; ``label`` names the kind to board managers."""
    _KINDS[name] = Kind(name=name, label=label, render=render)


def kind_get(name: str) -> Kind:
    """The registered kind; raises LookupError for a kind no app registered."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No app registered the email kind {name!r}") from None


def kind_label(name: str) -> str:
    """What board managers see for a kind; the raw name if it is not (or no longer) known."""
    kind = _KINDS.get(name)
    return kind.label if kind else name


_SWEEP_STEPS: list[Callable[[], int]] = []


def sweep_step_register(step: Callable[[], int]) -> None:
    """Run ``step`` at the start of every sweep: it queues emails that should have been queued
    and were not (e.g. a request to an agency that had no lead then); returns how many."""
    if step not in _SWEEP_STEPS:
        _SWEEP_STEPS.append(step)


def sweep_steps() -> tuple[Callable[[], int], ...]:
    """The registered sweep steps, in the order they were registered."""
    return tuple(_SWEEP_STEPS)


def subject_line(text: str) -> str:
    """An email subject on one line: line breaks and other control characters (which would
    start a new header) become spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
