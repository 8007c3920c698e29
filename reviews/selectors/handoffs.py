"""Who must act next on a review, how each person wants to hear of it, and what waits for each
person: the work items of "My tasks"."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role, User
from outbox.models import Email
from outbox.permissions import can_manage_outbox
from reviews.frameworks import TYPES, Framework, profile_for, type_profile_for
from reviews.handoffs import Delivery, Kind
from reviews.models import (
    AuthorAppointment,
    CommentRound,
    DeliveryPreference,
    PanelMember,
    PractitionerComment,
    ReportRequest,
    Review,
)
from reviews.permissions.review import holds


def people_in_role(role: str) -> QuerySet[User]:
    """The active people holding a role across the board (board managers, chairs)."""
    return User.objects.filter(is_active=True, groups__name=role).distinct()


def board_managers() -> QuerySet[User]:
    return people_in_role(Role.BOARD_MANAGER)


def chairs() -> QuerySet[User]:
    return people_in_role(Role.CHAIR)


def review_panel_members(*, review: Review) -> QuerySet[User]:
    """The people seated on the review's panel now."""
    seated = PanelMember.objects.filter(review=review, status=PanelMember.Status.SEATED)
    return User.objects.filter(is_active=True, pk__in=seated.values("person_id"))


def review_author(*, review: Review) -> QuerySet[User]:
    """The review's current independent author (none, or one person)."""
    current = AuthorAppointment.objects.filter(review=review, ended_at__isnull=True)
    return User.objects.filter(is_active=True, pk__in=current.values("person_id"))


def review_agencies_in_scope(*, review: Review) -> list[int]:
    """The agencies asked for a management report in the review: its agencies in scope."""
    return list(review.report_requests.values_list("agency_id", flat=True))


def delivery_preferences(*, person: User) -> dict[str, str]:
    """How the person receives each kind of news: an email at once unless they chose a
    digest."""
    chosen = dict(DeliveryPreference.objects.filter(person=person).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Delivery.AT_ONCE) for kind in Kind.values}


def digest_choosers(*, kind: str, people: list[int]) -> set[int]:
    """Those of ``people`` who chose a daily digest for ``kind``."""
    return set(
        DeliveryPreference.objects.filter(
            person_id__in=people, kind=kind, delivery=Delivery.DIGEST
        ).values_list("person_id", flat=True)
    )


@dataclass(frozen=True)
class WorkItem:
    """Something waiting for a person: what to do, in which review, where, and by when (or
    since when, for what has no deadline of its own)."""

    what: str
    reference: str
    url: str
    since: date
    due_on: date | None = None
    detail: str = ""

    @property
    def is_overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def urgency(self) -> tuple:
        """Overdue first, then by due date, then what has waited longest."""
        return (not self.is_overdue, self.due_on or date.max, self.since)


@dataclass(frozen=True)
class WorkList:
    """The most urgent of what waits for a person, and how many things wait in all."""

    items: list[WorkItem]
    total: int


# A source is asked for its ``limit`` most urgent items (all of them when None).
WorkSource = Callable[[User, int | None], WorkList]
_SOURCES: list[WorkSource] = []


