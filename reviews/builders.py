"""Build reviews up to any stage through the real services, in the order people use them.

The demo data, the tests and the benchmarks build their reviews here, so that a review "at the
overview stage" has exactly the history, timeline, deadlines and access that users produce.
Every text and date has an invented default that a caller may override.

    cast = Cast(manager=manager, chair=chair, author=author, leads={police.pk: lead})
    built = review_at("overview", cast=cast, agencies_in_scope=[police], drafts=1)
    built.review, built.reports, built.drafts  # …

Stages, in order: see STAGES. A built review can be taken further with ``review_advance``.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pikepdf
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Role, User
from agencies.services import person_roles_set
from reviews.frameworks import AgeGroup, Framework, Outcome, Subject, profile_for
from reviews.models import (
    Action,
    AuthorAppointment,
    CommentRound,
    OverviewDraft,
    PanelMeeting,
    PanelMember,
    RapidReview,
    Recommendation,
    ReportRequest,
    Review,
    TermsOfReference,
    ThresholdDecision,
)
from reviews.selectors.overview import comment_round_open_get
from reviews.services.actions import action_create, action_plan_agree, action_progress
from reviews.services.overview import (
    comments_close,
    comments_request,
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
)
from reviews.services.overview_text import (
    overview_version_write,
)
from reviews.services.panel import author_appoint, meeting_record, panel_member_add, terms_save
from reviews.services.referral import (
    decision_record,
    notification_record,
    rapid_review_record,
    referral_create,
)
from reviews.services.reports import (
    report_accept,
    report_due_default,
    report_excuse,
    report_records_secure,
    report_submit,
    report_upload,
    reports_request,
)

# What each stage of ``review_at`` means; each includes every stage before it.
STAGES = (
    "referral",  # referral recorded (and, if asked, the notification to the national bodies)
    "decided",  # the chair's decision (after the rapid review a review type needs): PANEL
    "convened",  # terms of reference, panel seats, author appointed; still PANEL
    "agency_reports",  # management reports requested (each taken as far as ``reports`` says)
    "overview",  # every report accepted or excused; drafts, a round of comments, recommendations
    "action_plan",  # report agreed; actions answer the recommendations
    "publication",  # action plan agreed (the plan itself: publication.builders)
)
# How far a management report can be taken, in order ("excused" stands apart).
REPORT_STEPS = ("requested", "secured", "uploaded", "submitted", "accepted")


@dataclass
class Cast:
    """The people a review needs: who records, decides, writes, sits and reports."""

    manager: User
    chair: User
    author: User | None = None
    panel: list[User] = field(default_factory=list)
    leads: dict[int, User] = field(default_factory=dict)  # agency pk -> that agency's lead

    def lead_of(self, agency: Agency) -> User:
        """The agency's lead; raises LookupError if the cast has none."""
        try:
            return self.leads[agency.pk]
        except KeyError:
            raise LookupError(f"The cast has no lead for {agency}") from None


@dataclass
class Seat:
    """A person put forward for the panel; ``independent=False`` leaves them not seated."""

    person: User
    panel_role: str = PanelMember.PanelRole.MEMBER
    independent: bool = True


@dataclass
class Built:
    """A review and the records built for it so far."""

    review: Review
    cast: Cast
    agencies_in_scope: list[Agency]
    stage: str = "referral"
    rapid_review: RapidReview | None = None
    decision: ThresholdDecision | None = None
    terms: TermsOfReference | None = None
    seats: list[PanelMember] = field(default_factory=list)
    author_appointment: AuthorAppointment | None = None
    meeting: PanelMeeting | None = None
    reports: list[ReportRequest] = field(default_factory=list)
    drafts: list[OverviewDraft] = field(default_factory=list)
    comment_round: CommentRound | None = None
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def report_of(self, agency: Agency) -> ReportRequest:
        """The agency's management report; raises StopIteration if it has none."""
        return next(report for report in self.reports if report.agency_id == agency.pk)

    @property
    def writer(self) -> User:
        """Who writes the overview report: the appointed author, else the board manager."""
        return self.author_appointment.person if self.author_appointment else self.cast.manager


