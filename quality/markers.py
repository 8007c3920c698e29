"""The 18 quality markers of a review, each with the questions that show whether it is met, and
the evidence the service already holds for it.

Source: NSPCC and SCIE (2016), "Serious case review quality markers: supporting dialogue about
the principles of good practice and how to achieve them"; titles and questions put in our words.

Each marker's ``evidence`` reads a ``ReviewFacts`` (the review with everything the markers read,
fetched once by quality.selectors) and returns a ``Finding``: the facts found, each a sentence
with its date and the page of the review where it is kept, and the service's own status — met,
partly met, not met, "not yet" while the review has not reached that part, or None where the
service cannot know and the board manager answers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from families.models import Contact, FamilyMember
from publication.models import BoardResponse, PublicationPlan
from quality.models import QualityAnswer, Status
from reviews.models import (
    Action,
    Deadline,
    Interview,
    OverviewSection,
    PractitionerComment,
    ReportRequest,
    Review,
    TermsOfReference,
    ThresholdDecision,
)

SETTING_UP, RUNNING, OUTPUTS = "setting_up", "running", "outputs"
GROUPS = {
    SETTING_UP: "Setting up the review",
    RUNNING: "Running the review",
    OUTPUTS: "The review's outputs",
}
# The stages in the order a review goes through them; a review signed off or handed over has
# been through them all.
_ORDER = [stage for stage, _ in Review.Stage.choices]
# A threshold decision is timely within a month of the referral: the markers ask for a timely
# decision, and a month is what boards commonly work to where the framework sets no limit.
DECISION_DAYS = 30
# The report's sections the markers look for (reviews.models.OverviewSection.Key).
REPORT_SECTIONS = [key for key, _ in OverviewSection.Key.choices]
ANALYSIS_SECTIONS = ["agency_analysis", "good_practice", "lessons"]
# How each status is shown: a GOV.UK tag colour.
STATUS_TAGS = {
    Status.MET: "govuk-tag--green",
    Status.PARTLY: "govuk-tag--yellow",
    Status.NOT_MET: "govuk-tag--red",
    Status.NOT_YET: "govuk-tag--grey",
}


@dataclass(frozen=True)
class Fact:
    """One thing the service knows, in a sentence, with its date and where it is kept."""

    text: str
    on: date | None = None
    url: str = ""


@dataclass
class Finding:
    """What the service found for a marker: its facts and its own status (None: it cannot
    tell; the board manager answers)."""

    status: str | None
    facts: list[Fact] = field(default_factory=list)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


class ReviewFacts:
    """A review with what the markers read, prefetched (quality.selectors): each marker reads
    these lists and never the database."""

    def __init__(self, review: Review, *, links: bool = True):
        self.review = review
        # The board's view counts statuses across every review and shows no fact: building
        # each fact's address (a URL reverse, hundreds of thousands at national scale) is
        # skipped there.
        self.links = links
        self.reference = review.reference
        self.today = timezone.localdate()
        self.decision: ThresholdDecision | None = getattr(review, "decision", None)
        self.terms: TermsOfReference | None = getattr(review, "terms", None)
        self.plan: PublicationPlan | None = getattr(review, "publication_plan", None)
        self.response: BoardResponse | None = getattr(review, "board_response", None)
        # Annotated by quality.selectors: how many agencies the terms of reference put in scope.
        self.agencies_in_scope: int = review.agencies_in_scope_count  # type: ignore[attr-defined]
        self.deadlines = list(review.deadlines.all())
        self.clock_events = list(review.clock_events.all())
        self.parallel = list(review.parallel_processes.all())
        self.seats = list(review.panel.all())
        self.authors = list(review.author_appointments.all())
        self.meetings = list(review.meetings.all())
        self.reports = list(review.report_requests.all())
        self.interviews = [i for r in self.reports for i in r.interviews.all()]
        self.comments = [c for i in self.interviews for c in i.practitioner_comments.all()]
        self.versions = sorted(review.overview_versions.all(), key=lambda v: v.number)
        self.agreements = list(review.overview_agreements.all())
        self.comment_rounds = list(review.comment_rounds.all())
        self.recommendations = [r for r in review.recommendations.all() if r.removed_at is None]
        self.actions = list(review.actions.all())
        self.family: list[FamilyMember] = list(review.family_members.all())
        self.contacts: list[Contact] = [c for m in self.family for c in m.contacts.all()]
        self.family_meetings = [m for member in self.family for m in member.meetings.all()]
        self.publications = list(review.publications.all())
        self.answers: dict[str, QualityAnswer] = {a.marker: a for a in review.quality_answers.all()}

    def reached(self, stage: str) -> bool:
        """Whether the review is at ``stage`` or past it. A review withdrawn or ended at its
        decision reached only the stages whose records it holds, which the markers read."""
        if self.review.stage == Review.Stage.CLOSED:
            return self.review.closed_how in (
                Review.Closure.SIGNED_OFF,
                Review.Closure.HANDED_OVER,
            )
        return _ORDER.index(self.review.stage) >= _ORDER.index(stage)

    def url(self, name: str, *args: object) -> str:
        """The address of the review's page ``name``, or "" while the review has not opened
        it (a link would answer 403), or when the facts are only counted."""
        if not self.links:
            return ""
        opens = _OPENS.get(name)
        if opens is not None and not opens(self):
            return ""
        return reverse(name, args=[self.reference, *args])

    def deadlines_of(self, kind: str) -> list[Deadline]:
        return [d for d in self.deadlines if d.kind == kind]

    @property
    def latest_version(self):
        return self.versions[-1] if self.versions else None

    def sections_written(self) -> set[str]:
        """The keys of the sections the latest version of the report's text has words in."""
        version = self.latest_version
        if version is None:
            return set()
        return {s.key for s in version.sections.all() if s.html.strip()}