def work_source(source: WorkSource) -> WorkSource:
    """Register a source of work items: a function of the person and a limit returning the
    most urgent items waiting for them (most_urgent_first()) and how many there are, in one
    query whatever the number of reviews. An app above reviews registers its own in its
    AppConfig.ready(); registering one twice keeps it once."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def work_list_for(*, user: User, limit: int | None = None) -> WorkList:
    """What waits for the person, most urgent first: the first ``limit`` things (all when
    None), and how many there are in all."""
    # Each source sends its own most urgent ``limit`` in the order WorkItem.urgency sorts,
    # so the most urgent ``limit`` of all are among them.
    lists = [source(user, limit) for source in _SOURCES]
    items = sorted((item for found in lists for item in found.items), key=lambda i: i.urgency)
    return WorkList(items[:limit], sum(found.total for found in lists))


def most_urgent_first(
    rows: QuerySet, *, limit: int | None, since: str, due: str | None = None
) -> tuple[list[tuple], int]:
    """The rows (a values_list() query) of a work source in WorkItem.urgency's order (overdue
    first, then by the ``due`` field, then by the ``since`` field), the first ``limit`` (all
    when None), and how many rows there are in all, counted in the same query."""
    # Overdue is due before today, so the due date's order puts it first. A day's order is
    # that of its moments, and the pk decides between equals: the first rows here are the
    # first of all as Python sorts them by urgency.
    order = [F(due).asc(nulls_last=True)] if due is not None else []
    # A missing since (no stage move recorded) counts as today: after every earlier day.
    order += [F(since).asc(nulls_last=True), F("pk").asc()]
    counted = rows.annotate(work_total=Window(Count("*"))).order_by(*order)
    found = list(counted[:limit] if limit is not None else counted)
    total = found[0][-1] if found else 0
    return [row[:-1] for row in found], total


NOTHING = WorkList([], 0)


def stage_reached() -> Max:
    """When a review reached its stage: its last stage move (events that move no stage, such
    as access granted, do not count)."""
    return Max("transitions__at", filter=~Q(transitions__to_stage=""))


def _day(moment: datetime | None) -> date:
    return timezone.localdate(moment) if moment else timezone.localdate()


def _with_panel() -> Q:
    """Reviews of a type that has a panel (decided reviews only: a referral has no type yet)."""
    query = Q(pk__in=[])
    for (framework, review_type), profile in TYPES.items():
        if profile.has_panel:
            query |= Q(framework=framework, review_type=review_type)
    return query & Q(decision__isnull=False)


_RAPID_REVIEW_FRAMEWORKS = [
    framework for framework in Framework if profile_for(framework).rapid_review_working_days
]


@work_source
def _decisions(user: User, limit: int | None) -> WorkList:
    if not holds(user, "reviews.record_decision"):
        return NOTHING
    waiting = (
        Review.objects.filter(stage=Review.Stage.REFERRAL, decision__isnull=True)
        .exclude(framework__in=_RAPID_REVIEW_FRAMEWORKS, rapid_review__isnull=True)
        .values_list("reference", "referred_on")
    )
    rows, total = most_urgent_first(waiting, limit=limit, since="referred_on")
    items = [
        WorkItem("Make the threshold decision", ref, _url("reviews:decide", ref), since)
        for ref, since in rows
    ]
    return WorkList(items, total)


@work_source
def _authors_to_appoint(user: User, limit: int | None) -> WorkList:
    if not holds(user, "reviews.appoint_author"):
        return NOTHING
    waiting = (
        Review.objects.filter(
            _with_panel(),
            stage__in=[Review.Stage.PANEL, Review.Stage.AGENCY_REPORTS, Review.Stage.OVERVIEW],
        )
        .exclude(pk__in=AuthorAppointment.objects.filter(ended_at__isnull=True).values("review_id"))
        .values_list("reference", "decision__decided_on")
    )
    rows, total = most_urgent_first(waiting, limit=limit, since="decision__decided_on")
    items = [
        WorkItem("Appoint the independent overview author", ref, _url("reviews:author", ref), on)
        for ref, on in rows
    ]
    return WorkList(items, total)


@work_source
def _stage_steps_for_managers(user: User, limit: int | None) -> WorkList:
    """What the board manager does to move a review on: convene its panel, agree its overview
    report once comments are closed, agree its action plan."""
    if not holds(user, "reviews.manage_panel"):
        return NOTHING
    open_rounds = CommentRound.objects.filter(review=OuterRef("pk"), closed_at__isnull=True)
    reviews = (
        Review.objects.filter(
            Q(stage=Review.Stage.PANEL)
            | Q(stage=Review.Stage.OVERVIEW, comment_rounds__closed_at__isnull=False)
            | Q(stage=Review.Stage.ACTION_PLAN)
        )
        .exclude(Exists(open_rounds))
        .annotate(last_change=stage_reached())
        .distinct()
        .values_list("reference", "stage", "last_change", "framework", "review_type")
    )
    rows, total = most_urgent_first(reviews, limit=limit, since="last_change")
    steps: dict[str, tuple[str, str]] = {
        Review.Stage.PANEL: (
            "Convene the panel, set the terms of reference and request the reports",
            "reviews:panel",
        ),
        Review.Stage.OVERVIEW: ("Agree the overview report", "reviews:overview"),
        Review.Stage.ACTION_PLAN: ("Add the actions and agree the action plan", "reviews:actions"),
    }
    no_panel = (
        "Set the terms of reference and request the agency's management report",
        "reviews:panel",
    )
    items = []
    for ref, stage, at, framework, review_type in rows:
        what, name = steps[stage]
        if stage == Review.Stage.PANEL and not type_profile_for(framework, review_type).has_panel:
            what, name = no_panel
        items.append(WorkItem(what, ref, _url(name, ref), _day(at)))
    return WorkList(items, total)


def _seated_in(user: User):
    return PanelMember.objects.filter(person=user, status=PanelMember.Status.SEATED).values(
        "review_id"
    )


def _author_of(user: User):
    return AuthorAppointment.objects.filter(person=user, ended_at__isnull=True).values("review_id")


@work_source
def _reports_to_decide(user: User, limit: int | None) -> WorkList:
    reports = (
        ReportRequest.objects.filter(status=ReportRequest.Status.SUBMITTED)
        .filter(Q(review_id__in=_seated_in(user)) | Q(review_id__in=_author_of(user)))
        .values_list("pk", "review__reference", "agency__name", "submitted_at")
    )
    rows, total = most_urgent_first(reports, limit=limit, since="submitted_at")
    items = [
        WorkItem(
            f"Accept or return the management report from {agency}",
            ref,
            _url("reviews:report", ref, pk),
            _day(at),
        )
        for pk, ref, agency, at in rows
    ]
    return WorkList(items, total)


@work_source
def _reports_returned(user: User, limit: int | None) -> WorkList:
    if user.agency_id is None or not user.groups.filter(name=Role.AGENCY_LEAD).exists():
        return NOTHING
    reports = ReportRequest.objects.filter(
        status=ReportRequest.Status.RETURNED, agency_id=user.agency_id
    ).values_list("pk", "review__reference", "due_on", "decided_at", "comments")
    rows, total = most_urgent_first(reports, limit=limit, since="decided_at", due="due_on")
    items = [
        WorkItem(
            "Revise the returned management report and submit it again",
            ref,
            _url("reviews:report", ref, pk),
            _day(at),
            due_on=due_on,
            detail=comments,
        )
        for pk, ref, due_on, at, comments in rows
    ]
    return WorkList(items, total)


@work_source
def _drafts_to_comment_on(user: User, limit: int | None) -> WorkList:
    """Open rounds of comments on the panels the person sits on, until they comment (agency
    leads see theirs as their agency's deadline)."""
    rounds = (
        CommentRound.objects.filter(closed_at__isnull=True, review_id__in=_seated_in(user))
        .exclude(comments__author=user)
        .values_list("review__reference", "draft__number", "due_on", "opened_at")
    )
    rows, total = most_urgent_first(rounds, limit=limit, since="opened_at", due="due_on")
    items = [
        WorkItem(
            f"Comment on draft {number} of the overview report",
            ref,
            _url("reviews:overview", ref),
            _day(at),
            due_on=due_on,
        )
        for ref, number, due_on, at in rows
    ]
    return WorkList(items, total)


@work_source
def _drafts_to_write(user: User, limit: int | None) -> WorkList:
    reviews = (
        Review.objects.filter(
            stage=Review.Stage.OVERVIEW,
            pk__in=_author_of(user),
            overview_drafts__isnull=True,
        )
        .annotate(since=stage_reached())
        .values_list("reference", "since")
    )
    rows, total = most_urgent_first(reviews, limit=limit, since="since")
    items = [
        WorkItem(
            "Write the overview report and upload the first draft",
            ref,
            _url("reviews:overview", ref),
            _day(at),
        )
        for ref, at in rows
    ]
    return WorkList(items, total)


@work_source
def _practitioner_comments_to_record(user: User, limit: int | None) -> WorkList:
    """Passages sent to a worker of the lead's agency: pass them on, record the answer."""
    agency_id = user.agency_id
    if agency_id is None or not user.groups.filter(name=Role.AGENCY_LEAD).exists():
        return NOTHING
    waiting = PractitionerComment.objects.filter(
        status=PractitionerComment.Status.SENT, interview__request__agency_id=agency_id
    ).values_list(
        "pk", "interview__request__review__reference", "interview__worker_role", "due_on", "sent_at"
    )
    rows, total = most_urgent_first(waiting, limit=limit, since="sent_at", due="due_on")
    items = [
        WorkItem(
            f"Pass the passages about their practice to {role} and record their comments",
            ref,
            _url("reviews:practitioner_comment", ref, pk),
            _day(at),
            due_on=due_on,
        )
        for pk, ref, role, due_on, at in rows
    ]
    return WorkList(items, total)


@work_source
def _practitioner_comments_lapsed(user: User, limit: int | None) -> WorkList:
    """For the author: passages whose date passed with nothing recorded."""
    lapsed = PractitionerComment.objects.filter(
        status=PractitionerComment.Status.SENT,
        due_on__lt=timezone.localdate(),
        interview__request__review_id__in=_author_of(user),
    ).values_list(
        "pk",
        "interview__request__review__reference",
        "interview__worker_role",
        "interview__request__agency__name",
        "due_on",
    )
    rows, total = most_urgent_first(lapsed, limit=limit, since="due_on", due="due_on")
    items = [
        WorkItem(
            f"No comments yet from {role} of {agency}: wait, or record that none came",
            ref,
            _url("reviews:practitioner_comment", ref, pk),
            due_on,
            due_on=due_on,
        )
        for pk, ref, role, agency, due_on in rows
    ]
    return WorkList(items, total)


@work_source
def _emails_failed(user: User, limit: int | None) -> WorkList:
    if not can_manage_outbox(user):
        return NOTHING
    # One item however many emails failed, so no limit cuts it.
    failed = Email.objects.filter(status=Email.Status.FAILED).aggregate(
        count=Count("pk"), since=Min("created_at")
    )
    if not failed["count"]:
        return NOTHING
    count = failed["count"]
    item = WorkItem(
        f"{count} email{'s' if count != 1 else ''} could not be sent: check and send again",
        "",
        reverse("outbox:list"),
        _day(failed["since"]),
    )
    return WorkList([item], 1)


def _url(name: str, *args) -> str:
    return reverse(name, args=args)
