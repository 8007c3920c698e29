"""Reads of a review's publication plan and pseudonym map, and the publication steps waiting for
a person."""

import re

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from agencies.permissions import permitted
from publication.models import (
    BoardResponse,
    PseudonymEntry,
    Publication,
    PublicationPlan,
    PublicationVersion,
    Theme,
)
from publication.permissions import can_view_board_response, can_view_pseudonyms
from reviews.identifiers import Identifier, one_line, registered_identifiers
from reviews.models import (
    Deadline,
    ReferralFamilyMember,
    Review,
    SubjectIdentity,
)
from reviews.selectors.handoffs import WorkItem, WorkList, most_urgent_first, stage_reached
from reviews.selectors.progress import ProgressStep
from reviews.selectors.progress import Status as ProgressStatus


def publication_plan_get(*, review: Review) -> PublicationPlan | None:
    """The review's publication plan, if one has been made."""
    return PublicationPlan.objects.filter(review=review).first()


def publication_notice_deadline(*, review: Review) -> Deadline | None:
    """The deadline for sending the report to the national bodies before publication."""
    return review.deadlines.filter(kind=Deadline.Kind.PUBLICATION_NOTICE).first()


def publication_plans_to_write(user: User, limit: int | None) -> WorkList:
    """For board managers: the reviews at publication with no plan yet (a work source)."""
    if not (user.is_active and user.has_perm("publication.plan_publication")):
        return WorkList([], 0)
    unplanned = (
        Review.objects.filter(stage=Review.Stage.PUBLICATION, publication_plan__isnull=True)
        .annotate(since=stage_reached())
        .values_list("reference", "since")
    )
    rows, total = most_urgent_first(unplanned, limit=limit, since="since")
    items = [
        WorkItem(
            "Plan the publication",
            ref,
            reverse("publication:plan_edit", args=[ref]),
            timezone.localdate(at),
        )
        for ref, at in rows
    ]
    return WorkList(items, total)


def publication_plans_to_approve(user: User, limit: int | None) -> WorkList:
    """For chairs: the publication plans to approve, but not one they changed last (a work
    source)."""
    if not (user.is_active and user.has_perm("publication.approve_publication")):
        return WorkList([], 0)
    plans = (
        PublicationPlan.objects.filter(
            review__stage=Review.Stage.PUBLICATION, approved_at__isnull=True
        )
        .exclude(updated_by=user)
        .values_list("review__reference", "updated_at", "planned_on")
    )
    rows, total = most_urgent_first(plans, limit=limit, since="updated_at")
    items = [
        WorkItem(
            "Approve the publication plan",
            ref,
            reverse("publication:approve", args=[ref]),
            timezone.localdate(at),
            detail=f"Planned for {planned_on:%-d %B %Y}" if planned_on else "Not to publish",
        )
        for ref, at, planned_on in rows
    ]
    return WorkList(items, total)


def pseudonym_list(*, review: Review) -> QuerySet[PseudonymEntry]:
    """The review's pseudonym map, by kind and replacement."""
    return PseudonymEntry.objects.filter(review=review).select_related("created_by")


def pseudonym_get(*, review: Review, pk: int) -> PseudonymEntry | None:
    """One entry of the review's map; None if there is none with that id in it."""
    return PseudonymEntry.objects.filter(review=review, pk=pk).first()


def _subject_identifiers(review: Review) -> list[Identifier]:
    identity = SubjectIdentity.objects.filter(review=review).first()
    if identity is None:
        return []
    subject, source = review.subject_reference, PseudonymEntry.Source.REFERRAL
    names = [identity.full_name, *re.split(r"[,;\n]", identity.other_names)]
    found = [Identifier(name.strip(), subject, "person", source) for name in names]
    found.append(Identifier(one_line(identity.address), f"{subject}'s home", "place", source))
    for day, what in ((identity.date_of_birth, "birth"), (identity.date_of_death, "death")):
        if day:
            written = f"{day:%-d %B %Y}"
            found.append(Identifier(written, f"{subject}'s date of {what}", "date", source))
    return found