def _overview_open(facts: ReviewFacts) -> bool:
    return facts.reached(Review.Stage.OVERVIEW) or bool(facts.versions or facts.agreements)


# The review's pages that open only at a stage, and when each is open: a fact links to them
# only then.
_OPENS: dict[str, Callable[[ReviewFacts], bool]] = {
    "reviews:panel": lambda facts: facts.decision is not None,
    "reviews:overview": _overview_open,
    "reviews:overview_versions": _overview_open,
    "reviews:actions": lambda facts: facts.reached(Review.Stage.ACTION_PLAN) or bool(facts.actions),
    "publication:plan": lambda facts: (
        facts.reached(Review.Stage.PUBLICATION) or facts.plan is not None
    ),
}


def _deadline_fact(facts: ReviewFacts, deadline: Deadline, url: str) -> Fact:
    kind = deadline.get_kind_display()
    if deadline.state == Deadline.State.OPEN:
        late = " (overdue)" if deadline.due_on < facts.today else ""
        return Fact(f"{kind}: due{late}", deadline.due_on, url)
    closed = _day(deadline.closed_at)
    return Fact(
        f"{kind}: {deadline.get_state_display().lower()} (due {_long(deadline.due_on)})",
        closed,
        url,
    )


def _missed(deadlines: list[Deadline], today: date) -> list[Deadline]:
    """Deadlines missed, or still open past their date."""
    return [
        d
        for d in deadlines
        if d.state == Deadline.State.MISSED or (d.state == Deadline.State.OPEN and d.due_on < today)
    ]


# --- Setting up the review ---


def referral_evidence(facts: ReviewFacts) -> Finding:
    review, url = facts.review, facts.url("reviews:detail")
    found = [
        Fact(
            f"Referred by {review.referring_agency} ({review.referrer_name})",
            review.referred_on,
            url,
        ),
        Fact("The incident", review.incident_date, url),
    ]
    if review.circumstances.strip():
        found.append(Fact("The referral says what happened and why it is referred", None, url))
    if review.agency_concerns.strip():
        found.append(
            Fact("It names the concerns about how the agencies worked together", None, url)
        )
    notice = facts.deadlines_of(Deadline.Kind.NOTIFY_NATIONAL_BODIES)
    found += [_deadline_fact(facts, d, facts.url("reviews:detail")) for d in notice]
    if review.national_bodies_notified_on:
        found.append(Fact("The national bodies were told", review.national_bodies_notified_on, url))
    if not review.circumstances.strip():
        return Finding(Status.NOT_MET, found)
    late = _missed(notice, facts.today)
    return Finding(
        Status.PARTLY if late or not review.agency_concerns.strip() else Status.MET, found
    )


