"""Reads of the processes running beside a review, and of what they hold back: the clock, the
family's records and the publication checks read these, not flags of their own."""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from django.db.models import F, QuerySet
from django.urls import reverse

from agencies.models import User
from agencies.permissions import permitted
from reviews.models import ParallelProcess, Review
from reviews.permissions.parallel import can_view_parallel
from reviews.selectors.progress import PANEL, ProgressStep, Status

# What a running process can hold back: its field, and the words for it.
EFFECTS = {
    "stops_clock": "stops the clock",
    "pauses_family_contact": "pauses contact with the family",
    "holds_publication": "holds publication",
}

# Each kind as a sentence names it, and whether it takes "run" (plural) or "runs".
_PHRASES = {
    ParallelProcess.Kind.CRIMINAL: ("criminal proceedings", True),
    ParallelProcess.Kind.INQUEST: ("an inquest", False),
    ParallelProcess.Kind.DOMESTIC_HOMICIDE_REVIEW: ("a domestic homicide review", False),
    ParallelProcess.Kind.DISCIPLINARY: ("disciplinary action", False),
    ParallelProcess.Kind.REGULATORY: ("regulatory action", False),
    ParallelProcess.Kind.OTHER: ("another process", False),
}


class Hold(NamedTuple):
    """What holds something back: the running processes, in words, and since when."""

    what: str  # "criminal proceedings run", "an inquest and regulatory action run"
    since: date
    processes: list[ParallelProcess]

    def __str__(self) -> str:
        return f"{self.what}, since {self.since:%-d %B %Y}"


def parallel_process_list(*, review: Review) -> QuerySet[ParallelProcess]:
    """The review's parallel processes, running ones first, then by start date, with who
    recorded and ended each."""
    return (
        ParallelProcess.objects.filter(review=review)
        .select_related("created_by", "ended_by")
        .order_by(F("ended_on").desc(nulls_first=True), "started_on", "id")
    )


def parallel_process_get(*, review: Review, pk: int) -> ParallelProcess | None:
    """One parallel process of the review; None if it has none with that id."""
    return ParallelProcess.objects.filter(review=review, pk=pk).first()


def parallel_running(*, review: Review | int, effect: str = "") -> QuerySet[ParallelProcess]:
    """The review's processes still running, with ``effect`` (a key of EFFECTS) if given,
    oldest first."""
    processes = ParallelProcess.objects.filter(review=review, ended_on__isnull=True)
    if effect:
        processes = processes.filter(**{effect: True})
    return processes.order_by("started_on", "id")


def parallel_phrase(processes: Iterable[ParallelProcess]) -> str:
    """The processes in a sentence, with their verb: "criminal proceedings run", "an inquest
    runs", "an inquest and regulatory action run"."""
    phrases: list[str] = []
    plural = False
    for process in processes:
        phrase, many = _PHRASES[ParallelProcess.Kind(process.kind)]
        plural = plural or many
        if phrase not in phrases:
            phrases.append(phrase)
    if len(phrases) > 1:
        plural = True
        phrases = [", ".join(phrases[:-1]), phrases[-1]]
    return f"{' and '.join(phrases)} {'run' if plural else 'runs'}"


def parallel_hold(*, review: Review | int, effect: str, allowed: bool = True) -> Hold | None:
    """What holds back ``effect`` (a key of EFFECTS) now: the running processes with it, in
    words and since the first began; None if nothing does (or not ``allowed``: see
    agencies.permissions.permitted)."""
    processes = list(permitted(parallel_running(review=review, effect=effect), allowed=allowed))
    if not processes:
        return None
    return Hold(parallel_phrase(processes), processes[0].started_on, processes)


def parallel_effects(process: ParallelProcess) -> list[str]:
    """What the process holds back while it runs, in words."""
    return [words for field, words in EFFECTS.items() if getattr(process, field)]


def parallel_process_history(*, process: ParallelProcess) -> QuerySet:
    """Every change to the process, newest first, with who made it and why."""
    return process.history.select_related("history_user").order_by("-history_date", "-history_id")


def parallel_steps(review: Review, user: User) -> list[ProgressStep]:
    """The line of the review's task list for its parallel processes, for those who may see
    them and once one is recorded: what the running ones hold back, or that all have ended."""
    allowed = can_view_parallel(user, review)
    processes = list(permitted(parallel_process_list(review=review), allowed=allowed))
    if not processes:
        return []
    url = reverse("reviews:parallel", args=[review.reference])
    running = [process for process in processes if process.is_running]
    if not running:
        hint = f"{len(processes)} recorded, all ended"
        return [ProgressStep("parallel", "Parallel processes", Status.COMPLETED, hint, url, PANEL)]
    held = [words for field, words in EFFECTS.items() if any(getattr(p, field) for p in running)]
    hint = f"{parallel_phrase(running).capitalize()}, since {running[0].started_on:%-d %B %Y}"
    if held:
        hint += f": {', '.join(held)}"
    return [ProgressStep("parallel", "Parallel processes", Status.IN_PROGRESS, hint, url, PANEL)]
