"""Reads of reviews, scoped to what the reader may see, and of a review's timeline."""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone

from agencies.models import Agency, User
from reviews.models import (
    Deadline,
    ReferralAgencyContact,
    Review,
    ReviewGroupObjectPermission,
    ReviewUserObjectPermission,
    StageTransition,
    TermsOfReference,
)
from reviews.permissions.clock import can_see_every_deadline
from reviews.permissions.panel import can_view_panel
from reviews.permissions.review import (
    can_view_all_reviews,
    can_view_every_subject_identity,
    is_agency_lead_of,
)
from reviews.selectors.clock import TargetStatus, review_target_annotate


def _granted(user: User, codename: str) -> Q:
    """Reviews on which the user holds ``codename`` per object, granted to them or to one of
    their groups: what guardian's get_objects_for_user (accept_global_perms=False) finds for
    an active user, as one ``id IN (user's grants UNION group's grants)``. Guardian's own
    ``id IN (...) OR id IN (...)`` casts ids to text and scanned every review twice a page; an
    OR of two EXISTS is costed so high that PostgreSQL compiles it (JIT, 2 s). These tables
    hold only Review's permissions; the permission is a scalar subquery, so the planner does
    not guess one grant from a join and sort every scoped review before the first page."""
    permission = Permission.objects.filter(
        codename=codename, content_type__app_label="reviews"
    ).values("pk")[:1]
    to_user = ReviewUserObjectPermission.objects.filter(
        user=user, permission_id=Subquery(permission)
    ).values("content_object_id")
    to_group = ReviewGroupObjectPermission.objects.filter(
        group__user=user, permission_id=Subquery(permission)
    ).values("content_object_id")
    return Q(pk__in=to_user.union(to_group))


def review_list_visible_to(*, user: User, every_open_deadline: bool = False) -> QuerySet[Review]:
    """Reviews the user may open: all of them for a global viewer, else those granted per object,
    each with its next open deadline (``open_deadlines``), or all of them when asked."""
    if not (user.is_authenticated and user.is_active):
        return Review.objects.none()
    if can_view_all_reviews(user):
        reviews = Review.objects.all()
    else:
        reviews = Review.objects.filter(_granted(user, "view_review"))
    # A review whose records were destroyed is gone from every list and page; only its
    # published report (and the board's tombstone) remain.
    reviews = reviews.filter(records_destroyed_at__isnull=True)
    open_deadlines = Deadline.objects.filter(state=Deadline.State.OPEN).order_by("due_on", "id")
    if not can_see_every_deadline(user):
        # What a worker was sent to comment on is their agency's and the author's: the next
        # deadline shown must not tell anyone else (another agency's lead) that it exists.
        open_deadlines = open_deadlines.exclude(
            Q(kind=Deadline.Kind.PRACTITIONER_COMMENTS) & ~Q(owner_agency__leads_group__user=user)
        )
    if not every_open_deadline:
        # Pages show a review's next deadline only. A national review holds hundreds open, and
        # reading them all for a page of 25 reviews was half the list's time.
        open_deadlines = open_deadlines[:1]
    return reviews.select_related("decision").prefetch_related(
        Prefetch("deadlines", queryset=open_deadlines, to_attr="open_deadlines")
    )


# "Awaiting decision": at the referral stage with no decision yet; a filter beside the stages.
AWAITING_DECISION = "awaiting_decision"

# The columns the list sorts by (``sort=name``, or ``-name`` for descending): nothing else from
# the query string reaches order_by. The lifecycle's order, not the alphabet, sorts stages.
_STAGE_ORDER = Case(
    *(When(stage=stage, then=Value(n)) for n, stage in enumerate(Review.Stage.values)),
    output_field=IntegerField(),
)
REVIEW_SORTS: dict[str, tuple] = {
    "reference": (F("reference"),),
    "pseudonym": (Lower("subject_reference"), F("reference")),
    "type": (F("framework"), F("reference")),
    "stage": (_STAGE_ORDER, F("reference")),
    "referred": (F("referred_on"), F("id")),
    "target": (F("days_left"), F("reference")),
}
REVIEW_SORT_DEFAULT = "-referred"