def review_identifiers(*, review: Review) -> list[Identifier]:
    """Every identifying detail the review holds, to fill its pseudonym map from: the subject's
    names, address and dates (the referral), the household the referral named, then what
    registered sources find (the family's records). Workers' names are left out: only their
    own agency sees them (the interviews' rule), and the map is the board manager's and the
    chair's. Empty values are left out; a value may come more than once (the fill keeps the
    first)."""
    household = [
        Identifier(person.name, person.relationship_label, "person", PseudonymEntry.Source.REFERRAL)
        for person in ReferralFamilyMember.objects.filter(review=review).order_by("id")
    ]
    found = _subject_identifiers(review) + household
    found += registered_identifiers(review=review)
    return [item for item in found if item.real_value.strip() and item.replacement.strip()]


def pseudonym_steps(review: Review, user: User) -> list[ProgressStep]:
    """The pseudonym map's line on the review's task list, for those who may see the map: how
    many entries it holds, in one query."""
    allowed = can_view_pseudonyms(user, review)
    count = permitted(PseudonymEntry.objects.filter(review=review), allowed=allowed).count()
    if not allowed:
        return []
    status = ProgressStatus.IN_PROGRESS if count else ProgressStatus.NOT_STARTED
    hint = f"{count} {'entry' if count == 1 else 'entries'}" if count else "No entries yet"
    url = reverse("publication:pseudonyms", args=[review.reference])
    return [ProgressStep("pseudonyms", "Pseudonym map", status, hint, url)]


def publication_list() -> QuerySet[Publication]:
    """Every publication the board has made, newest first, listed or removed, with its review,
    version, who published and removed it, and its themes: for the board manager and the
    chair."""
    return Publication.objects.select_related(
        "review", "version", "published_by", "removed_by"
    ).prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))


def publication_list_of_review(*, review: Review) -> QuerySet[Publication]:
    """The review's publications, newest first."""
    return publication_list().filter(review=review)


def publication_of_review_get(*, review: Review, pk: int) -> Publication | None:
    """One publication of the review; None if it has none with that id."""
    return publication_list_of_review(review=review).filter(pk=pk).first()


def theme_list() -> QuerySet[Theme]:
    """The board's themes by name, each with how many publications are found under it."""
    return Theme.objects.annotate(used=Count("publications")).order_by("name")


def publication_version_latest(*, review: Review) -> PublicationVersion | None:
    """The review's newest publication version: the one the chair may approve and the board
    manager corrects or publishes."""
    return (
        PublicationVersion.objects.filter(review=review)
        .select_related("created_by", "overview_version")
        .order_by("-number")
        .first()
    )


def publication_version_list(*, review: Review) -> QuerySet[PublicationVersion]:
    """Every publication version of the review, newest first, with who made it."""
    return (
        PublicationVersion.objects.filter(review=review)
        .select_related("created_by", "overview_version")
        .order_by("-number")
    )


def publication_of(*, review: Review) -> Publication | None:
    """The review's publication on the public site (the newest, if published more than once)."""
    return (
        Publication.objects.filter(review=review)
        .select_related("version", "published_by")
        .order_by("-published_at", "-id")
        .first()
    )


def publication_done(review: Review) -> list[str]:
    """What is missing before the review's publication is done: nothing once the report is on
    the public site, or once the chair approved a plan not to publish it."""
    if Publication.objects.filter(review=review).exists():
        return []
    plan = publication_plan_get(review=review)
    if plan is not None and plan.form == PublicationPlan.Form.NONE:
        if plan.is_approved:
            return []
        return ["The chair has not approved the decision not to publish the report"]
    return ["The report has not been published"]


def board_response_get(*, review: Review) -> BoardResponse | None:
    """The board's response to the review's report, drafted or agreed; None before a draft."""
    return (
        BoardResponse.objects.filter(review=review)
        .select_related("updated_by", "agreed_recorded_by")
        .first()
    )


def board_response_steps(review: Review, user: User) -> list[ProgressStep]:
    """The board's response's line on the review's task list, for those who may read it: not
    drafted, drafted, or agreed, in one query."""
    allowed = can_view_board_response(user, review)
    responses = permitted(BoardResponse.objects.filter(review=review), allowed=allowed)
    response = responses.only("agreed_on").first()
    if not allowed:
        return []
    if response is None:
        status, hint = ProgressStatus.NOT_STARTED, "Not drafted yet"
    elif response.is_agreed:
        status, hint = ProgressStatus.COMPLETED, f"Agreed on {response.agreed_on:%-d %B %Y}"
    else:
        status, hint = ProgressStatus.IN_PROGRESS, "Drafted, not agreed yet"
    url = reverse("publication:response", args=[review.reference])
    return [ProgressStep("board_response", "The board's response", status, hint, url)]
