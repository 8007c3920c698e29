"""Writes of the publication plan (what is published and when, the notice to the national
bodies counted backwards from the planned date, and the chair's approval) and of the review's
pseudonym map."""

import re
import uuid
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from publication.checks import approvable_version
from publication.models import PseudonymEntry, PublicationPlan
from publication.selectors import review_identifiers
from reviews.gates import PUBLICATION_APPROVAL, gate_unmet
from reviews.identifiers import Identifier
from reviews.models import Deadline, Review, StageTransition
from reviews.selectors.handoffs import board_managers, chairs
from reviews.services.clock import deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.review import (
    check_not_future,
    review_lock,
    timeline_event_record,
)
from reviews.workdays import add_working_days
from scr.versions import check_unchanged

PUBLICATION = StageTransition.Kind.PUBLICATION


def notice_due_on(*, review: Review, planned_on: date) -> date | None:
    """When the national bodies must have the report, counted back from the planned
    publication date by the review type's notice period; None if it sets none."""
    notice = review.type_profile.publication_notice
    if notice is None:
        return None
    number, unit = notice
    if unit == "working_days":
        return add_working_days(planned_on, -number, settings.SCR_JURISDICTION)
    return planned_on - timedelta(days=number)


def _lock(review: Review) -> Review:
    review = review_lock(review)
    if review.stage != Review.Stage.PUBLICATION:
        raise ValidationError("Publication is planned once the action plan is agreed")
    return review


def _notice_period_text(review: Review) -> str:
    number, unit = review.type_profile.publication_notice
    return f"{number} {'working days' if unit == 'working_days' else 'days'}"


@transaction.atomic
def publication_plan_save(
    *,
    review: Review,
    actor: User,
    form: str,
    planned_on: date | None,
    rationale: str,
    version: int | None = None,
) -> PublicationPlan:
    """Set what will be published and when; opens (or moves) the notice to the national bodies,
    and withdraws any earlier approval by the chair."""
    review = _lock(review)
    plan = PublicationPlan.objects.filter(review=review).first() or PublicationPlan(review=review)
    check_unchanged(plan, version, what="The publication plan")
    if form != PublicationPlan.Form.FULL and not rationale.strip():
        raise ValidationError({"rationale": "Explain why the full report will not be published"})
    if form == PublicationPlan.Form.NONE:
        planned_on = None
    elif planned_on is None:
        raise ValidationError({"planned_on": "Enter the planned publication date"})
    elif planned_on <= timezone.localdate():
        raise ValidationError({"planned_on": "Planned publication date must be in the future"})
    due_on = notice_due_on(review=review, planned_on=planned_on) if planned_on else None
    if due_on and due_on < timezone.localdate() and not plan.national_bodies_sent_on:
        raise ValidationError(
            {
                "planned_on": "Planned publication date must leave "
                f"{_notice_period_text(review)} for the national bodies to have the report"
            }
        )
    was_approved = plan.is_approved
    plan.form, plan.planned_on, plan.rationale = form, planned_on, rationale.strip()
    plan.approved_by, plan.approved_at, plan.updated_by = None, None, actor
    plan.approved_version, plan.approval_digest = None, ""
    if was_approved:
        plan.approval_withdrawn_reason = f"the plan was changed by {actor}"
    reason = "plan changed: approval withdrawn" if was_approved else "plan saved"
    plan._history_user, plan._change_reason = actor, reason
    plan.save()
    if due_on and not plan.national_bodies_sent_on:
        deadline_open(
            review=review, kind=Deadline.Kind.PUBLICATION_NOTICE, due_on=due_on, actor=actor
        )
    elif form == PublicationPlan.Form.NONE:
        deadline_close(
            review=review,
            kind=Deadline.Kind.PUBLICATION_NOTICE,
            actor=actor,
            state=Deadline.State.WAIVED,
        )
    summary = f"Publication plan: {plan.get_form_display().lower()}"
    if planned_on:
        summary += f" on {planned_on:%-d %B %Y}"
    timeline_event_record(
        review=review, kind=PUBLICATION, actor=actor, summary=summary, reason=rationale
    )
    handoff_notify(
        "plan_awaits_approval",
        review=review,
        actor=actor,
        people=chairs(),
        text=f"the publication plan ({plan.get_form_display().lower()}) awaits your approval",
        url=reverse("publication:plan", args=[review.reference]),
    )
    return plan


