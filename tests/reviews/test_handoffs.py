"""Every handoff tells the people who must act next, in the app and through the outbox, and the
README's table says so for every event."""

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from agencies.models import Role, User
from families.services.involvement import family_views_save
from outbox.kinds import kind_get
from outbox.models import Email
from publication.builders import publication_plan_build
from publication.publishing import publication_publish
from publication.services import publication_approve, publication_notice_record
from reviews.builders import Seat, cast_create, person_create, review_advance, review_at
from reviews.emails import HANDOFF, REPORT_REQUESTED
from reviews.frameworks import Framework, Outcome
from reviews.handoffs import EVENTS
from reviews.models import Notification
from reviews.services.actions import action_progress
from reviews.services.closing import review_withdraw
from reviews.services.interviews import interview_notes_send, interview_record
from reviews.services.overview import comment_add, comments_close, comments_request
from reviews.services.panel import panel_member_remove
from reviews.services.practitioners import practitioner_comments_record, practitioner_comments_send
from reviews.services.referral import decision_record
from reviews.services.reports import report_return
from tests.factories import AgencyFactory, FamilyMemberFactory

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_table_lists_every_event_and_no_other():
    text = README.read_text()
    table = text.split("<!-- handoffs table -->")[1]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert sorted(listed) == sorted(EVENTS)
    for key, event in EVENTS.items():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{key}` |"))
        assert event.told in row, f"the README row of {key} does not say who is told"


@pytest.fixture
def world():
    police, health = AgencyFactory(name="Northshire Police"), AgencyFactory(name="Health")
    cast = cast_create(agencies=[police, health])
    cast.panel.append(
        person_create(
            email="panel2@example.org",
            first_name="Panel",
            last_name="Invented",
            roles=[Role.PANEL_MEMBER],
        )
    )
    other = {
        "manager": person_create(
            email="manager2@example.org",
            first_name="Manager",
            last_name="Invented",
            roles=[Role.BOARD_MANAGER],
        ),
        "chair": person_create(
            email="chair2@example.org", first_name="Chair", last_name="Invented", roles=[Role.CHAIR]
        ),
        "police_lead": person_create(
            email="lead2@example.org",
            first_name="Lead",
            last_name="Invented",
            roles=[Role.AGENCY_LEAD],
            agency=police,
        ),
    }
    return cast, [police, health], other


def _soon(days=14):
    return timezone.localdate() + timedelta(days=days)


def _at(world, stage, *, seats=True, **options):
    """A review of the world's agencies built to ``stage``, its panel seated unless
    ``seats=None`` (the builders' default seats)."""
    cast, agencies, _ = world
    if seats is True:
        options["seats"] = _seats(cast)
    return review_at(stage, cast=cast, agencies_in_scope=agencies, **options)


def _seats(cast):
    return [Seat(person, panel_role="co_opted") for person in cast.panel]


# Each scenario takes the world, fires its event through the services as people do, and
# returns the review and who must have been told.
def _decision_awaited(world):
    cast, _, other = world
    built = _at(world, "referral", seats=None)
    return built.review, {cast.chair, other["chair"]}


def _rapid_review_due(world):
    _, _, other = world
    built = _at(
        world,
        "referral",
        seats=None,
        framework=Framework.LCSPR,
        notified_on=timezone.localdate(),
    )
    return built.review, {other["manager"]}


def _decision_awaited_after_rapid_review(world):
    cast, _, other = world
    built = _at(
        world,
        "decided",
        seats=None,
        framework=Framework.LCSPR,
        notified_on=timezone.localdate(),
    )
    # the rapid review (by the manager) tells both chairs the decision is theirs now
    told = set(
        Notification.objects.filter(event="decision_awaited", review=built.review)
        .values_list("recipient__email", flat=True)
        .distinct()
    )
    assert told == {cast.chair.email, other["chair"].email}
    return built.review, None


def _decision_recorded_for_chair(world):
    cast, _, _ = world
    review = _at(world, "referral", seats=None).review
    decision_record(
        review=review,
        actor=cast.manager,
        decided_by=cast.chair,
        communicated_via="email",
        answers={c.key: not c.mandatory for c in review.profile.criteria},
        outcome=Outcome.INITIATE,
        decided_on=timezone.localdate(),
        rationale="",
        national_bodies_told_on=None,
    )
    return review, {cast.chair}


def _panel_to_convene(world):
    cast, _, other = world
    built = _at(world, "decided", seats=None)
    return built.review, {cast.manager, other["manager"]}


def _author_to_appoint(world):
    _, _, other = world
    built = _at(world, "decided", seats=None)
    return built.review, {other["chair"]}  # the deciding chair knows


def _review_closed_at_decision(world):
    cast, _, other = world
    built = _at(
        world,
        "decided",
        seats=None,
        decision={"outcome": Outcome.NO_FURTHER_ACTION, "rationale": "Below the threshold"},
    )
    return built.review, {cast.manager, other["manager"]}


def _panel_seat(world):
    cast, _, _ = world
    built = _at(world, "convened")
    return built.review, set(cast.panel)


def _author_appointed(world):
    cast, _, _ = world
    built = _at(world, "convened")
    return built.review, {cast.author}


def _report_requested(world):
    cast, _, other = world
    built = _at(world, "agency_reports")
    return built.review, {*cast.leads.values(), other["police_lead"]}


def _report_submitted(world):
    cast, agencies, _ = world
    built = _at(
        world,
        "agency_reports",
        reports={agencies[0]: "submitted"},
    )
    return built.review, {*cast.panel, cast.author}


def _report_returned(world):
    cast, agencies, other = world
    built = _at(
        world,
        "agency_reports",
        reports={agencies[0]: "submitted"},
    )
    report_return(
        report=built.report_of(agencies[0]), actor=cast.author, comments="Add the GP's contact"
    )
    return built.review, {cast.lead_of(agencies[0]), other["police_lead"]}


def _report_accepted(world):
    cast, agencies, other = world
    built = _at(
        world,
        "agency_reports",
        reports={agencies[0]: "accepted"},
    )
    return built.review, {cast.lead_of(agencies[0]), other["police_lead"]}


def _overview_can_start(world):
    cast, _, other = world
    built = _at(world, "overview")
    # the author accepted the last report: the board managers and nobody else are told
    return built.review, {cast.manager, other["manager"]}


def _interview_notes_sent(world):
    cast, agencies, other = world
    built = _at(world, "agency_reports")
    report, lead = built.report_of(agencies[0]), cast.lead_of(agencies[0])
    interview = interview_record(
        report=report,
        actor=lead,
        worker_role="Health visitor",
        worker_name="Invented Worker",
        held_on=timezone.localdate(),
        interviewer="Invented interviewer",
        supporter_attended=False,
        notes="Invented notes",
    )
    interview_notes_send(
        interview=interview, actor=lead, sent_on=timezone.localdate(), response_due_on=_soon()
    )
    return built.review, {other["police_lead"]}


def _draft_out_for_comment(world):
    cast, _, other = world
    built = _at(world, "overview", drafts=1)
    comments_request(review=built.review, actor=cast.author, due_on=_soon())
    return built.review, {*cast.panel, *cast.leads.values(), other["police_lead"]}


def _comment_received(world):
    cast, agencies, _ = world
    built = _at(world, "overview", drafts=1)
    comment_round = comments_request(review=built.review, actor=cast.author, due_on=_soon())
    comment_add(
        comment_round=comment_round,
        actor=cast.lead_of(agencies[0]),
        text="The dates in paragraph 4 are wrong",
        report=built.report_of(agencies[0]),
    )
    return built.review, {cast.author}


def _agreement_awaited(world):
    cast, _, other = world
    built = _at(world, "overview", drafts=1)
    comments_request(review=built.review, actor=cast.author, due_on=_soon())
    comments_close(review=built.review, actor=cast.manager)
    return built.review, {other["manager"], cast.author}


def _overview_agreed(world):
    cast, _, other = world
    built = _at(world, "action_plan")
    return built.review, {cast.author, *cast.panel, *cast.leads.values(), other["police_lead"]}


def _action_assigned(world):
    cast, agencies, other = world
    built = _at(
        world,
        "action_plan",
        actions=[{"recommendation": 0, "agency": agencies[0]}],
    )
    return built.review, {cast.lead_of(agencies[0]), other["police_lead"]}


def _action_updated(world):
    cast, agencies, other = world
    built = _at(
        world,
        "action_plan",
        actions=[{"recommendation": 0, "agency": agencies[0]}],
    )
    action_progress(
        action=built.actions[0],
        actor=cast.lead_of(agencies[0]),
        status="on_track",
        note="Training booked",
        evidence="",
    )
    return built.review, {cast.manager, other["manager"]}


def _action_plan_agreed(world):
    cast, agencies, other = world
    built = _at(
        world,
        "publication",
        actions=[{"recommendation": 0, "agency": agencies[0]}],
    )
    return built.review, {
        cast.chair,
        other["chair"],
        cast.lead_of(agencies[0]),
        other["police_lead"],
    }


def _plan_awaits_approval(world):
    cast, _, other = world
    built = _at(world, "publication")
    publication_plan_build(built)
    return built.review, {cast.chair, other["chair"]}


def _publication_approved(world):
    cast, _, other = world
    built = _at(world, "publication")
    publication_plan_build(built)
    publication_approve(review=built.review, actor=cast.chair)
    return built.review, {cast.manager, other["manager"]}


def _review_closed(world):
    cast, agencies, other = world
    built = _at(world, "agency_reports")
    review_withdraw(review=built.review, actor=cast.manager, reason="Criminal trial first.")
    leads = {cast.lead_of(agency) for agency in agencies}
    return built.review, {cast.chair, other["chair"], cast.author, other["police_lead"], *leads}


def _report_published(world):
    cast, _, other = world
    built = _at(world, "publication")
    planned = timezone.localdate() + timedelta(weeks=4)
    publication_plan_build(built, approved=True, planned_on=planned)
    publication_notice_record(review=built.review, actor=cast.manager, sent_on=_soon(0))
    with time_machine.travel(timezone.make_aware(datetime.combine(planned, time(12))), tick=False):
        publication_publish(review=built.review, actor=cast.manager, themes=[])
    return built.review, {cast.chair, other["chair"], cast.author}


def _practitioner_comments_sent(world):
    """The author sends a police worker the passages about their practice."""
    cast, agencies, _ = world
    police = agencies[0]

    def casework(report, lead):
        if report.agency_id == police.pk:
            interview_record(
                report=report,
                actor=lead,
                worker_role="Police Officer 1",
                worker_name="Canary Officer",
                held_on=_soon(-30),
                interviewer="Review lead",
                supporter_attended=False,
                notes="Invented notes.",
            )

    built = _at(world, "overview", report_options={"casework": casework})
    interview = built.report_of(police).interviews.get()
    comment = practitioner_comments_send(
        interview=interview, actor=cast.author, entries=[], extract="The officer.", due_on=_soon()
    )
    return built.review, comment


def _practitioner_comments_sent_told(world):
    cast, agencies, other = world
    review, _ = _practitioner_comments_sent(world)
    return review, {cast.lead_of(agencies[0]), other["police_lead"]}


def _practitioner_comments_recorded(world):
    cast, agencies, _ = world
    review, comment = _practitioner_comments_sent(world)
    practitioner_comments_record(
        comment=comment, actor=cast.lead_of(agencies[0]), outcome="received", comments="Fair."
    )
    return review, {cast.author}


def _family_views_recorded(world):
    cast, _, _ = world
    built = _at(world, "convened")
    member = FamilyMemberFactory(review=built.review)
    family_views_save(member=member, actor=cast.manager, views="She wants to be heard.")
    return built.review, {cast.author}


SCENARIOS = {
    "decision_awaited": _decision_awaited,
    "rapid_review_due": _rapid_review_due,
    "decision_recorded_for_chair": _decision_recorded_for_chair,
    "panel_to_convene": _panel_to_convene,
    "author_to_appoint": _author_to_appoint,
    "review_closed_at_decision": _review_closed_at_decision,
    "panel_seat": _panel_seat,
    "author_appointed": _author_appointed,
    "report_requested": _report_requested,
    "report_submitted": _report_submitted,
    "report_returned": _report_returned,
    "report_accepted": _report_accepted,
    "overview_can_start": _overview_can_start,
    "interview_notes_sent": _interview_notes_sent,
    "draft_out_for_comment": _draft_out_for_comment,
    "comment_received": _comment_received,
    "agreement_awaited": _agreement_awaited,
    "overview_agreed": _overview_agreed,
    "action_assigned": _action_assigned,
    "action_updated": _action_updated,
    "action_plan_agreed": _action_plan_agreed,
    "plan_awaits_approval": _plan_awaits_approval,
    "publication_approved": _publication_approved,
    "report_published": _report_published,
    "family_views_recorded": _family_views_recorded,
    "practitioner_comments_sent": _practitioner_comments_sent_told,
    "practitioner_comments_recorded": _practitioner_comments_recorded,
    "review_closed": _review_closed,
}


def test_every_event_has_a_scenario():
    assert sorted(SCENARIOS) == sorted(EVENTS)


@pytest.mark.parametrize("event", sorted(SCENARIOS))
def test_each_handoff_tells_exactly_who_acts_next_in_the_app_and_by_email(event, world):
    review, expected = SCENARIOS[event](world)
    notifications = Notification.objects.filter(event=event, review=review)
    told = {n.recipient for n in notifications}
    assert told == expected
    assert all(n.text.startswith(f"{review.reference}: ") and n.url for n in notifications)
    kind = REPORT_REQUESTED if event == "report_requested" else HANDOFF
    emailed = set(
        Email.objects.filter(kind=kind, recipient__in=told).values_list("recipient", flat=True)
    )
    assert emailed == {person.pk for person in told}


def test_the_rapid_review_hands_the_decision_to_the_chairs(world):
    _decision_awaited_after_rapid_review(world)


def test_people_who_left_are_not_told(world):
    cast, _, other = world
    other["chair"].is_active = False
    other["chair"].save()
    built = _at(world, "referral", seats=None)
    told = Notification.objects.filter(event="decision_awaited", review=built.review)
    assert {n.recipient for n in told} == {cast.chair}


def test_a_returned_report_tells_its_leads_and_nobody_else_at_other_agencies(world):
    cast, agencies, _ = world
    review, _ = _report_returned(world)
    other_lead = cast.lead_of(agencies[1])
    assert not Notification.objects.filter(
        recipient=other_lead, event="report_returned", review=review
    ).exists()


def test_advancing_is_not_told_twice(world):
    cast, _, _ = world
    built = _at(world, "decided", seats=None)
    review_advance(built, "convened", seats=_seats(cast))
    assert Notification.objects.filter(event="panel_to_convene", review=built.review).count() == 2


def test_news_is_not_emailed_to_someone_who_lost_access_before_it_went(world):
    cast, agencies, _ = world
    built = _at(
        world,
        "agency_reports",
        reports={agencies[0]: "submitted"},
    )
    member = built.seats[0]
    panel_member_remove(member=member, actor=cast.manager, reason="Moved to another post")
    for person, still_told in ((member.person, False), (cast.author, True)):
        news = Notification.objects.get(event="report_submitted", recipient=person)
        email = Email.objects.get(kind=HANDOFF, key=f"notification:{news.pk}")
        fresh = User.objects.get(pk=person.pk)  # as the outbox loads the recipient
        assert (kind_get(HANDOFF).render(fresh, email.context) is not None) is still_told