def decision_evidence(facts: ReviewFacts) -> Finding:
    decision, review, url = facts.decision, facts.review, facts.url("reviews:detail")
    if decision is None:
        waited = (facts.today - review.referred_on).days
        late = waited > DECISION_DAYS
        return Finding(
            Status.NOT_MET if late else Status.NOT_YET,
            [Fact(f"No decision yet, {waited} days after the referral", None, url)],
        )
    took = (decision.decided_on - review.referred_on).days
    found = [
        Fact(
            f"{review.profile.outcome_label(decision.outcome)}: decided {took} days after the "
            f"referral",
            decision.decided_on,
            url,
        ),
        Fact(
            "The criteria were met" if decision.criteria_met else "The criteria were not met",
            None,
            url,
        ),
    ]
    if decision.rationale.strip():
        found.append(Fact("The chair's reasons are recorded", None, url))
    reasons = bool(decision.rationale.strip()) or decision.criteria_met
    rapid = facts.deadlines_of(Deadline.Kind.RAPID_REVIEW)
    found += [_deadline_fact(facts, d, url) for d in rapid]
    timely = took <= DECISION_DAYS and not _missed(rapid, facts.today)
    if reasons and timely:
        return Finding(Status.MET, found)
    return Finding(Status.PARTLY if reasons or timely else Status.NOT_MET, found)


def board_members_evidence(facts: ReviewFacts) -> Finding:
    decision, url = facts.decision, facts.url("reviews:detail")
    found = []
    if decision is not None:
        found.append(Fact("The decision is on the review's record", decision.decided_on, url))
        if decision.communicated_via:
            how = decision.get_communicated_via_display().lower()
            found.append(Fact(f"The chair made the decision known {how}", None, url))
        if decision.national_bodies_told_on:
            found.append(
                Fact(
                    "The national bodies were told of the decision",
                    decision.national_bodies_told_on,
                    url,
                )
            )
    # Whether the board's members heard of the decision and its outcome is not recorded here.
    return Finding(None if decision else Status.NOT_YET, found)


def informing_family_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("families:list")
    told = [c for c in facts.contacts if c.kind == Contact.Kind.TOLD_OF_REVIEW]
    found = [
        Fact(
            f"{c.member.name} was told of the review"
            + (f" ({c.get_how_display().lower()})" if c.how else ""),
            c.on,
            url,
        )
        for c in told
    ]
    declined = [m for m in facts.family if m.declined]
    found += [Fact(f"{m.name} chose not to take part", m.declined_on, url) for m in declined]
    if facts.terms is not None and facts.terms.family_involvement_plan.strip():
        found.append(
            Fact(
                "The terms of reference plan how the family is involved",
                None,
                facts.url("reviews:panel"),
            )
        )
    if not facts.reached(Review.Stage.PANEL):
        return Finding(Status.NOT_YET, found)
    told_members = {c.member_id for c in told} | {m.pk for m in declined}
    if not facts.family:
        found.append(Fact("No family member is recorded", None, url))
        late = facts.reached(Review.Stage.AGENCY_REPORTS)
        return Finding(Status.NOT_MET if late else Status.NOT_YET, found)
    if all(m.pk in told_members for m in facts.family):
        return Finding(Status.MET, found)
    if told_members:
        return Finding(Status.PARTLY, found)
    return Finding(
        Status.NOT_YET if not facts.reached(Review.Stage.AGENCY_REPORTS) else Status.NOT_MET, found
    )


def purpose_evidence(facts: ReviewFacts) -> Finding:
    terms, url = facts.terms, facts.url("reviews:panel")
    if terms is None:
        late = facts.reached(Review.Stage.AGENCY_REPORTS)
        return Finding(
            Status.NOT_MET if late else Status.NOT_YET,
            [Fact("No terms of reference yet", None, url)],
        )
    lines = len(terms.lines_of_enquiry)
    found = [
        Fact(
            f"Terms of reference: the period {_long(terms.period_start)} to "
            f"{_long(terms.period_end)}, {lines} key line{'s' if lines != 1 else ''} of enquiry",
            None,
            url,
        )
    ]
    if facts.decision is not None and facts.decision.rationale.strip():
        found.append(
            Fact(
                "The decision says why this kind of review",
                facts.decision.decided_on,
                facts.url("reviews:detail"),
            )
        )
    if lines and facts.decision is not None and facts.decision.rationale.strip():
        return Finding(Status.MET, found)
    return Finding(Status.PARTLY, found)


