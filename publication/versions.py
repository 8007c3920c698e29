"""Writes of the publication version: made from the agreed overview report with the pseudonym
map applied, corrected by the board manager (each correction a new version), and the identifier
check's hits marked "not identifying". A new version withdraws the chair's approval."""

import uuid
from html import escape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from publication.anonymise import (
    body_to_text,
    mask_html,
    mask_text,
    replace_in_html,
    replace_in_text,
    replacement_of,
    text_to_body,
)
from publication.checks import version_check, worker_names
from publication.models import (
    HitResolution,
    PseudonymEntry,
    PublicationPlan,
    PublicationVersion,
)
from publication.selectors import publication_version_latest
from reviews.models import OverviewSection, OverviewVersion, Review, StageTransition
from reviews.selectors.overview import agreed_overview_version
from reviews.services.review import repeated_submission, review_lock, timeline_event_record
from scr.richtext import html_to_text, text_to_html

TITLE_MAX = 200
SUMMARY = OverviewSection.Key.EXECUTIVE_SUMMARY


def _lock(review: Review) -> Review:
    review = review_lock(review)
    if review.stage != Review.Stage.PUBLICATION:
        raise ValidationError("The publication version is made at the publication stage")
    return review


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Enter the title of the published report"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"Title must be {TITLE_MAX} characters or fewer"})
    return title


def _approval_withdraw(review: Review, actor: User, because: str) -> None:
    """Withdraw the chair's approval of the plan, if given, saying why."""
    plan = PublicationPlan.objects.select_for_update().filter(review=review).first()
    if plan is None or not plan.is_approved:
        return
    plan.approved_by, plan.approved_at, plan.approved_version = None, None, None
    plan.approval_digest, plan.approval_withdrawn_reason = "", because
    plan._history_user, plan._change_reason = actor, f"approval withdrawn: {because}"
    plan.save()


def _carry_over(previous: PublicationVersion | None, version: PublicationVersion) -> int:
    """Copy the previous version's resolutions of hits the new version has identically (same
    key, same context); returns how many."""
    if previous is None:
        return 0
    earlier = {r.key: r for r in previous.resolutions.all()}
    carried = 0
    for hit, _ in version_check(version).hits:
        old = earlier.get(hit.key)
        if old is None or old.context_digest != hit.context_digest:
            continue
        resolution = HitResolution(
            version=version,
            key=hit.key,
            context_digest=hit.context_digest,
            reason=old.reason,
            carried_from_id=old.carried_from_id or previous.pk,
            resolved_by_id=old.resolved_by_id,
            resolved_at=old.resolved_at,
        )
        resolution._history_user = version.created_by
        resolution._change_reason = f"carried over from version {previous.number}"
        resolution.save()
        carried += 1
    return carried


def _version_save(
    *,
    review: Review,
    actor: User,
    form: str,
    overview: OverviewVersion,
    title: str,
    summary_html: str,
    body_html: str,
    submission: uuid.UUID | None,
    summary: str,
) -> PublicationVersion:
    previous = publication_version_latest(review=review)
    version = PublicationVersion(
        review=review,
        number=(previous.number + 1) if previous else 1,
        form=form,
        overview_version=overview,
        title=title,
        summary_html=summary_html,
        body_html=body_html,
        digest=PublicationVersion.digest_of(
            form=form, title=title, summary_html=summary_html, body_html=body_html
        ),
        created_by=actor,
        submission=submission,
    )
    version._history_user, version._change_reason = actor, summary
    version.save()
    _carry_over(previous, version)
    _approval_withdraw(
        review, actor, f"a new publication version (version {version.number}) was made"
    )
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"Publication version {version.number}: {summary}",
    )
    return version