def invented_pdf(title: str) -> UploadedFile:
    """A one-page PDF with ``title`` as its title, standing in for a real document."""
    document = pikepdf.new()
    document.add_blank_page()
    document.docinfo["/Title"] = title
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(f"{title}.pdf", out.getvalue())


@transaction.atomic
def person_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles: tuple[str, ...] | list[str] = (),
    agency: Agency | None = None,
    job_title: str = "",
    password: str | None = None,
) -> User:
    """Add a person in their role groups (and their agency's leads group if a lead)."""
    person = User.objects.create_user(
        email,
        password,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        agency=agency,
    )
    person_roles_set(person=person, roles=list(roles), agency=agency)
    return person


def cast_create(*, agencies: list[Agency], domain: str = "example.org", password=None) -> Cast:
    """Make a board manager, chair, author, panel member and one lead per agency."""

    def make(key: str, role: str, agency: Agency | None = None) -> User:
        first, last = key.split("-")[0].title(), f"Invented {key}"
        return person_create(
            email=f"{key}@{domain}",
            first_name=first,
            last_name=last,
            roles=[role],
            agency=agency,
            password=password,
        )

    return Cast(
        manager=make("manager", Role.BOARD_MANAGER),
        chair=make("chair", Role.CHAIR),
        author=make("author", Role.INDEPENDENT_AUTHOR),
        panel=[make("panel", Role.PANEL_MEMBER, agencies[0])] if agencies else [],
        leads={a.pk: make(f"lead-{a.pk}", Role.AGENCY_LEAD, a) for a in agencies},
    )


def _referral_defaults(framework: str, agencies: list[Agency]) -> dict:
    referred_on = timezone.localdate() - timedelta(days=10)
    adult = profile_for(framework).subject == Subject.ADULT
    return {
        "subject_reference": "Adult A" if adult else "Child A",
        "full_name": "Invented Person",
        "date_of_birth": None,
        "address": "",
        "age_group": AgeGroup.AGED_18_64 if adult else AgeGroup.AGED_1_4,
        "harm": Review.Harm.SERIOUS_HARM,
        "abuse_categories": [Review.AbuseCategory.NEGLECT],
        "referring_agency": agencies[0],
        "referrer_name": "Named Nurse for Safeguarding",
        "referrer_contact": "",
        "incident_date": referred_on - timedelta(days=4),
        "referred_on": referred_on,
        "agencies_involved": agencies,
        "circumstances": "Invented circumstances: a child was seriously harmed and several "
        "agencies knew the family.",
    }


def _refer(
    *, cast: Cast, agencies: list[Agency], framework: str, fields: dict, notified_on
) -> Review:
    defaults = _referral_defaults(framework, agencies)
    if "referred_on" in fields:
        defaults["incident_date"] = fields["referred_on"] - timedelta(days=4)
    review = referral_create(actor=cast.manager, framework=framework, **{**defaults, **fields})
    if notified_on is not None:
        notification_record(review=review, actor=cast.manager, notified_on=notified_on)
    return review


def _decide(built: Built, *, rapid_review: dict, decision: dict) -> None:
    review, cast = built.review, built.cast
    today = timezone.localdate()
    if review.needs_rapid_review:
        held_on = min(review.referred_on + timedelta(days=4), today)
        built.rapid_review = rapid_review_record(
            review=review,
            actor=cast.manager,
            **{
                "held_on": held_on,
                "attendees": "Designated doctor, head of service, detective inspector.",
                "facts": "Invented facts: each agency shared its contacts with the child.",
                "immediate_action": "A strategy discussion was held.",
                "learning": "How concerns reach children's social care.",
                "recommendation": RapidReview.Recommendation.REVIEW,
                "sent_to_national_panel_on": held_on,
                **rapid_review,
            },
        )
    fields = {
        "answers": {c.key: not c.mandatory for c in review.profile.criteria},
        "outcome": Outcome.INITIATE,
        "decided_on": min(review.referred_on + timedelta(days=2), today),
        "rationale": "",
        "national_bodies_told_on": None,
        **decision,
    }
    # "recorded_by": someone (the board manager) records the chair's decision for them.
    recorder = fields.pop("recorded_by", cast.chair)
    if recorder != cast.chair:
        fields.setdefault("decided_by", cast.chair)
    built.decision = decision_record(review=review, actor=recorder, **fields)
    review.refresh_from_db()


