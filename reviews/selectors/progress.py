"""Where a review stands: its lifecycle as a task list, what happens next and who it waits on.

Nothing here is stored: every status is worked out from the review's records, read for any
number of reviews in the same few queries (``_facts_many``), so that the review page and the
dashboard cost the same whatever the number of agencies, reports or actions.

A stage's steps are those of DESIGN.md §1, less those the review's type or decision leaves
out (no rapid review but for an LCSPR, no panel for a single-agency review). Each step is
for everyone who sees the review (a milestone), for the panel only (its own work: seats, the
author, drafts), or for one agency (its report, its comments, its actions): an agency lead sees
the milestones and their own agency's steps, never another agency's.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from django.db.models import Count, Max
from django.urls import reverse

from agencies.models import User
from reviews.models import (
    Action,
    AuthorAppointment,
    CommentRound,
    DraftComment,
    OverviewDraft,
    OverviewVersion,
    PanelMember,
    Recommendation,
    ReportRequest,
    Review,
    StageTransition,
)
from reviews.permissions.actions import can_view_action_plan
from reviews.permissions.overview import can_view_overview
from reviews.permissions.panel import can_view_panel
from reviews.permissions.referral import (
    can_record_decision,
    can_record_notification,
    can_record_rapid_review,
)
from reviews.permissions.reports import can_request_reports
from reviews.permissions.review import can_view_publication, lead_agencies_in

Stage = Review.Stage
ORDER: list[str] = [stage.value for stage in Stage]
_DONE = (ReportRequest.Status.ACCEPTED, ReportRequest.Status.EXCUSED)
_WITH_AGENCY = (ReportRequest.Status.REQUESTED, ReportRequest.Status.RETURNED)


class Status(StrEnum):
    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not yet started"
    CANNOT_START = "Cannot start yet"


_TAG_CLASSES = {Status.IN_PROGRESS: "govuk-tag--light-blue", Status.NOT_STARTED: "govuk-tag--blue"}

# Who a step is for: everyone who sees the review, or the panel (and board) only. A step for
# one agency carries that agency's id instead.
EVERYONE, PANEL = "everyone", "panel"


@dataclass(frozen=True)
class ProgressStep:
    key: str
    name: str
    status: Status
    hint: str = ""
    url: str | None = None
    audience: str | int = EVERYONE

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag colour of the status; empty for a status shown as plain text."""
        return _TAG_CLASSES.get(self.status, "")


@dataclass(frozen=True)
class ProgressStage:
    stage: str
    number: int
    name: str
    status: Status
    steps: list[ProgressStep]


class NextStep(NamedTuple):
    text: str
    waits_on: str  # a short role or agency phrase; empty for a closed review


@dataclass
class _Facts:
    """What the statuses are worked out from, for one review."""

    review: Review
    reached: set[str] = field(default_factory=set)  # stages the review has moved to
    seated: int = 0
    author: bool = False
    reports: list[ReportRequest] = field(default_factory=list)
    drafts: int = 0
    last_draft: int = 0
    text_version: int = 0  # the latest version of the report's text
    rounds: list[CommentRound] = field(default_factory=list)
    commented: dict[int, set[int]] = field(default_factory=dict)  # round id -> agency ids
    recommendations: int = 0
    unanswered: int = 0
    actions: dict[int, list[str]] = field(default_factory=dict)  # agency id -> statuses

    @property
    def decision(self):
        return getattr(self.review, "decision", None)

    @property
    def plan(self):
        return getattr(self.review, "publication_plan", None)

    @property
    def open_round(self) -> CommentRound | None:
        return next((r for r in self.rounds if r.closed_at is None), None)

    @property
    def has_panel(self) -> bool:
        """A single-agency review has no panel; before the decision, it may yet have one."""
        return self.review.type_profile.has_panel

    @property
    def has_rapid_review(self) -> bool:
        return self.review.profile.rapid_review_working_days is not None

    @property
    def notifies(self) -> bool:
        return self.review.profile.notify_national_bodies_working_days is not None

    def passed(self, stage: str) -> bool:
        """Whether the review has gone beyond ``stage``. A closed review went beyond the
        stages before the last one it reached (and beyond publication, if it got there)."""
        if self.review.stage != Stage.CLOSED:
            return ORDER.index(self.review.stage) > ORDER.index(stage)
        later = ORDER[ORDER.index(stage) + 1 : ORDER.index(Stage.CLOSED)]
        if stage == Stage.PUBLICATION:
            return stage in self.reached
        return any(s in self.reached for s in later)

    @property
    def comment_agencies(self) -> list[tuple[int, str]]:
        """The agencies asked to comment on a draft: every agency with a report."""
        return [(r.agency_id, r.agency.name) for r in self.reports]