def _ordering(sort: str) -> list:
    """order_by() terms for an allowlisted sort key (anything else: the default); rows without
    a target sort last either way. Only the target can be null: NULLS LAST on the other
    columns would stop PostgreSQL using the list's index (review_newest, DESC)."""
    if sort.removeprefix("-") not in REVIEW_SORTS:
        sort = REVIEW_SORT_DEFAULT
    terms = REVIEW_SORTS[sort.removeprefix("-")]
    nulls = {"nulls_last": True} if sort.removeprefix("-") == "target" else {}
    if sort.startswith("-"):
        return [term.desc(**nulls) for term in terms]
    return [term.asc(**nulls) for term in terms]


def _involving(agency: Agency) -> Q:
    """Reviews the agency referred, is known to be involved in, or is in scope for."""
    involved = Review.agencies_involved.through.objects.filter(agency_id=agency.pk)
    in_scope = TermsOfReference.agencies_in_scope.through.objects.filter(agency_id=agency.pk)
    return (
        Q(referring_agency=agency)
        | Q(pk__in=involved.values("review_id"))
        | Q(pk__in=in_scope.values("termsofreference__review_id"))
    )


def _matching(user: User, text: str) -> Q:
    """Reviews whose reference or pseudonym contains ``text``, or whose subject's real name
    does for the reviews where the user may see the subject's identity."""
    found = Q(reference__icontains=text) | Q(subject_reference__icontains=text)
    by_name = Q(subject_identity__full_name__icontains=text)
    if can_view_every_subject_identity(user):
        return found | by_name
    return found | (by_name & _granted(user, "view_subject_identity"))


# What the list's rows show of each review (the export reads references only).
REVIEW_LIST_COLUMNS = (
    "id",
    "reference",
    "subject_reference",
    "framework",
    "review_type",
    "stage",
    "referred_on",
)


def review_list(
    *,
    user: User,
    stage: str = "",
    framework: str = "",
    agency: Agency | None = None,
    overdue: bool = False,
    target: str = "",
    search: str = "",
    sort: str = REVIEW_SORT_DEFAULT,
    with_target: bool = True,
) -> QuerySet[Review]:
    """The review list, each review with its target (reviews.selectors.clock), filtered by
    stage (or AWAITING_DECISION), review type, agency, an overdue deadline, status against
    target (open reviews only) and a search when given, and sorted by a REVIEW_SORTS key.
    ``with_target=False`` leaves the target out where neither the filter nor the sort reads
    it: to count the list and pick a page's reviews, without joining every review in scope to
    its target and decision and working out its clock."""
    # Only the columns the list shows (a review's row is ~800 bytes with its circumstances,
    # which made a lead's sort spill to disk), and not the decision's.
    reviews = review_list_visible_to(user=user).select_related(None).only(*REVIEW_LIST_COLUMNS)
    if with_target or target or sort.removeprefix("-") == "target":
        reviews = review_target_annotate(reviews)
    if stage == AWAITING_DECISION:
        reviews = reviews.filter(stage=Review.Stage.REFERRAL, decision__isnull=True)
    elif stage:
        reviews = reviews.filter(stage=stage)
    if framework:
        reviews = reviews.filter(framework=framework)
    if agency is not None:
        reviews = reviews.filter(_involving(agency))
    if overdue:
        late = Deadline.objects.filter(state=Deadline.State.OPEN, due_on__lt=timezone.localdate())
        reviews = reviews.filter(pk__in=late.values("review_id"))
    if target:
        reviews = reviews.filter(Q(target_status=target)).exclude(stage=Review.Stage.CLOSED)
    if search:
        reviews = reviews.filter(_matching(user, search))
    return reviews.order_by(*_ordering(sort))


def review_get_for_detail(*, user: User, reference: str) -> Review | None:
    """One review with everything its page shows, or None if the user may not see it."""
    review = (
        review_list_visible_to(user=user)
        .select_related("referring_agency", "subject_identity", "decision", "rapid_review")
        .prefetch_related(
            "agencies_involved",
            Prefetch(
                "agency_contacts",
                queryset=ReferralAgencyContact.objects.select_related("agency"),
            ),
        )
        .filter(reference=reference)
        .first()
    )
    if review is not None:
        _people_attach(review)
    return review


def _people_attach(review: Review) -> None:
    """Read the people the review's page names (who referred it in the service, closed it,
    decided, recorded the decision and the rapid review) in one query. Joined to the review,
    five joins of the people table took PostgreSQL 5 ms to plan, for 0.4 ms of work."""
    decision = getattr(review, "decision", None)
    rapid = getattr(review, "rapid_review", None)
    holders = [
        (review, "created_by"),
        (review, "closed_by"),
        (decision, "decided_by"),
        (decision, "recorded_by"),
        (rapid, "recorded_by"),
    ]
    named = [(obj, field) for obj, field in holders if obj is not None]
    ids = {getattr(obj, f"{field}_id") for obj, field in named} - {None}
    people = User.objects.in_bulk(ids)
    for obj, field in named:
        setattr(obj, field, people.get(getattr(obj, f"{field}_id")))