def _convene(
    built: Built, *, terms: dict, seats: list[Seat] | None, author: bool, meeting: dict | None
) -> None:
    review, cast = built.review, built.cast
    declared_on = built.decision.decided_on
    built.terms = terms_save(
        review=review,
        actor=cast.manager,
        **{
            "period_start": review.incident_date - relativedelta(years=1),
            "period_end": review.incident_date,
            "lines_of_enquiry": ["What did each agency know, and how was it shared?"],
            "agencies_in_scope": built.agencies_in_scope,
            "family_involvement_plan": "The author will offer the family a meeting.",
            "scoping_meeting_on": None,
            **terms,
        },
    )
    for seat in [Seat(person) for person in cast.panel] if seats is None else seats:
        built.seats.append(
            panel_member_add(
                review=review,
                actor=cast.manager,
                person=seat.person,
                panel_role=seat.panel_role,
                not_involved_in_case=True,
                no_management_responsibility=seat.independent,
                declared_on=declared_on,
            )
        )
    if author and cast.author is not None:
        built.author_appointment = author_appoint(
            review=review,
            actor=cast.chair,
            person=cast.author,
            not_involved_in_case=True,
            no_management_responsibility=True,
            declared_on=declared_on,
        )
    if meeting is not None:
        attendees = [m.person for m in built.seats if m.status == PanelMember.Status.SEATED]
        if built.author_appointment:
            attendees.append(built.author_appointment.person)
        built.meeting = meeting_record(
            review=review,
            actor=cast.manager,
            **{
                "held_on": declared_on,
                "attendees": attendees,
                "minutes": "Scoping meeting: the panel agreed the terms of reference.",
                "actions_agreed": "",
                **meeting,
            },
        )


def _report_step(report: ReportRequest) -> str:
    """How far a report has been taken (a returned report counts as secured or uploaded)."""
    if report.status in (ReportRequest.Status.ACCEPTED, ReportRequest.Status.EXCUSED):
        return report.status
    if report.status == ReportRequest.Status.SUBMITTED:
        return "submitted"
    if report.versions.filter(submitted_at__isnull=True).exists():
        return "uploaded"
    return "secured" if report.records_secured else "requested"


def report_advance(
    report: ReportRequest,
    *,
    cast: Cast,
    to: str,
    decided_by: User | None = None,
    records_note: str = "Case records exported and locked in the records system.",
    comments: str = "",
    document: Callable[[str], UploadedFile] = invented_pdf,
    casework: Callable[[ReportRequest, User], None] | None = None,
) -> ReportRequest:
    """A management report taken on to ``to`` (REPORT_STEPS or "excused"), by its lead;
    ``casework(report, lead)`` does the agency's work (its chronology, its interviews) once
    its records are secured, before the report is uploaded."""
    report.refresh_from_db()
    now = _report_step(report)
    if to == "excused":
        if now != "excused":
            report = report_excuse(report=report, actor=cast.manager, comments=comments)
        return report
    if now == "excused":
        raise ValueError(f"The {report.agency} report is excused")
    for step in REPORT_STEPS[REPORT_STEPS.index(now) + 1 : REPORT_STEPS.index(to) + 1]:
        if step == "secured":
            report = report_records_secure(
                report=report, actor=cast.lead_of(report.agency), note=records_note
            )
        elif step == "uploaded":
            if casework is not None:
                casework(report, cast.lead_of(report.agency))
            title = f"{report.agency} management report"
            report_upload(report=report, actor=cast.lead_of(report.agency), file=document(title))
        elif step == "submitted":
            report = report_submit(report=report, actor=cast.lead_of(report.agency))
        elif step == "accepted":
            report = report_accept(
                report=report, actor=decided_by or cast.manager, comments=comments
            )
    return report