def _facts_many(reviews: Iterable[Review]) -> dict[int, _Facts]:
    """The records every status is worked out from, for many reviews in ten queries (one a
    kind of record), whatever their number."""
    ids = [review.pk for review in reviews]
    facts = {
        review.pk: _Facts(review)
        for review in Review.objects.filter(pk__in=ids).select_related(
            "decision", "rapid_review", "terms", "publication_plan"
        )
    }
    for review_id, to_stage in StageTransition.objects.filter(
        review_id__in=ids, kind=StageTransition.Kind.STAGE
    ).values_list("review_id", "to_stage"):
        facts[review_id].reached.add(to_stage)
    seated = PanelMember.objects.filter(review_id__in=ids, status=PanelMember.Status.SEATED)
    for row in seated.values("review_id").annotate(n=Count("id")):
        facts[row["review_id"]].seated = row["n"]
    authors = AuthorAppointment.objects.filter(review_id__in=ids, ended_at__isnull=True)
    for review_id in authors.values_list("review_id", flat=True):
        facts[review_id].author = True
    reports = ReportRequest.objects.filter(review_id__in=ids).select_related("agency")
    for report in reports.order_by("agency__name", "id"):
        facts[report.review_id].reports.append(report)
    drafts = OverviewDraft.objects.filter(review_id__in=ids).values("review_id")
    for row in drafts.annotate(n=Count("id"), last=Max("number")):
        facts[row["review_id"]].drafts, facts[row["review_id"]].last_draft = row["n"], row["last"]
    texts = OverviewVersion.objects.filter(review_id__in=ids).values("review_id")
    for row in texts.annotate(last=Max("number")):
        facts[row["review_id"]].text_version = row["last"]
    _comment_facts(facts, ids)
    _plan_facts(facts, ids)
    return facts


def _comment_facts(facts: dict[int, _Facts], ids: list[int]) -> None:
    rounds = CommentRound.objects.filter(review_id__in=ids).select_related("draft")
    for comment_round in rounds.order_by("opened_at", "id"):
        facts[comment_round.review_id].rounds.append(comment_round)
    commented = DraftComment.objects.filter(round__review_id__in=ids, agency__isnull=False)
    for review_id, round_id, agency_id in commented.values_list(
        "round__review_id", "round_id", "agency_id"
    ).distinct():
        facts[review_id].commented.setdefault(round_id, set()).add(agency_id)


def _plan_facts(facts: dict[int, _Facts], ids: list[int]) -> None:
    recommendations = Recommendation.objects.filter(
        review_id__in=ids, removed_at__isnull=True
    ).annotate(n=Count("actions"))
    for review_id, actions in recommendations.values_list("review_id", "n"):
        facts[review_id].recommendations += 1
        facts[review_id].unanswered += actions == 0
    actions = Action.objects.filter(review_id__in=ids).values("review_id", "agency_id", "status")
    for row in actions.annotate(n=Count("id")):
        statuses = facts[row["review_id"]].actions.setdefault(row["agency_id"], [])
        statuses.extend([row["status"]] * row["n"])


# --- The task list ---


@dataclass(frozen=True)
class _Viewer:
    """What the person looking may open, asked once of the permission predicates."""

    user: User
    panel: bool  # sees the panel's papers (board manager, chair, panel, author)
    own: frozenset[int]  # the agencies whose reports are theirs (an agency lead's)

    def sees(self, step: ProgressStep) -> bool:
        if step.audience == EVERYONE:
            return True
        if step.audience == PANEL:
            return self.panel
        return self.panel or step.audience in self.own


def _viewer(user: User, review: Review) -> _Viewer:
    panel = can_view_panel(user, review)
    own: frozenset[int] = frozenset()
    if not panel:
        own = lead_agencies_in(user, review)
    return _Viewer(user, panel, own)


