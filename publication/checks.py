"""Reads that judge a publication version: the identifier check of its text against the map and
the workers' names, its plain English, and whether the chair's approval of it holds."""

from dataclasses import dataclass, field

import textstat
from django.conf import settings
from django.core.exceptions import ValidationError

from publication.anonymise import VersionHit, WorkerName, version_hits
from publication.identifiers import Entry
from publication.models import (
    BoardResponse,
    HitResolution,
    PseudonymEntry,
    PublicationPlan,
    PublicationVersion,
)
from publication.selectors import publication_version_latest
from reviews.models import Interview, Review
from reviews.selectors.overview import agreed_overview_version
from scr.richtext import plain_text


def _kind_of(name: str) -> str:
    """A name written as a person's (each word capitalised) is searched for by its parts too;
    anything else ("Named Nurse for Safeguarding") only as written."""
    words = name.split()
    capitalised = all(word[:1].isupper() for word in words)
    return "person" if 1 < len(words) <= 4 and capitalised else "other"


def worker_names(*, review: Review) -> list[WorkerName]:
    """The workers' names the review holds, each once (any case): each interviewed worker
    (numbered within their agency's report, in the order held; a name written as a person's is
    found by its parts too), the referrer and the safeguarding lead the referrer consulted
    (found as written). Only their agency sees them: the identifier check
    looks for them and shows only whose they are."""
    found: list[WorkerName] = []
    interviews = (
        Interview.objects.filter(request__review=review)
        .select_related("request__agency")
        .order_by("request__agency__name", "request_id", "held_on", "id")
    )
    numbers: dict[int, int] = {}
    for interview in interviews:
        number = numbers[interview.request_id] = numbers.get(interview.request_id, 0) + 1
        label = f"interview {number}, {interview.request.agency.name}"
        found.append(
            WorkerName(
                interview.worker_name.strip(),
                _kind_of(interview.worker_name),
                f"i{interview.pk}",
                label,
            )
        )
    # The referral's names are often a role typed in ("Designated Safeguarding Lead"): found
    # only as written, or every "safeguarding" in a report would be a worker's name.
    agency = review.referring_agency.name
    for value, ref, whose in (
        (review.referrer_name, "referrer", "the referrer"),
        (review.lead_consulted_name, "lead", "the safeguarding lead the referrer consulted"),
    ):
        found.append(WorkerName(value.strip(), "other", ref, f"{whose}, {agency}"))
    kept: dict[str, WorkerName] = {}
    for worker in found:
        if worker.real_value and worker.real_value.casefold() not in kept:
            kept[worker.real_value.casefold()] = worker
    return list(kept.values())


def version_text(version: PublicationVersion) -> str:
    """What the public would read of a version, as plain text: title, summary, body."""
    parts = [version.title, plain_text(version.summary_html), plain_text(version.body_html)]
    return "\n\n".join(part for part in parts if part)


@dataclass
class HitGroup:
    """The hits of one entry of the map, or of one worker's name."""

    entry: Entry | None
    worker: WorkerName | None
    hits: list[tuple[VersionHit, HitResolution | None]] = field(default_factory=list)


@dataclass
class VersionCheck:
    """The identifier check of a version: each hit with its resolution, if marked."""

    version: PublicationVersion
    hits: list[tuple[VersionHit, HitResolution | None]]

    @property
    def unresolved(self) -> list[VersionHit]:
        return [hit for hit, resolution in self.hits if resolution is None]

    @property
    def carried(self) -> list[HitResolution]:
        return [r for _, r in self.hits if r is not None and r.carried_from_id]

    @property
    def groups(self) -> list[HitGroup]:
        groups: dict[str, HitGroup] = {}
        for hit, resolution in self.hits:
            group = groups.setdefault(hit.group, HitGroup(hit.entry, hit.worker))
            group.hits.append((hit, resolution))
        return list(groups.values())

    def hit(self, key: str) -> tuple[VersionHit, HitResolution | None] | None:
        return next((pair for pair in self.hits if pair[0].key == key), None)