# --- Running the review ---


def commissioning_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:panel")
    found = []
    terms = facts.terms
    if terms is not None:
        scope = facts.agencies_in_scope
        found.append(Fact(f"{scope} agenc{'ies' if scope != 1 else 'y'} in scope", None, url))
        if terms.scoping_meeting_on:
            found.append(Fact("Scoping meeting", terms.scoping_meeting_on, url))
    authors = [a for a in facts.authors if a.ended_at is None]
    for author in authors:
        independent = author.not_involved_in_case and author.no_management_responsibility
        found.append(
            Fact(
                "An independent author was appointed" if independent else "An author was appointed",
                author.declared_on,
                url,
            )
        )
    if not facts.reached(Review.Stage.AGENCY_REPORTS):
        return Finding(Status.NOT_YET, found)
    done = [terms is not None, bool(authors)]
    return Finding(
        Status.MET if all(done) else Status.PARTLY if any(done) else Status.NOT_MET, found
    )


def governance_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:panel")
    seated = [s for s in facts.seats if s.status == "seated"]
    found = [
        Fact(
            f"{len(seated)} panel member{'s' if len(seated) != 1 else ''} seated, each declaring "
            "independence",
            None,
            url,
        )
    ]
    found += [Fact("Panel meeting", m.held_on, url) for m in facts.meetings]
    if not facts.reached(Review.Stage.AGENCY_REPORTS):
        return Finding(Status.NOT_YET, found)
    done = [bool(seated), bool(facts.meetings)]
    return Finding(
        Status.MET if all(done) else Status.PARTLY if any(done) else Status.NOT_MET, found
    )


def management_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:detail")
    complete = facts.deadlines_of(Deadline.Kind.REVIEW_COMPLETE)
    found = [_deadline_fact(facts, d, url) for d in complete]
    found += [
        Fact(f"Clock {e.get_kind_display().lower()}: {e.reason}", _day(e.at), url)
        for e in facts.clock_events
    ]
    others = [d for d in facts.deadlines if d.kind != Deadline.Kind.REVIEW_COMPLETE]
    missed = _missed(others, facts.today)
    if missed:
        found.append(
            Fact(f"{len(missed)} other deadline{'s' if len(missed) != 1 else ''} missed", None, url)
        )
    if not facts.reached(Review.Stage.PANEL):
        return Finding(Status.NOT_YET, found)
    if _missed(complete, facts.today):
        return Finding(Status.NOT_MET, found)
    return Finding(Status.PARTLY if missed else Status.MET, found)


def parallel_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:detail")
    found = []
    for process in facts.parallel:
        who = f"{process.contact_name} ({process.contact_organisation})"
        text = f"{process.get_kind_display()}, with {who}"
        found.append(Fact(f"{text}: started", process.started_on, url))
        if process.ended_on:
            found.append(Fact(f"{process.get_kind_display()}: ended", process.ended_on, url))
    if not facts.parallel:
        # Whether there is none, or none was recorded, only the board manager knows.
        return Finding(None, [Fact("No parallel process is recorded", None, url)])
    unclear = [
        p for p in facts.parallel if p.is_running and p.stops_clock and not p.expected_end_on
    ]
    return Finding(Status.PARTLY if unclear else Status.MET, found)


def _report_in_on(report: ReportRequest) -> date | None:
    return _day(report.submitted_at or report.decided_at)


def information_evidence(facts: ReviewFacts) -> Finding:
    found, late, waiting = [], 0, 0
    for report in facts.reports:
        url = facts.url("reviews:report", report.pk)
        in_on = _report_in_on(report)
        if report.status == ReportRequest.Status.EXCUSED:
            found.append(Fact(f"{report.agency}: excused", in_on, url))
        elif in_on is None:
            overdue = report.due_on < facts.today
            late += overdue
            waiting += 1
            found.append(
                Fact(
                    f"{report.agency}: not in yet" + (" (overdue)" if overdue else ""),
                    report.due_on,
                    url,
                )
            )
        else:
            on_time = in_on <= report.due_on
            late += not on_time
            found.append(
                Fact(
                    f"{report.agency}: in {'on time' if on_time else 'late'} "
                    f"(due {_long(report.due_on)})",
                    in_on,
                    url,
                )
            )
            if report.records_secured_at:
                found.append(
                    Fact(
                        f"{report.agency}: case records secured",
                        _day(report.records_secured_at),
                        url,
                    )
                )
    if not facts.reports:
        late_stage = facts.reached(Review.Stage.OVERVIEW)
        return Finding(
            Status.NOT_MET if late_stage else Status.NOT_YET,
            [Fact("No management report requested", None, facts.url("reviews:detail"))],
        )
    if waiting and not late:
        return Finding(Status.NOT_YET, found)
    if not late:
        return Finding(Status.MET, found)
    return Finding(Status.NOT_MET if late == len(facts.reports) else Status.PARTLY, found)