@transaction.atomic
def publication_notice_record(*, review: Review, actor: User, sent_on: date) -> PublicationPlan:
    """Record the day the report went to the national bodies; meets the notice deadline."""
    review = _lock(review)
    plan = PublicationPlan.objects.filter(review=review).first()
    if plan is None or plan.form == PublicationPlan.Form.NONE:
        raise ValidationError("Plan the publication first")
    check_not_future(sent_on, field="sent_on", label="Date the report was sent")
    plan.national_bodies_sent_on = sent_on
    plan._history_user, plan._change_reason = actor, "report sent to the national bodies"
    plan.save()
    deadline_close(review=review, kind=Deadline.Kind.PUBLICATION_NOTICE, actor=actor)
    timeline_event_record(
        review=review,
        kind=PUBLICATION,
        actor=actor,
        summary="Report sent to the national bodies before publication",
        occurred_on=sent_on,
    )
    return plan


@transaction.atomic
def publication_approve(
    *,
    review: Review,
    actor: User,
    version: int | None = None,
    publication_version: int | None = None,
) -> PublicationPlan:
    """The chair approves the publication plan as she read it (``version``) and, unless it is
    not to publish, the publication version she read (``publication_version``, its number; the
    latest if none): the approval is bound to a digest of that version's text with the plan's
    form and date. Refused for a plan changed since, a check not met yet (the family not yet
    shown the report: see reviews.gates), and a version that is not the latest, not of the
    agreed overview report, or with hits of the identifier check not resolved."""
    review = _lock(review)
    plan = PublicationPlan.objects.select_for_update().filter(review=review).first()
    if plan is None:
        raise ValidationError("There is no publication plan to approve")
    check_unchanged(plan, version, what="The publication plan", nothing="approved")
    if plan.is_approved:
        raise ValidationError("The publication plan is already approved")
    if plan.updated_by_id == actor.pk:
        raise ValidationError(
            "You made the last change to this plan: another person must approve it"
        )
    if unmet := gate_unmet(PUBLICATION_APPROVAL, review=review):
        raise ValidationError(unmet)
    approved = approvable_version(review, plan, publication_version)
    plan.approved_by, plan.approved_at = actor, timezone.now()
    plan.approved_version, plan.approval_digest = approved, plan.approval_digest_of(approved)
    plan.approval_withdrawn_reason = ""
    plan._history_user, plan._change_reason = actor, "approved by the chair"
    plan.save()
    timeline_event_record(
        review=review,
        kind=PUBLICATION,
        actor=actor,
        summary=f"Publication plan approved: {plan.get_form_display().lower()}"
        + (f" (publication version {approved.number})" if approved else ""),
    )
    handoff_notify(
        "publication_approved",
        review=review,
        actor=actor,
        people=board_managers(),
        text=f"the chair approved the publication plan ({plan.get_form_display().lower()})",
        url=reverse("publication:plan", args=[review.reference]),
    )
    return plan


def _check_entry(
    review: Review, *, real_value: str, replacement: str, entry: PseudonymEntry | None = None
) -> None:
    errors = {}
    if not real_value:
        errors["real_value"] = "Enter the real name, place, organisation or date"
    if not replacement:
        errors["replacement"] = "Enter what the report calls it instead"
    elif real_value and replacement.casefold() == real_value.casefold():
        errors["replacement"] = "The replacement must not be the real value"
    others = PseudonymEntry.objects.filter(review=review, real_value__iexact=real_value)
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    if real_value and others.exists():
        errors["real_value"] = "This real value is in the map already"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pseudonym_add(
    *,
    review: Review,
    actor: User,
    real_value: str,
    replacement: str,
    kind: str,
    submission: uuid.UUID | None = None,
) -> PseudonymEntry:
    """Add an entry to the review's map by hand (a school, a GP practice, a street); a repeat
    of the same submission returns the entry it made. Raises ValidationError for an empty or
    repeated real value (any case) or a replacement that is the real value."""
    review = review_lock(review)
    if submission and (made := PseudonymEntry.objects.filter(submission=submission).first()):
        return made
    real_value, replacement = real_value.strip(), replacement.strip()
    _check_entry(review, real_value=real_value, replacement=replacement)
    entry = PseudonymEntry(
        review=review,
        real_value=real_value,
        replacement=replacement,
        kind=kind,
        source=PseudonymEntry.Source.BOARD_MANAGER,
        created_by=actor,
        submission=submission,
    )
    entry._history_user, entry._change_reason = actor, "added by hand"
    entry.save()
    return entry