def _day(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _url(allowed: bool, name: str, review: Review, *args) -> str | None:
    return reverse(name, args=[review.reference, *args]) if allowed else None


def _referral_steps(f: _Facts, viewer: _Viewer) -> list[ProgressStep]:
    review, user = f.review, viewer.user
    steps = [
        ProgressStep(
            "referral",
            "Referral",
            Status.COMPLETED,
            f"Referred {_day(review.referred_on)}",
            "#referral",
        )
    ]
    if f.notifies:
        told = review.national_bodies_notified_on or (
            f.decision.national_bodies_told_on if f.decision else None
        )
        steps.append(
            ProgressStep(
                "notification",
                "National bodies told of the serious incident",
                Status.COMPLETED if told else Status.NOT_STARTED,
                f"Told {_day(told)}" if told else "",
                _url(can_record_notification(user, review), "reviews:notify", review)
                or ("#referral" if told else None),
            )
        )
    if f.has_rapid_review:
        rapid = getattr(review, "rapid_review", None)
        steps.append(
            ProgressStep(
                "rapid_review",
                "Rapid review",
                Status.COMPLETED if rapid else Status.NOT_STARTED,
                f"Held {_day(rapid.held_on)}" if rapid else "",
                _url(can_record_rapid_review(user, review), "reviews:rapid_review", review)
                or ("#rapid-review" if rapid else None),
            )
        )
    steps.append(_decision_step(f, viewer))
    return steps


def _decision_step(f: _Facts, viewer: _Viewer) -> ProgressStep:
    review, decision = f.review, f.decision
    if decision:
        status, hint = Status.COMPLETED, decision.get_outcome_label()
    elif f.has_rapid_review and getattr(review, "rapid_review", None) is None:
        status, hint = Status.CANNOT_START, "Waits for the rapid review"
    else:
        status, hint = Status.NOT_STARTED, ""
    url = _url(can_record_decision(viewer.user, review), "reviews:decide", review)
    return ProgressStep(
        "decision",
        "Threshold decision",
        status,
        hint,
        url or ("#threshold-decision" if decision else None),
    )


def _panel_steps(f: _Facts, viewer: _Viewer) -> list[ProgressStep]:
    review = f.review
    decided = f.decision is not None
    panel_url = _url(viewer.panel, "reviews:panel", review)
    terms = getattr(review, "terms", None)

    def status(done: bool, can_start: bool = True) -> Status:
        if done:
            return Status.COMPLETED
        return Status.NOT_STARTED if decided and can_start else Status.CANNOT_START

    seated_hint = f"{f.seated} seated" if f.seated else ""
    requested = bool(f.reports)
    request_url = _url(can_request_reports(viewer.user, review), "reviews:reports_request", review)
    panel_steps = [
        ProgressStep(
            "seats", "Panel members seated", status(f.seated > 0), seated_hint, panel_url, PANEL
        ),
        ProgressStep(
            "author", "Overview author appointed", status(f.author), url=panel_url, audience=PANEL
        ),
    ]
    # A review with no panel (single-agency) still sets its terms and asks for its report.
    return [
        *(panel_steps if f.has_panel else []),
        ProgressStep(
            "terms", "Terms of reference", status(terms is not None), url=panel_url, audience=PANEL
        ),
        ProgressStep(
            "reports_requested",
            "Management reports requested",
            status(requested, can_start=terms is not None),
            f"Due {_day(f.reports[0].due_on)}" if requested else "",
            request_url or panel_url,
        ),
    ]


def _report_status(report: ReportRequest) -> tuple[Status, str]:
    due = f"due {_day(report.due_on)}"
    if report.status == ReportRequest.Status.ACCEPTED:
        return Status.COMPLETED, "Accepted"
    if report.status == ReportRequest.Status.EXCUSED:
        return Status.COMPLETED, "Excused"
    if report.status == ReportRequest.Status.SUBMITTED:
        return Status.IN_PROGRESS, "Submitted: the panel accepts or returns it"
    if report.status == ReportRequest.Status.RETURNED:
        return Status.IN_PROGRESS, f"Returned for revision, {due}"
    if report.records_secured:
        return Status.IN_PROGRESS, f"Records secured, {due}"
    return Status.NOT_STARTED, due.capitalize()


def _reports_steps(f: _Facts, viewer: _Viewer) -> list[ProgressStep]:
    review = f.review
    steps = []
    for report in f.reports:
        status, hint = _report_status(report)
        open_it = viewer.panel or report.agency_id in viewer.own
        steps.append(
            ProgressStep(
                f"report-{report.pk}",
                f"{report.agency.name}'s management report",
                status,
                hint,
                _url(open_it, "reviews:report", review, report.pk),
                report.agency_id,
            )
        )
    done = sum(report.status in _DONE for report in f.reports)
    if not f.reports:
        status = Status.CANNOT_START
    elif done == len(f.reports) or f.passed(Stage.AGENCY_REPORTS):
        status = Status.COMPLETED
    else:
        status = Status.IN_PROGRESS if done else Status.NOT_STARTED
    hint = f"{done} of {len(f.reports)} accepted or excused" if f.reports else ""
    steps.append(ProgressStep("reports_done", "Every report accepted or excused", status, hint))
    return steps


def _overview_steps(f: _Facts, viewer: _Viewer) -> list[ProgressStep]:
    review = f.review
    url = _url(can_view_overview(viewer.user, review), "reviews:overview", review)
    agreed = f.passed(Stage.OVERVIEW)
    at_stage = review.stage == Stage.OVERVIEW
    if agreed:
        draft = ProgressStep(
            "draft",
            "Draft overview report",
            Status.COMPLETED,
            f"Draft {f.last_draft} agreed",
            url,
            PANEL,
        )
    elif f.drafts or f.text_version:
        uploaded = [f"Draft {f.last_draft} uploaded"] if f.drafts else []
        text = [f"report text: version {f.text_version}"] if f.text_version else []
        hint = "; ".join([*uploaded, *text])
        draft = ProgressStep(
            "draft",
            "Draft overview report",
            Status.IN_PROGRESS,
            hint[:1].upper() + hint[1:],
            url,
            PANEL,
        )
    else:
        status = Status.NOT_STARTED if at_stage else Status.CANNOT_START
        draft = ProgressStep("draft", "Draft overview report", status, url=url, audience=PANEL)
    ready = f.drafts and f.recommendations and f.open_round is None
    if agreed:
        agree_status = Status.COMPLETED
    else:
        agree_status = Status.NOT_STARTED if at_stage and ready else Status.CANNOT_START
    return [
        draft,
        _comments_step(f, url),
        *_own_comments_steps(f, viewer, url),
        ProgressStep("overview_agreed", "Overview report agreed", agree_status, url=url),
    ]


def _comments_step(f: _Facts, url: str | None) -> ProgressStep:
    name = "Agencies' comments on the draft"
    open_round = f.open_round
    if open_round:
        asked = len(f.comment_agencies)
        done = len(f.commented.get(open_round.pk, set()))
        hint = (
            f"Draft {open_round.draft.number}: {done} of {asked} agencies have commented, "
            f"due {_day(open_round.due_on)}"
        )
        return ProgressStep("comments", name, Status.IN_PROGRESS, hint, url, PANEL)
    if f.rounds:
        hint = f"{len(f.rounds)} round{'s' if len(f.rounds) != 1 else ''} of comments"
        return ProgressStep("comments", name, Status.COMPLETED, hint, url, PANEL)
    if f.drafts:
        hint = "No draft sent for comments" if f.passed(Stage.OVERVIEW) else ""
        return ProgressStep("comments", name, Status.NOT_STARTED, hint, url, PANEL)
    return ProgressStep("comments", name, Status.CANNOT_START, url=url, audience=PANEL)


def _own_comments_steps(f: _Facts, viewer: _Viewer, url: str | None) -> list[ProgressStep]:
    """An agency lead's own step: their agency's comments on the draft out for comments."""
    if viewer.panel:
        return []
    steps = []
    open_round = f.open_round
    for agency_id, name in f.comment_agencies:
        if agency_id not in viewer.own:
            continue
        ever = any(agency_id in agencies for agencies in f.commented.values())
        if open_round:
            done = agency_id in f.commented.get(open_round.pk, set())
            status = Status.COMPLETED if done else Status.NOT_STARTED
            hint = f"Draft {open_round.draft.number}, due {_day(open_round.due_on)}"
        else:
            status = Status.COMPLETED if ever else Status.CANNOT_START
            hint = ""
        steps.append(
            ProgressStep(
                f"comments-{agency_id}",
                f"{name}'s comments on the draft",
                status,
                hint,
                url,
                agency_id,
            )
        )
    return steps


def _actions_hint(statuses: list[str]) -> str:
    complete = statuses.count(Action.Status.COMPLETE)
    return f"{len(statuses)} action{'s' if len(statuses) != 1 else ''}, {complete} complete"


def _plan_steps(f: _Facts, viewer: _Viewer) -> list[ProgressStep]:
    review = f.review
    url = _url(can_view_action_plan(viewer.user, review), "reviews:actions", review)
    started = f.passed(Stage.OVERVIEW)
    every = [status for statuses in f.actions.values() for status in statuses]
    if not started or not f.recommendations:
        status = Status.CANNOT_START
    elif not f.unanswered and every:
        status = Status.COMPLETED
    else:
        status = Status.IN_PROGRESS if every else Status.NOT_STARTED
    steps = [
        ProgressStep(
            "actions",
            "Actions for every recommendation",
            status,
            _actions_hint(every) if every else "",
            url,
            PANEL,
        )
    ]
    if not viewer.panel:
        for report in f.reports:
            if report.agency_id not in viewer.own:
                continue
            agency_id = report.agency_id
            own = f.actions.get(agency_id, [])
            if own:
                done = all(s == Action.Status.COMPLETE for s in own)
                own_status = Status.COMPLETED if done else Status.IN_PROGRESS
            else:
                own_status = Status.NOT_STARTED if started else Status.CANNOT_START
            steps.append(
                ProgressStep(
                    f"actions-{agency_id}",
                    f"{report.agency.name}'s actions",
                    own_status,
                    _actions_hint(own) if own else "",
                    url,
                    agency_id,
                )
            )
    if f.passed(Stage.ACTION_PLAN):
        agreed = Status.COMPLETED
    elif review.stage == Stage.ACTION_PLAN and status == Status.COMPLETED:
        agreed = Status.NOT_STARTED
    else:
        agreed = Status.CANNOT_START
    steps.append(ProgressStep("plan_agreed", "Action plan agreed", agreed, url=url))
    return steps


def _publication_steps(f: _Facts, viewer: _Viewer) -> list[ProgressStep]:
    review, plan = f.review, f.plan
    url = _url(can_view_publication(viewer.user, review), "publication:plan", review)
    reached = f.passed(Stage.ACTION_PLAN)
    if plan:
        plan_step = ProgressStep(
            "publication_plan",
            "Publication plan",
            Status.COMPLETED,
            plan.get_form_display(),
            url,
            PANEL,
        )
    else:
        status = Status.NOT_STARTED if reached else Status.CANNOT_START
        plan_step = ProgressStep(
            "publication_plan", "Publication plan", status, url=url, audience=PANEL
        )
    if plan and plan.is_approved:
        approval = Status.COMPLETED
    else:
        approval = Status.NOT_STARTED if plan else Status.CANNOT_START
    return [
        plan_step,
        ProgressStep(
            "publication_approved", "Publication plan approved by the chair", approval, url=url
        ),
    ]


def _closed_steps(f: _Facts, viewer: _Viewer) -> list[ProgressStep]:
    review = f.review
    if review.stage == Stage.CLOSED:
        return [ProgressStep("closed", "Review closed", Status.COMPLETED, review.closed_reason)]
    return [ProgressStep("closed", "Review closed", Status.CANNOT_START)]


_STAGES = (
    (Stage.REFERRAL, "Referral and decision", _referral_steps),
    (Stage.PANEL, "Panel convening", _panel_steps),
    (Stage.AGENCY_REPORTS, "Agency management reports", _reports_steps),
    (Stage.OVERVIEW, "Overview report", _overview_steps),
    (Stage.ACTION_PLAN, "Action plan", _plan_steps),
    (Stage.PUBLICATION, "Publication", _publication_steps),
    (Stage.CLOSED, "Closed", _closed_steps),
)


def _stage_status(f: _Facts, stage: str, steps: list[ProgressStep]) -> Status:
    statuses = {step.status for step in steps}
    if f.review.stage == Stage.CLOSED or statuses == {Status.COMPLETED} or f.passed(stage):
        return Status.COMPLETED
    if statuses == {Status.CANNOT_START}:
        return Status.CANNOT_START
    if statuses & {Status.COMPLETED, Status.IN_PROGRESS} or f.review.stage == stage:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def _happened(f: _Facts, stage: str, steps: list[ProgressStep]) -> bool:
    """Whether a stage belongs on the list: once the review is closed, only the stages it went
    through."""
    if f.review.stage != Stage.CLOSED or stage in (Stage.REFERRAL, Stage.CLOSED):
        return True
    return any(step.status == Status.COMPLETED for step in steps)


def _progress(f: _Facts, viewer: _Viewer) -> list[ProgressStage]:
    stages: list[ProgressStage] = []
    for stage, name, build in _STAGES:
        steps = build(f, viewer)
        if not _happened(f, stage, steps):
            continue
        visible = [step for step in steps if viewer.sees(step)]
        if stage == Stage.PANEL and not f.has_panel:
            name = "Setting up the review"
        stages.append(
            ProgressStage(stage, len(stages) + 1, name, _stage_status(f, stage, steps), visible)
        )
    return stages


def review_progress(review: Review, user: User) -> list[ProgressStage]:
    """The review's stages, each with its steps and their statuses, as ``user`` may see them:
    a step links to its page only if the user may open it, and an agency lead sees the
    milestones and their own agency's steps only."""
    return _progress(_facts_many([review])[review.pk], _viewer(user, review))


# --- What happens next ---


def _listing(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _agencies(names: list[str], own: str | None) -> tuple[str, str]:
    """How a sentence names the agencies it waits on, and the waits-on phrase: every name, or
    for an agency lead (``own``: their agency's name) only their own."""
    count = f"{len(names)} agencies"
    if own is None:
        return (f"{count}: {_listing(names)}" if len(names) > 1 else names[0]), (
            count if len(names) > 1 else names[0]
        )
    if own in names:
        if len(names) == 1:
            return f"your agency, {own}", own
        return f"{count}, including yours", count
    others = f"{len(names)} other agenc{'ies' if len(names) > 1 else 'y'}"
    return others, others


def _next_at_referral(f: _Facts) -> NextStep:
    if f.has_rapid_review and getattr(f.review, "rapid_review", None) is None:
        return NextStep(
            "The board manager records the rapid review; the chair records the threshold "
            "decision once the rapid review is recorded.",
            "Board manager",
        )
    return NextStep("The chair's threshold decision is awaited.", "Chair")


def _next_at_panel(f: _Facts) -> NextStep:
    if not f.has_panel:
        return NextStep(
            "The board manager requests the agency's management report.", "Board manager"
        )
    to_do = []
    if not f.seated:
        to_do.append("seat the panel members")
    if getattr(f.review, "terms", None) is None:
        to_do.append("set the terms of reference")
    if to_do and not f.author:
        return NextStep(
            f"The board manager is to {_listing(to_do)}, and the chair to appoint the overview "
            "author.",
            "Board manager and chair",
        )
    if to_do:
        return NextStep(f"The board manager is to {_listing(to_do)}.", "Board manager")
    if not f.author:
        return NextStep("The chair appoints the overview author.", "Chair")
    return NextStep("The board manager requests the management reports.", "Board manager")


def _next_at_reports(f: _Facts, own: str | None) -> NextStep:
    waiting = [r.agency.name for r in f.reports if r.status in _WITH_AGENCY]
    submitted = sum(r.status == ReportRequest.Status.SUBMITTED for r in f.reports)
    reading = (
        f"the panel accepts or returns {submitted} submitted report{'s' if submitted > 1 else ''}"
    )
    if waiting:
        named, waits_on = _agencies(waiting, own)
        plural = "s" if len(waiting) > 1 else ""
        text = f"Waiting for management report{plural} from {named}."
        if submitted:
            text += f" Meanwhile {reading}."
        return NextStep(text, waits_on)
    if submitted:
        return NextStep(f"{reading[0].upper()}{reading[1:]}.", "Panel")
    return NextStep("The panel decides the last management reports.", "Panel")


def _next_at_overview(f: _Facts, own: str | None) -> NextStep:
    open_round = f.open_round
    if not f.drafts:
        return NextStep(
            "The overview author writes the first draft of the overview report.",
            "Overview author",
        )
    if open_round:
        done = f.commented.get(open_round.pk, set())
        pending = [name for agency_id, name in f.comment_agencies if agency_id not in done]
        number = open_round.draft.number
        if pending:
            named, waits_on = _agencies(pending, own)
            return NextStep(
                f"Waiting for comments on draft {number} from {named}, due "
                f"{_day(open_round.due_on)}.",
                waits_on,
            )
        return NextStep(
            f"Every agency has commented on draft {number}: the overview author closes the "
            "round of comments.",
            "Overview author",
        )
    if not f.recommendations:
        return NextStep(
            "The overview author writes the report's recommendations.", "Overview author"
        )
    return NextStep("The board manager agrees the overview report.", "Board manager")


def _next_at_action_plan(f: _Facts) -> NextStep:
    if f.unanswered:
        plural = "s" if f.unanswered > 1 else ""
        return NextStep(
            f"The board manager adds actions for {f.unanswered} recommendation{plural} that "
            "have none yet."
            if plural
            else "The board manager adds actions for the recommendation that has none yet.",
            "Board manager",
        )
    return NextStep("The board manager agrees the action plan.", "Board manager")


def _next_at_publication(f: _Facts) -> NextStep:
    plan = f.plan
    if plan is None:
        return NextStep("The board manager plans the publication.", "Board manager")
    if not plan.is_approved:
        return NextStep("The chair approves the publication plan.", "Chair")
    if plan.form != "none" and plan.national_bodies_sent_on is None:
        return NextStep(
            "The board manager sends the report to the national bodies before publication.",
            "Board manager",
        )
    return NextStep("The board manager carries out the approved publication plan.", "Board manager")


def _next(f: _Facts, own: str | None = None) -> NextStep:
    stage = f.review.stage
    if stage == Stage.REFERRAL:
        return _next_at_referral(f)
    if stage == Stage.PANEL:
        return _next_at_panel(f)
    if stage == Stage.AGENCY_REPORTS:
        return _next_at_reports(f, own)
    if stage == Stage.OVERVIEW:
        return _next_at_overview(f, own)
    if stage == Stage.ACTION_PLAN:
        return _next_at_action_plan(f)
    if stage == Stage.PUBLICATION:
        return _next_at_publication(f)
    return NextStep("The review is closed.", "")


def _own_agency_name(f: _Facts, viewer: _Viewer) -> str | None:
    """For an agency lead, their agency's name as the next step may name it ("" if it has no
    report in the review); None for those who see every agency."""
    if viewer.panel:
        return None
    return next((r.agency.name for r in f.reports if r.agency_id in viewer.own), "")


def review_next_step(review: Review, user: User | None = None) -> NextStep:
    """What happens next in the review and who it waits on. Told who reads it, and they are
    an agency lead (not of the panel), the sentence names no agency but theirs: it counts
    the others."""
    f = _facts_many([review])[review.pk]
    return _next(f, _own_agency_name(f, _viewer(user, review)) if user else None)


# Steps that run alongside the stages, from apps above reviews (the family's involvement): a
# function of the review and the person looking, returning the steps they may see (none if
# they may not), in a few queries whatever the number of records behind them.
StepSource = Callable[[Review, User], list[ProgressStep]]
_ALONGSIDE: list[StepSource] = []


def progress_step_source(source: StepSource) -> StepSource:
    """Register a source of steps alongside the stages, in an app's AppConfig.ready();
    registering one twice keeps it once."""
    if source not in _ALONGSIDE:
        _ALONGSIDE.append(source)
    return source


class Standing(NamedTuple):
    stages: list[ProgressStage]
    next_step: NextStep
    alongside: list[ProgressStep]


def review_standing(review: Review, user: User) -> Standing:
    """``review_progress`` and ``review_next_step`` for ``user`` at once, reading the
    review's records once, with the steps alongside the stages: what the review's page shows."""
    f = _facts_many([review])[review.pk]
    viewer = _viewer(user, review)
    alongside = [step for source in _ALONGSIDE for step in source(review, user)]
    return Standing(_progress(f, viewer), _next(f, _own_agency_name(f, viewer)), alongside)


def review_waits_on_many(reviews: Iterable[Review]) -> dict[int, str]:
    """Who each review waits on (a short role or agency phrase, empty once closed), by review
    id, for a page of reviews in a constant number of queries."""
    return {pk: _next(facts).waits_on for pk, facts in _facts_many(reviews).items()}