def practitioners_evidence(facts: ReviewFacts) -> Finding:
    found = []
    checked = [
        i
        for i in facts.interviews
        if i.response in (Interview.Response.AGREED, Interview.Response.AMENDMENTS)
    ]
    for report in facts.reports:
        count = len([i for i in facts.interviews if i.request_id == report.pk])
        if count:
            url = facts.url("reviews:report", report.pk)
            found.append(
                Fact(
                    f"{report.agency}: {count} practitioner{'s' if count != 1 else ''} interviewed",
                    None,
                    url,
                )
            )
    if facts.interviews:
        found.append(
            Fact(
                f"{len(checked)} of {len(facts.interviews)} checked their interview notes", None, ""
            )
        )
    received = [c for c in facts.comments if c.status == PractitionerComment.Status.RECEIVED]
    if facts.comments:
        found.append(
            Fact(
                f"{len(received)} of {len(facts.comments)} practitioners sent comments on the "
                "draft",
                None,
                "",
            )
        )
    if not facts.interviews:
        late = facts.reached(Review.Stage.ACTION_PLAN)
        return Finding(
            Status.NOT_MET if late else Status.NOT_YET,
            [Fact("No practitioner interviewed yet", None, "")],
        )
    everyone = len(checked) == len(facts.interviews) and len(received) == len(facts.comments)
    return Finding(Status.MET if everyone else Status.PARTLY, found)


def family_involvement_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("families:list")
    found = [
        Fact(f"Meeting offered to {m.member.name}", m.offered_on, url)
        for m in facts.family_meetings
    ]
    found += [
        Fact(f"Met {m.member.name}", m.held_on, url) for m in facts.family_meetings if m.held_on
    ]
    viewed = [m for m in facts.family if m.views.strip()]
    found += [Fact(f"{m.name}'s views are recorded for the report", None, url) for m in viewed]
    declined = [m for m in facts.family if m.declined]
    if "family_views" in facts.sections_written():
        found.append(
            Fact(
                "The report has a section on the family's views",
                None,
                facts.url("reviews:overview_versions"),
            )
        )
    if facts.family and len(declined) == len(facts.family):
        found.append(Fact("Every family member chose not to take part", None, url))
        return Finding(Status.MET, found)
    if viewed:
        return Finding(Status.MET, found)
    if not facts.reached(Review.Stage.OVERVIEW):
        return Finding(Status.NOT_YET, found)
    if facts.family_meetings:
        return Finding(Status.PARTLY, found)
    return Finding(
        Status.NOT_MET if facts.reached(Review.Stage.ACTION_PLAN) else Status.NOT_YET, found
    )


def analysis_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:overview_versions")
    written = facts.sections_written()
    labels = dict(OverviewSection.Key.choices)
    found = [
        Fact(f"The report has {labels[key].lower()}", None, url)
        for key in ANALYSIS_SECTIONS
        if key in written
    ]
    found += [
        Fact("The agencies commented on a draft", _day(r.opened_at), facts.url("reviews:overview"))
        for r in facts.comment_rounds
    ]
    present = [key for key in ANALYSIS_SECTIONS if key in written]
    if len(present) == len(ANALYSIS_SECTIONS):
        return Finding(Status.MET, found)
    if not facts.reached(Review.Stage.ACTION_PLAN):
        return Finding(Status.NOT_YET, found)
    return Finding(Status.PARTLY if present else Status.NOT_MET, found)


# --- The review's outputs ---