def _request_reports(
    built: Built, *, due_on: date | None, reports, report_options: dict, default_to: str
) -> None:
    review = built.review
    requested = reports_request(
        review=review, actor=built.cast.manager, due_on=due_on or report_due_default(review=review)
    )
    for report in requested:
        if isinstance(reports, dict):
            to = reports.get(report.agency, reports.get(report.agency_id))
        else:
            to = reports
        to, comments = to if isinstance(to, tuple) else (to or default_to, None)
        if to != "requested":
            options = (
                report_options if comments is None else {**report_options, "comments": comments}
            )
            report_advance(report, cast=built.cast, to=to, **options)
    built.reports = list(ReportRequest.objects.filter(review=review).select_related("agency"))


def _finish_reports(built: Built, *, report_options: dict) -> None:
    for report in built.reports:
        if report.status not in (ReportRequest.Status.ACCEPTED, ReportRequest.Status.EXCUSED):
            report_advance(report, cast=built.cast, to="accepted", **report_options)
    built.reports = list(ReportRequest.objects.filter(review=built.review).select_related("agency"))
    built.review.refresh_from_db()


# The overview report's text a review past its overview stage has unless told otherwise.
REPORT_TEXT = {
    "executive_summary": "The agencies knew the family for two years. They did not share what "
    "they knew. Each saw a part of the picture, and nobody saw all of it.",
    "lessons": "Agencies should share what they know within a week.",
}


def _write_overview(
    built: Built,
    *,
    drafts: int,
    draft_note: str,
    comments_due_on: date | None,
    recommendations: list[str],
    document: Callable[[str], UploadedFile],
    report_text: dict[str, str] | None,
) -> None:
    review, writer = built.review, built.writer
    for _ in range(drafts):
        number = len(built.drafts) + 1
        built.drafts.append(
            overview_draft_upload(
                review=review,
                actor=writer,
                file=document(f"{review.subject_reference} overview report, draft {number}"),
                note=draft_note,
            )
        )
    for text in recommendations:
        built.recommendations.append(recommendation_add(review=review, actor=writer, text=text))
    if report_text:
        overview_version_write(review=review, actor=writer, texts=report_text)
    if comments_due_on is not None:
        built.comment_round = comments_request(review=review, actor=writer, due_on=comments_due_on)


def _plan_actions(built: Built, *, actions: list[dict] | None) -> None:
    review, manager = built.review, built.cast.manager
    if comment_round_open_get(review=review):
        comments_close(review=review, actor=manager)
    overview_finalise(
        review=review,
        actor=manager,
        meeting_on=timezone.localdate(),
        uncirculated_reason="The agencies saw it at the panel meeting.",
    )
    if actions is None:
        actions = [{"recommendation": r} for r in built.recommendations]
    for spec in actions:
        spec = dict(spec)
        progress = spec.pop("progress", None)
        if isinstance(spec.get("recommendation"), int):  # an index into the recommendations
            spec["recommendation"] = built.recommendations[spec["recommendation"]]
        action = action_create(
            review=review,
            actor=manager,
            **{
                "agency": built.agencies_in_scope[0],
                "lead_name": "Head of Service",
                "change": "An invented change to practice.",
                "difference": "Children at risk are recognised sooner.",
                "target_on": timezone.localdate() + timedelta(weeks=8),
                **spec,
            },
        )
        if progress is not None:
            status, note, evidence = progress
            action_progress(
                action=action, actor=manager, status=status, note=note, evidence=evidence
            )
            action.refresh_from_db()
        built.actions.append(action)
    review.refresh_from_db()