def review_moved_to(*, user: User, reference: str) -> str | None:
    """The reference now of a review the user may see that had ``reference`` until its
    decision gave it its type's; None if there is none."""
    if not reference:
        return None
    return (
        review_list_visible_to(user=user)
        .filter(former_reference=reference)
        .values_list("reference", flat=True)
        .first()
    )


@dataclass(frozen=True)
class AccessFold:
    """Access changes recorded between two stage changes, shown folded as one line of the
    timeline (newest first)."""

    events: list[StageTransition]

    @property
    def newest(self) -> StageTransition:
        return self.events[0]

    @property
    def oldest(self) -> StageTransition:
        return self.events[-1]


def timeline_for(
    *, review: Review, user: User, kinds: Collection[str] = ()
) -> list[StageTransition | AccessFold]:
    """The review's timeline, newest first, as the user may see it: every line for the panel
    (and the board manager, chair and author); for anyone else, an agency lead, the stage
    changes and their own agency's events. Only the ``kinds`` asked for, if any. Two or more
    access changes between the same two stage changes fold into one line."""
    events = review.transitions.select_related("actor").order_by("-at", "-id")
    if not can_view_panel(user, review):
        milestones = Q(kind=StageTransition.Kind.STAGE)
        agency_id = user.agency_id
        if agency_id is not None and is_agency_lead_of(user, agency_id):
            milestones |= Q(agency_id=agency_id)
        events = events.filter(milestones)
    if kinds:
        events = events.filter(kind__in=kinds)
    lines: list[StageTransition | list[StageTransition]] = []
    fold: list[StageTransition] | None = None
    for event in events:  # newest first: a fold stands where its newest change is
        if event.kind == StageTransition.Kind.ACCESS:
            if fold is None:
                fold = []
                lines.append(fold)
            fold.append(event)
            continue
        if event.kind == StageTransition.Kind.STAGE:
            fold = None
        lines.append(event)
    return [_line(line) for line in lines]


def _line(line: StageTransition | list[StageTransition]) -> StageTransition | AccessFold:
    if isinstance(line, StageTransition):
        return line
    return line[0] if len(line) == 1 else AccessFold(line)


EXPORT_HEADER = (
    "Reference",
    "Pseudonym",
    "Type",
    "Stage",
    "Referred on",
    "Decided on",
    "Target date",
    "Against target",
    "Days to target",
    "Clock stopped on",
    "Next deadline",
    "Next deadline due",
    "Overdue deadlines",
)
_EXPORT_CHUNK = 500


def _export_row(review: Any, today: date) -> list:
    """One row of the export (``review`` as review_target_annotate and the list leave it)."""
    deadlines = review.open_deadlines
    upcoming = deadlines[0] if deadlines else None
    decision = getattr(review, "decision", None)
    return [
        review.reference,
        review.subject_reference,
        review.type_profile.short_name,
        review.get_stage_display(),
        review.referred_on.isoformat(),
        decision.decided_on.isoformat() if decision else "",
        review.target_due.isoformat() if review.target_due else "",
        TargetStatus(review.target_status).label,
        review.days_left.days if review.target_due else "",
        review.clock_stopped_on.isoformat() if review.clock_stopped_on else "",
        upcoming.get_kind_display() if upcoming else "",
        upcoming.due_on.isoformat() if upcoming else "",
        sum(1 for deadline in deadlines if deadline.due_on < today),
    ]


def review_export_rows(*, user: User, references: list[str]) -> Iterator[list]:
    """The export of the review list: a header, then a row for each of ``references`` (the
    list as it was logged, in its order) that the user may still see, read in chunks."""
    yield list(EXPORT_HEADER)
    today = timezone.localdate()
    for start in range(0, len(references), _EXPORT_CHUNK):
        chunk = references[start : start + _EXPORT_CHUNK]
        reviews = review_target_annotate(
            review_list_visible_to(user=user, every_open_deadline=True)
        )
        found = {review.reference: review for review in reviews.filter(reference__in=chunk)}
        yield from (_export_row(found[ref], today) for ref in chunk if ref in found)