def report_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:overview_versions")
    written = facts.sections_written()
    labels = dict(OverviewSection.Key.choices)
    found = []
    if facts.latest_version is not None:
        found.append(
            Fact(
                f"Version {facts.latest_version.number} of the report's text",
                _day(facts.latest_version.created_at),
                url,
            )
        )
        missing = [labels[key] for key in REPORT_SECTIONS if key not in written]
        found.append(
            Fact("Every section is written", None, url)
            if not missing
            else Fact(f"Sections not written: {', '.join(missing)}", None, url)
        )
    found += [
        Fact("The panel agreed the report", a.meeting_on, facts.url("reviews:overview"))
        for a in facts.agreements
    ]
    if not facts.agreements:
        return Finding(
            Status.NOT_YET if not facts.reached(Review.Stage.ACTION_PLAN) else Status.NOT_MET, found
        )
    return Finding(Status.MET if set(REPORT_SECTIONS) <= written else Status.PARTLY, found)


def improvement_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:actions")
    answered = {a.recommendation_id for a in facts.actions}
    found = [
        Fact(f"Recommendation {r.number}: {'has' if r.pk in answered else 'no'} action", None, url)
        for r in facts.recommendations
    ]
    if not facts.reached(Review.Stage.ACTION_PLAN):
        return Finding(Status.NOT_YET, found)
    if facts.reached(Review.Stage.PUBLICATION):
        found.append(Fact("The action plan was agreed", None, url))
    done = [r for r in facts.recommendations if r.pk in answered]
    if facts.recommendations and len(done) == len(facts.recommendations):
        return Finding(
            Status.MET if facts.reached(Review.Stage.PUBLICATION) else Status.PARTLY, found
        )
    if not facts.reached(Review.Stage.PUBLICATION):
        return Finding(Status.NOT_YET, found)
    return Finding(Status.PARTLY if done else Status.NOT_MET, found)


def board_response_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("publication:plan")
    response = facts.response
    if response is None:
        late = facts.review.stage == Review.Stage.CLOSED and facts.reached(Review.Stage.PUBLICATION)
        return Finding(
            Status.NOT_MET if late else Status.NOT_YET,
            [Fact("No written response from the board yet", None, url)],
        )
    if response.is_agreed:
        where = f" at {response.meeting}" if response.meeting else ""
        return Finding(
            Status.MET,
            [Fact(f"The board agreed its written response{where}", response.agreed_on, url)],
        )
    return Finding(
        Status.PARTLY,
        [
            Fact(
                "The board's written response is a draft, not agreed yet",
                _day(response.updated_at),
                url,
            )
        ],
    )


def publication_evidence(facts: ReviewFacts) -> Finding:
    url, plan = facts.url("publication:plan"), facts.plan
    if plan is None:
        late = facts.review.stage == Review.Stage.CLOSED and facts.reached(Review.Stage.PUBLICATION)
        return Finding(
            Status.NOT_MET if late else Status.NOT_YET, [Fact("No publication plan yet", None, url)]
        )
    found = [Fact(plan.get_form_display(), plan.planned_on, url)]
    if plan.rationale.strip():
        found.append(Fact("The plan gives its reasons", None, url))
    if plan.is_approved:
        found.append(Fact("The chair approved the plan", _day(plan.approved_at), url))
    notice = facts.deadlines_of(Deadline.Kind.PUBLICATION_NOTICE)
    found += [_deadline_fact(facts, d, url) for d in notice]
    shown = [c for c in facts.contacts if c.kind == Contact.Kind.SHOWN_REPORT]
    found += [
        Fact(f"{c.member.name} was shown the report", c.on, facts.url("families:list"))
        for c in shown
    ]
    published = list(facts.publications)
    found += [Fact("Published on the board's site", _day(p.published_at), url) for p in published]
    if plan.form == PublicationPlan.Form.NONE:
        return Finding(
            Status.MET if plan.is_approved and plan.rationale.strip() else Status.PARTLY, found
        )
    if not published:
        overdue = plan.planned_on is not None and plan.planned_on < facts.today
        return Finding(Status.NOT_MET if overdue else Status.NOT_YET, found)
    first = timezone.localdate(min(p.published_at for p in published))
    on_time = plan.planned_on is None or first <= plan.planned_on
    return Finding(
        Status.MET if on_time and not _missed(notice, facts.today) else Status.PARTLY, found
    )


def _evidenced(action: Action) -> bool:
    return action.status == Action.Status.COMPLETE and any(
        u.evidence.strip() for u in action.updates.all()
    )


