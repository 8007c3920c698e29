"""Publishing: the board manager puts the approved publication version on the board's public
site, once every check holds at that moment (the map may have grown since the approval)."""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from publication.checks import approval_is_current, response_problems, version_problems
from publication.document_services import public_pdf_kinds, publication_pdf
from publication.models import Publication, PublicationPlan, Theme
from publication.selectors import publication_plan_get
from publication.services import notice_due_on
from reviews.gates import PUBLICATION_APPROVAL, gate_unmet
from reviews.models import Review, StageTransition
from reviews.selectors.handoffs import chairs, review_author
from reviews.selectors.parallel import parallel_hold
from reviews.services.handoffs import handoff_notify
from reviews.services.review import repeated_submission, review_lock, timeline_event_record

LISTED_FOR = relativedelta(months=12)


def _notice_problems(review: Review, plan: PublicationPlan) -> list[str]:
    due_on = notice_due_on(review=review, planned_on=plan.planned_on) if plan.planned_on else None
    if due_on is None:
        return []
    sent_on = plan.national_bodies_sent_on
    if sent_on is None:
        return [f"Record the report sent to the national bodies (due by {due_on:%-d %B %Y})"]
    if sent_on > due_on:
        return [
            f"The national bodies had the report on {sent_on:%-d %B %Y}, after {due_on:%-d %B %Y}"
            ": move the planned publication date so that they have their notice"
        ]
    return []


def publish_problems(review: Review, plan: PublicationPlan | None, today: date) -> list[str]:
    """Everything that stops the review's report being published today, in sentences."""
    if plan is None:
        return ["Plan the publication first"]
    if plan.form == PublicationPlan.Form.NONE:
        return ["The plan is not to publish the report"]
    problems = []
    version = plan.approved_version
    if not approval_is_current(plan):
        withdrawn = plan.approval_withdrawn_reason
        problems.append(
            "The chair has not approved the plan and its publication version"
            + (f" (approval withdrawn because {withdrawn})" if withdrawn else "")
        )
    elif version is not None:
        if Publication.objects.filter(version=version).exists():
            problems.append(f"Version {version.number} has been published already")
        problems += version_problems(review, version)
    problems += response_problems(review)
    problems += gate_unmet(PUBLICATION_APPROVAL, review=review)
    if hold := parallel_hold(review=review, effect="holds_publication"):
        problems.append(f"The report is held while {hold}")
    problems += _notice_problems(review, plan)
    if plan.planned_on and plan.planned_on > today:
        problems.append(
            f"The planned publication date, {plan.planned_on:%-d %B %Y}, has not come yet"
        )
    return problems


@transaction.atomic
def publication_publish(
    *,
    review: Review,
    actor: User,
    themes: list[Theme],
    submission: uuid.UUID | None = None,
) -> Publication:
    """Publish the approved version on the board's public site, listed for 12 months, with its
    themes. Refused unless the chair's approval holds for the text and plan as they are, the
    board's response is agreed and names no one, the family has been shown the report (or why
    not), no running parallel process holds it, the national bodies had their notice, the
    planned date has come and the identifier check, run again now, finds nothing unresolved; a
    version is published once. The review stays at the publication stage."""
    review = review_lock(review)
    if made := repeated_submission(Publication, submission):
        return made
    if review.stage != Review.Stage.PUBLICATION:
        raise ValidationError("A report is published at the publication stage")
    plan = publication_plan_get(review=review)
    now = timezone.now()
    if problems := publish_problems(review, plan, timezone.localdate(now)):
        raise ValidationError(problems)
    version = plan.approved_version if plan else None
    if plan is None or version is None:  # publish_problems refuses both: narrowed for mypy
        raise ValidationError("The chair has not approved a publication version")
    publication = Publication(
        review=review,
        version=version,
        published_at=now,
        published_by=actor,
        listed_until=timezone.localdate(now) + LISTED_FOR,
        submission=submission,
    )
    publication._history_user, publication._change_reason = actor, "published"
    publication.save()
    publication.themes.set(themes)
    # Its PDFs rendered now, so that the first reader does not wait for them.
    for kind in public_pdf_kinds(version):
        publication_pdf(version, kind, actor=actor)
    what = version.get_form_display().lower()
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"Report published on the board's site: {what} (publication version "
        f"{version.number}), listed until {publication.listed_until:%-d %B %Y}",
    )
    handoff_notify(
        "report_published",
        review=review,
        actor=actor,
        people=[*chairs(), *review_author(review=review)],
        text=f"the report is published on the board's site ({what})",
        url=reverse("publication:plan", args=[review.reference]),
    )
    return publication