def version_check(version: PublicationVersion) -> VersionCheck:
    """Check the version's text against the review's map as it is now and the workers' names;
    a resolution counts only for a hit with the same key and the same context."""
    review = version.review
    entries = list(PseudonymEntry.objects.filter(review=review))
    hits = version_hits(version_text(version), entries, worker_names(review=review))
    resolutions = {
        r.key: r for r in version.resolutions.select_related("resolved_by", "carried_from")
    }
    paired = []
    for hit in hits:
        resolution = resolutions.get(hit.key)
        if resolution is not None and resolution.context_digest != hit.context_digest:
            resolution = None
        paired.append((hit, resolution))
    return VersionCheck(version, paired)


@dataclass(frozen=True)
class Readability:
    """The executive summary's Flesch reading ease beside the board's target (advisory)."""

    score: float
    target: int
    words_per_sentence: float

    @property
    def meets_target(self) -> bool:
        return self.score >= self.target


def readability(version: PublicationVersion) -> Readability | None:
    """The plain English of the version's executive summary; None when it has no words."""
    text = plain_text(version.summary_html)
    if not text.strip():
        return None
    return Readability(
        score=round(textstat.flesch_reading_ease(text), 1),
        target=settings.SCR_READABILITY_TARGET,
        words_per_sentence=round(textstat.words_per_sentence(text), 1),
    )


def proposed_title(review: Review) -> str:
    """The title a new publication version is offered: "Child A: Serious Case Review report"."""
    return f"{review.subject_reference}: {review.type_profile.label} report"


def _hits_message(count: int) -> str:
    return (
        f"{count} {'hit' if count == 1 else 'hits'} of the identifier check "
        f"{'is' if count == 1 else 'are'} not resolved: correct the text or mark "
        f"{'it' if count == 1 else 'them'} not identifying"
    )


def version_problems(review: Review, version: PublicationVersion | None) -> list[str]:
    """Why ``version`` cannot be approved or published as the text of the review's report:
    not the newest, not made from the agreed overview report, or hits not resolved."""
    if version is None:
        return ["Make the publication version of the report first"]
    problems = []
    latest = publication_version_latest(review=review)
    if latest is not None and latest.pk != version.pk:
        problems.append(f"Version {version.number} is not the latest (version {latest.number})")
    agreed = agreed_overview_version(review)
    if agreed is None or agreed.pk != version.overview_version_id:
        problems.append(
            f"Version {version.number} was not made from the overview report as agreed: "
            "make a new publication version"
        )
    if unresolved := version_check(version).unresolved:
        problems.append(_hits_message(len(unresolved)))
    return problems


def approval_is_current(plan: PublicationPlan) -> bool:
    """Whether the chair's approval still holds: given, and bound to the text and plan as they
    are (the digest recomputed equals the one recorded)."""
    if not plan.is_approved or not plan.approval_digest:
        return False
    return plan.approval_digest == plan.approval_digest_of(plan.approved_version)


def approvable_version(
    review: Review, plan: PublicationPlan, number: int | None
) -> PublicationVersion | None:
    """The publication version the chair approves with the plan (``number``, or the latest;
    none for a plan not to publish). Raises ValidationError with every reason it cannot be."""
    if plan.form == PublicationPlan.Form.NONE:
        return None
    latest = publication_version_latest(review=review)
    version = latest
    if number is not None and latest is not None and number != latest.number:
        version = review.publication_versions.filter(number=number).first()
    if problems := version_problems(review, version):
        raise ValidationError(problems)
    return version


def response_hits(review: Review, text: str) -> list[VersionHit]:
    """Where the board's response (``text``, as written) names an entry of the review's map
    or a worker: what the publication version is checked for, since the response is published
    beside it. The response has no "not identifying" marks: a hit is corrected in the text."""
    entries = list(PseudonymEntry.objects.filter(review=review))
    return version_hits(text, entries, worker_names(review=review))


def response_hits_message(count: int) -> str:
    return (
        f"The board's response names {count} "
        f"{'identifier' if count == 1 else 'identifiers'} of the pseudonym map or a worker: "
        "it is published with the report"
    )


def response_problems(review: Review) -> list[str]:
    """Why the board's response stops the report being published: not agreed at a board
    meeting, or holding what the identifier check finds (the map may have grown since)."""
    response = BoardResponse.objects.filter(review=review).first()
    if response is None or not response.is_agreed:
        return ["Record the board's response agreed at a board meeting"]
    if hits := response_hits(review, response.text):
        return [response_hits_message(len(hits))]
    return []