def implementation_evidence(facts: ReviewFacts) -> Finding:
    url = facts.url("reviews:actions")
    if not facts.actions:
        return Finding(Status.NOT_YET, [Fact("No action yet", None, url)])
    done = [a for a in facts.actions if _evidenced(a)]
    overdue = _missed(facts.deadlines_of(Deadline.Kind.ACTION), facts.today)
    found = [Fact(f"{len(done)} of {len(facts.actions)} actions complete with evidence", None, url)]
    if overdue:
        found.append(
            Fact(f"{len(overdue)} action{'s' if len(overdue) != 1 else ''} overdue", None, url)
        )
    found += [
        Fact(f"{a.agency}: an action handed to the board's action log", _day(a.handed_over_at), url)
        for a in facts.actions
        if a.handed_over_at
    ]
    if len(done) == len(facts.actions):
        return Finding(Status.MET, found)
    if overdue:
        return Finding(Status.NOT_MET if not done else Status.PARTLY, found)
    return Finding(Status.PARTLY if done else Status.NOT_YET, found)


@dataclass(frozen=True)
class Marker:
    key: str
    group: str
    title: str
    statement: str  # what good looks like, in a sentence
    questions: tuple[str, ...]
    evidence: Callable[[ReviewFacts], Finding]


MARKERS: tuple[Marker, ...] = (
    Marker(
        "referral",
        SETTING_UP,
        "Referral",
        "The case is referred promptly, with reasons that show why a review may be needed.",
        (
            "Was the case referred soon after the incident became known?",
            "Does the referral explain why it may meet the criteria for a review?",
            "Were the national bodies told of the serious incident in time?",
        ),
        referral_evidence,
    ),
    Marker(
        "decision",
        SETTING_UP,
        "Decision making",
        "The decision to hold a review, and what kind, weighs the case and local circumstances, "
        "is reasoned, defensible and made in good time.",
        (
            "Was the decision made promptly after the referral?",
            "Are the reasons for the decision, and for the kind of review chosen, written down?",
            "Where the decision departs from the criteria, is the departure explained?",
        ),
        decision_evidence,
    ),
    Marker(
        "board_members",
        SETTING_UP,
        "Advising board members",
        "The board's members know what was decided about a review, and why.",
        (
            "Were board members told of the decision and the reasons for it?",
            "Could members question the decision, and were their views heard?",
        ),
        board_members_evidence,
    ),
    Marker(
        "informing_family",
        SETTING_UP,
        "Informing the family",
        "The family learn early what the review is for, how it will work and its limits, and "
        "are treated with respect.",
        (
            "Was each family member told of the review, and when?",
            "Were they told what the review is for and how they can take part?",
            "Were their needs (language, support, timing) taken into account?",
        ),
        informing_family_evidence,
    ),
    Marker(
        "purpose",
        SETTING_UP,
        "Clarity of purpose",
        "From the start, the board is open that the review is for learning and improvement, and "
        "names anything that complicates that.",
        (
            "Do the terms of reference say what the review will look at, and why this form of "
            "review?",
            "Is it clear that the review is about learning, not blame?",
            "Are complicating factors (other proceedings, media interest) acknowledged?",
        ),
        purpose_evidence,
    ),
    Marker(
        "commissioning",
        RUNNING,
        "Commissioning",
        "The form and focus of the review suit the case and the local context, decided with the "
        "board's members and the lead reviewer.",
        (
            "Which agencies are in scope, and why?",
            "Could the lead reviewer shape the scope and the approach?",
            "Is the reviewer independent of the case and of the agencies' line management?",
        ),
        commissioning_evidence,
    ),
    Marker(
        "governance",
        RUNNING,
        "Governance",
        "Roles and responsibilities are clear, and the panel steers the review with independence "
        "and challenge.",
        (
            "Is the panel made up of senior people independent of the case?",
            "Does the panel meet, and are its decisions recorded?",
            "Is it clear who decides what during the review?",
        ),
        governance_evidence,
    ),
    Marker(
        "management",
        RUNNING,
        "Managing the review",
        "The review runs smoothly and is finished in good time and within budget.",
        (
            "Is the review keeping to its timetable, and are its deadlines met?",
            "Are delays explained, and is the board told of them?",
            "Is there enough administrative support and reviewer time?",
        ),
        management_evidence,
    ),
    Marker(
        "parallel",
        RUNNING,
        "Parallel processes",
        "The review works alongside other processes (criminal, coronial, disciplinary) without "
        "losing its learning.",
        (
            "Are other processes about the same events known, with a contact for each?",
            "Has what each process holds back (the clock, contact, publication) been agreed?",
        ),
        parallel_evidence,
    ),
    Marker(
        "information",
        RUNNING,
        "Assembling information",
        "The information the review needs is gathered efficiently and on time from the agencies "
        "involved.",
        (
            "Did every agency in scope provide its report, and on time?",
            "Were case records secured before the work began?",
            "Was the information enough to understand what happened and why?",
        ),
        information_evidence,
    ),
    Marker(
        "practitioners",
        RUNNING,
        "Practitioner involvement",
        "The practitioners involved take part, are supported, and their accounts shape the "
        "findings.",
        (
            "Were the practitioners involved interviewed, with support if they wanted it?",
            "Did they check their accounts for accuracy?",
            "Could they comment on how the draft report describes their practice?",
        ),
        practitioners_evidence,
    ),
    Marker(
        "family_involvement",
        RUNNING,
        "Family involvement",
        "The family are offered a meaningful part in the review, and their views inform it.",
        (
            "Were family members offered a meeting, and did it happen?",
            "Are their views recorded, and does the report reflect them?",
            "Where they chose not to take part, is that recorded?",
        ),
        family_involvement_evidence,
    ),
    Marker(
        "analysis",
        RUNNING,
        "Analysis",
        "The analysis explains why practice was as it was, not only what happened.",
        (
            "Does the report analyse each agency's involvement?",
            "Does it name good practice as well as lessons?",
            "Did the agencies have the chance to comment on the analysis?",
        ),
        analysis_evidence,
    ),
    Marker(
        "report",
        OUTPUTS,
        "The report",
        "The report sets out clearly the findings that matter for improvement, with the least "
        "detail about the family.",
        (
            "Does the report have every section it should?",
            "Was the final report agreed by the panel?",
            "Is the family's detail kept to what the learning needs?",
        ),
        report_evidence,
    ),
    Marker(
        "improvement",
        OUTPUTS,
        "Improvement action",
        "Agencies agree what they will do in response, after informed discussion.",
        (
            "Does every recommendation have an action, an owner and a target date?",
            "Was the action plan agreed by the agencies?",
        ),
        improvement_evidence,
    ),
    Marker(
        "board_response",
        OUTPUTS,
        "The board's written response",
        "The board agrees a clear, short written response, ready to publish, saying what will be "
        "done.",
        (
            "Has the board written its response to the report?",
            "Did the board agree it, and when?",
        ),
        board_response_evidence,
    ),
    Marker(
        "publication",
        OUTPUTS,
        "Publication",
        "Whether, when and how the report is published is decided with care for its effects, "
        "above all on the family.",
        (
            "Is the decision on publication reasoned and approved by the chair?",
            "Were the national bodies sent the report in time, and the family shown it first?",
            "Was it published on the date planned?",
        ),
        publication_evidence,
    ),
    Marker(
        "implementation",
        OUTPUTS,
        "Implementation and evaluation",
        "The board builds the learning into its business plan and checks that services improve.",
        (
            "Are the actions complete, each with evidence of the change?",
            "Are overdue actions followed up?",
            "Has the board tested whether practice has improved?",
        ),
        implementation_evidence,
    ),
)
MARKERS_BY_KEY = {marker.key: marker for marker in MARKERS}


@dataclass(frozen=True)
class MarkerResult:
    """A marker for one review: the service's finding, the board manager's answer (which wins)
    and the status shown."""

    marker: Marker
    finding: Finding
    answer: QualityAnswer | None

    @property
    def automatic(self) -> str | None:
        return self.finding.status

    @property
    def status(self) -> str:
        if self.answer is not None:
            return self.answer.status
        return self.finding.status or Status.NOT_YET

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS[Status(self.status)]

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def automatic_label(self) -> str:
        return (
            Status(self.finding.status).label if self.finding.status else "The service cannot tell"
        )


def markers_evaluate(facts: ReviewFacts) -> list[MarkerResult]:
    """Every marker's result for the review, in order."""
    return [
        MarkerResult(marker, marker.evidence(facts), facts.answers.get(marker.key))
        for marker in MARKERS
    ]