def _publish(built: Built) -> None:
    action_plan_agree(review=built.review, actor=built.cast.manager)
    built.review.refresh_from_db()


def _overview_defaults(
    beyond: bool,
    drafts: int | None,
    recommendations: list[str] | None,
    report_text: dict[str, str] | None,
) -> tuple[int, list[str], dict[str, str] | None]:
    """What a review taken ``beyond`` its overview stage has unless told otherwise: a draft, a
    recommendation and the report's text; a review left at the overview stage, none of them."""
    if drafts is None:
        drafts = 1 if beyond else 0
    if recommendations is None:
        recommendations = (
            ["Agencies should share what they know about the family within a week."]
            if beyond
            else []
        )
    if report_text is None and beyond:
        report_text = REPORT_TEXT
    return drafts, recommendations, report_text


@transaction.atomic
def review_advance(
    built: Built,
    stage: str,
    *,
    rapid_review: dict | None = None,
    decision: dict | None = None,
    terms: dict | None = None,
    seats: list[Seat] | None = None,
    author: bool = True,
    meeting: dict | None = None,
    report_due_on: date | None = None,
    # How far each report goes: one REPORT_STEPS name (or "excused") for all, or a dict by
    # agency (or its pk) of a name or a (name, comments) pair.
    reports: str | dict | None = None,
    report_options: dict | None = None,
    drafts: int | None = None,
    draft_note: str = "",
    comments_due_on: date | None = None,
    recommendations: list[str] | None = None,
    actions: list[dict] | None = None,
    document: Callable[[str], UploadedFile] = invented_pdf,
    # The overview report's text, in the writing form by section key (scr/richtext.py).
    report_text: dict[str, str] | None = None,
) -> Built:
    """Take a built review on to ``stage`` (see STAGES), each step through its services."""
    target = STAGES.index(stage)
    beyond_reports = target > STAGES.index("agency_reports")
    report_options = {"document": document, **(report_options or {})}
    drafts, recommendations, report_text = _overview_defaults(
        target > STAGES.index("overview"), drafts, recommendations, report_text
    )
    for index in range(STAGES.index(built.stage) + 1, target + 1):
        step = STAGES[index]
        if step == "decided":
            _decide(built, rapid_review=rapid_review or {}, decision=decision or {})
        elif step == "convened":
            _convene(built, terms=terms or {}, seats=seats, author=author, meeting=meeting)
        elif step == "agency_reports":
            _request_reports(
                built,
                due_on=report_due_on,
                reports=reports,
                report_options={
                    "decided_by": built.writer if built.author_appointment else None,
                    **report_options,
                },
                default_to="accepted" if beyond_reports else "requested",
            )
        elif step == "overview":
            _finish_reports(
                built,
                report_options={
                    "decided_by": built.writer if built.author_appointment else None,
                    **report_options,
                },
            )
            _write_overview(
                built,
                drafts=drafts,
                draft_note=draft_note,
                comments_due_on=comments_due_on,
                recommendations=recommendations,
                document=document,
                report_text=report_text,
            )
        elif step == "action_plan":
            _plan_actions(built, actions=actions)
        elif step == "publication":
            _publish(built)
        built.stage = step
    built.review.refresh_from_db()
    return built


@transaction.atomic
def review_at(
    stage: str,
    *,
    cast: Cast,
    agencies_in_scope: list[Agency],
    framework: str = Framework.SCR,
    referral: dict | None = None,
    notified_on: date | None = None,
    **options,
) -> Built:
    """A new review taken from its referral to ``stage`` (see STAGES and review_advance)."""
    review = _refer(
        cast=cast,
        agencies=agencies_in_scope,
        framework=framework,
        fields=referral or {},
        notified_on=notified_on,
    )
    built = Built(review=review, cast=cast, agencies_in_scope=list(agencies_in_scope))
    return review_advance(built, stage, **options)