@transaction.atomic
def publication_version_make(
    *, review: Review, actor: User, title: str, submission: uuid.UUID | None = None
) -> PublicationVersion:
    """Make a publication version from the agreed overview report in the plan's form (full:
    the executive summary, then every other section under its heading; summary: the executive
    summary only), with the pseudonym map applied to its text and title. Refused without a
    plan, for a plan not to publish, and before the report's text is agreed."""
    review = _lock(review)
    if made := repeated_submission(PublicationVersion, submission):
        return made
    plan = PublicationPlan.objects.filter(review=review).first()
    if plan is None:
        raise ValidationError("Plan the publication before making its version")
    if plan.form == PublicationPlan.Form.NONE:
        raise ValidationError("The plan is not to publish the report: there is nothing to make")
    overview = agreed_overview_version(review)
    if overview is None:
        raise ValidationError("The overview report's text has not been agreed yet")
    sections = {section.key: section.html for section in overview.sections.all()}
    if not sections.get(SUMMARY, "").strip():
        raise ValidationError("The agreed overview report has no executive summary")
    entries = list(PseudonymEntry.objects.filter(review=review))
    body = ""
    if plan.form == PublicationPlan.Form.FULL:
        body = "".join(
            f"<h2>{escape(label, quote=False)}</h2>{replace_in_html(sections[key], entries)}"
            for key, label in OverviewSection.Key.choices
            if key != SUMMARY and sections.get(key, "").strip()
        )
    return _version_save(
        review=review,
        actor=actor,
        form=plan.form,
        overview=overview,
        title=_check_title(replace_in_text(title, entries, replacement_of)),
        summary_html=replace_in_html(sections[SUMMARY], entries),
        body_html=body,
        submission=submission,
        summary=f"made from overview version {overview.number} with the pseudonym map applied",
    )


def version_writing_form(version: PublicationVersion, review: Review) -> dict[str, str]:
    """A version's title, summary and body as the correction form shows them: the writing
    form, with every worker's name shown as "[worker's name]" (never sent to the browser)."""
    workers = worker_names(review=review)
    return {
        "title": mask_text(version.title, workers),
        "summary": html_to_text(mask_html(version.summary_html, workers)),
        "body": body_to_text(mask_html(version.body_html, workers)),
    }


def _same(typed: str, shown: str) -> bool:
    return typed.replace("\r\n", "\n").strip() == shown.strip()


@transaction.atomic
def publication_version_correct(
    *,
    review: Review,
    actor: User,
    title: str,
    summary: str,
    body: str = "",
    version: int | None = None,
) -> PublicationVersion:
    """Save the board manager's corrections as a new version, made from the latest one they
    read (``version``, its number: a version made since refuses the save, code "conflict").
    A part left as the form showed it keeps its HTML; nothing changed is refused."""
    review = _lock(review)
    latest = publication_version_latest(review=review)
    if latest is None:
        raise ValidationError("Make the publication version before correcting it")
    if version is not None and version != latest.number:
        raise ValidationError(
            "Version %(version)s was made by %(who)s after you opened version %(seen)s: "
            "nothing was saved. Check it, then make your corrections again.",
            code="conflict",
            params={"version": latest.number, "who": latest.created_by, "seen": version},
        )
    shown = version_writing_form(latest, review)
    full = latest.form == PublicationVersion.Form.FULL
    parts = {"summary": summary, "body": body if full else ""}
    kept = {name: _same(typed, shown[name]) for name, typed in parts.items()}
    title = _check_title(title)
    if title == latest.title and all(kept.values()):
        raise ValidationError("You have not changed anything: there is no new version to save")
    if not kept["summary"] and not summary.strip():
        raise ValidationError({"summary": "Enter the executive summary"})
    return _version_save(
        review=review,
        actor=actor,
        form=latest.form,
        overview=latest.overview_version,
        title=title,
        summary_html=latest.summary_html if kept["summary"] else text_to_html(summary),
        body_html=latest.body_html if kept["body"] else text_to_body(body),
        submission=None,
        summary=f"corrected from version {latest.number}",
    )


@transaction.atomic
def hit_resolve(
    *, review: Review, actor: User, number: int, key: str, reason: str
) -> HitResolution:
    """Mark a hit of the identifier check on the latest version (number ``number``) as not
    identifying, with the reason. Refused for an older version, a hit the check no longer
    finds or one already marked."""
    review = _lock(review)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this does not identify anyone"})
    latest = publication_version_latest(review=review)
    if latest is None or latest.number != number:
        raise ValidationError("A newer publication version has been made: check that one")
    found = version_check(latest).hit(key)
    if found is None:
        raise ValidationError("The identifier check no longer finds this in the text")
    hit, resolution = found
    if resolution is not None:
        raise ValidationError("This has been marked not identifying already")
    resolution = HitResolution(
        version=latest,
        key=key,
        context_digest=hit.context_digest,
        reason=reason,
        resolved_by=actor,
        resolved_at=timezone.now(),
    )
    resolution._history_user, resolution._change_reason = actor, "marked not identifying"
    resolution.save()
    return resolution