@transaction.atomic
def pseudonym_change(
    *,
    entry: PseudonymEntry,
    actor: User,
    real_value: str,
    replacement: str,
    kind: str,
    version: int | None = None,
) -> PseudonymEntry:
    """Change an entry of the map as the person read it (``version``); refused if it changed
    since, and for the same mistakes as ``pseudonym_add``."""
    review = review_lock(entry.review)
    entry = PseudonymEntry.objects.select_for_update().get(pk=entry.pk)
    check_unchanged(entry, version, what="The entry")
    real_value, replacement = real_value.strip(), replacement.strip()
    _check_entry(review, real_value=real_value, replacement=replacement, entry=entry)
    entry.real_value, entry.replacement, entry.kind = real_value, replacement, kind
    entry._history_user, entry._change_reason = actor, "changed"
    entry.save()
    return entry


@transaction.atomic
def pseudonym_remove(
    *, entry: PseudonymEntry, actor: User, version: int | None = None
) -> PseudonymEntry:
    """Remove an entry from the map (its history keeps who removed it); refused if it changed
    since the person read it."""
    review_lock(entry.review)
    entry = PseudonymEntry.objects.select_for_update().get(pk=entry.pk)
    check_unchanged(entry, version, what="The entry", nothing="removed")
    entry._history_user, entry._change_reason = actor, "removed"
    entry.delete()
    return entry


def _numbered(found: list[Identifier], taken: set[str], subject: str) -> list[Identifier]:
    """Replacements shared by different people numbered ("Sibling 1", "Sibling 2"), with
    numbers the map uses already skipped; the subject's names all stay the subject's."""
    counts = Counter(item.replacement.casefold() for item in found)
    numbered = []
    for item in found:
        name = item.replacement
        used = re.compile(rf"{re.escape(name.casefold())}( \d+)?")
        in_use = any(used.fullmatch(other) for other in taken)
        if name == subject or (counts[name.casefold()] == 1 and not in_use):
            numbered.append(item)
            taken.add(name.casefold())
            continue
        number = 1
        while f"{name} {number}".casefold() in taken or (number == 1 and name.casefold() in taken):
            number += 1
        taken.add(f"{name} {number}".casefold())
        numbered.append(item._replace(replacement=f"{name} {number}"))
    return numbered


@transaction.atomic
def pseudonyms_fill(*, review: Review, actor: User) -> list[PseudonymEntry]:
    """Add to the review's map every identifying detail its records hold that the map lacks
    (see ``review_identifiers``): only real values not in it yet (any case), so filling twice
    adds nothing. Returns the entries added."""
    review = review_lock(review)
    existing = PseudonymEntry.objects.filter(review=review).values_list("real_value", "replacement")
    known = {value.casefold() for value, _ in existing}
    new = []
    for item in review_identifiers(review=review):
        value = item.real_value.strip()
        if value.casefold() not in known:
            known.add(value.casefold())
            new.append(item._replace(real_value=value, replacement=item.replacement.strip()))
    taken = {replacement.casefold() for _, replacement in existing}
    added = []
    for item in _numbered(new, taken, review.subject_reference):
        entry = PseudonymEntry(
            review=review,
            real_value=item.real_value,
            replacement=item.replacement,
            kind=item.kind,
            source=item.source,
            created_by=actor,
        )
        entry._history_user = actor
        entry._change_reason = f"filled from the review's records ({entry.get_source_display()})"
        entry.save()
        added.append(entry)
    return added
