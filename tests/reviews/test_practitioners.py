"""Practitioners' own voice: the author sends a worker interviewed, through their agency's
leads, the passages about their practice; the leads record the answer; the author reads it.
Only the worker's agency's leads and the author ever see any of it."""

import uuid
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from outbox.models import Email
from reviews.builders import Cast, review_advance, review_at
from reviews.emails import HANDOFF
from reviews.models import Deadline, Notification, PractitionerComment
from reviews.permissions.practitioners import (
    can_record_no_practitioner_comments,
    can_record_practitioner_comments,
    can_send_practitioner_comments,
    can_view_practitioner_comment,
)
from reviews.selectors.handoffs import work_list_for
from reviews.selectors.practitioners import practitioner_entry_list
from reviews.services.chronology import chronology_entry_save
from reviews.services.clock import reminders_sweep
from reviews.services.closing import review_withdraw
from reviews.services.interviews import interview_record
from reviews.services.practitioners import (
    practitioner_comments_no_response,
    practitioner_comments_record,
    practitioner_comments_send,
)
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = PractitionerComment.Status
WORKER = "Canary Worker"
OTHER_WORKER = "Other Canary"


def _lead(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return lead


def _casework(report, lead):
    """Each agency's chronology (two entries) and one interview, before its report goes in."""
    health = report.agency.name == "Health Trust"
    role = "Health Visitor 1" if health else "Police Officer 1"
    for day, text in ((date(2025, 3, 3), "Home visit: bruise seen."), (date(2025, 4, 1), "Call.")):
        chronology_entry_save(
            report=report,
            actor=lead,
            occurred_on=day,
            what_happened=f"{report.agency.name}: {text}",
            practitioner_role=role,
        )
    interview_record(
        report=report,
        actor=lead,
        worker_role=role,
        worker_name=WORKER if health else OTHER_WORKER,
        held_on=date(2025, 6, 1),
        interviewer="Review lead",
        supporter_attended=False,
        notes="Invented notes.",
    )


@pytest.fixture
def world(manager, chair):
    """A review at stage 5 with its author, a panel member, and two agencies (Health: the
    worker's, two leads; Police: another agency, one lead), each with a chronology and an
    interview; version 1 of the report's text is written."""
    health, police = AgencyFactory(name="Health Trust"), AgencyFactory(name="Police")
    cast = Cast(
        manager=manager,
        chair=chair,
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR),
        panel=[UserFactory(role=Role.PANEL_MEMBER, agency=police)],
        leads={health.pk: _lead(health), police.pk: _lead(police)},
    )
    built = review_at(
        "overview",
        cast=cast,
        agencies_in_scope=[health, police],
        terms=PERIOD_2025,
        report_options={"casework": _casework},
        drafts=1,
        recommendations=["Agencies should ask about injuries."],
        report_text={"agency_analysis": "The health visitor saw the bruise and did not ask."},
    )
    report = built.report_of(health)
    interview = report.interviews.get()
    return SimpleNamespace(
        built=built,
        review=built.review,
        health=health,
        police=police,
        report=report,
        interview=interview,
        other_interview=built.report_of(police).interviews.get(),
        entries=list(practitioner_entry_list(interview=interview)),
        author=cast.author,
        panel=cast.panel[0],
        lead=cast.lead_of(health),
        second_lead=_lead(health),
        police_lead=cast.lead_of(police),
        manager=manager,
        chair=chair,
    )


def _soon(days=14):
    return timezone.localdate() + timedelta(days=days)


def _send(world, **changes):
    fields = {
        "interview": world.interview,
        "actor": world.author,
        "entries": world.entries[:1],
        "extract": "The health visitor saw the bruise.",
        "due_on": _soon(),
        **changes,
    }
    return practitioner_comments_send(**fields)


def _deadline(comment):
    return Deadline.objects.get(kind=Deadline.Kind.PRACTITIONER_COMMENTS, key=str(comment.pk))


def _fields(error: ValidationError) -> set[str]:
    """The fields a refusal names ("__all__" for the form as a whole)."""
    return set(error.message_dict) if hasattr(error, "error_dict") else {"__all__"}


def _after(day):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


# --- Sending ---


def test_sending_keeps_what_was_sent_and_opens_the_agencys_deadline(world):
    comment = _send(world)
    assert comment.status == Status.SENT
    assert list(comment.entries.all()) == world.entries[:1]
    assert comment.extract == "The health visitor saw the bruise."
    assert comment.version == world.review.overview_versions.get()
    deadline = _deadline(comment)
    assert (deadline.state, deadline.due_on, deadline.owner_agency) == (
        Deadline.State.OPEN,
        _soon(),
        world.health,
    )
    assert deadline.get_absolute_url() == comment.get_absolute_url()
    (created,) = comment.history.all()
    assert (created.history_user, created.history_change_reason) == (world.author, "sent")


def test_sending_tells_the_workers_agencys_leads_and_nobody_else(world):
    comment = _send(world)
    told = Notification.objects.filter(event="practitioner_comments_sent")
    assert {n.recipient for n in told} == {world.lead, world.second_lead}
    assert all(n.url == comment.get_absolute_url() for n in told)
    assert all(WORKER not in n.text and "Health Visitor 1" in n.text for n in told)
    emailed = Email.objects.filter(kind=HANDOFF, key__in=[f"notification:{n.pk}" for n in told])
    assert {email.recipient for email in emailed} == {world.lead, world.second_lead}


def test_a_repeated_submission_sends_once(world):
    submission = uuid.uuid4()
    first = _send(world, submission=submission)
    assert _send(world, submission=submission) == first
    assert PractitionerComment.objects.count() == 1
    assert Notification.objects.filter(event="practitioner_comments_sent").count() == 2


def _fails(*args, **kwargs):
    raise RuntimeError("the notification could not be written")


def test_sending_is_all_or_nothing(world, monkeypatch):
    monkeypatch.setattr("reviews.services.practitioners.handoff_notify", _fails)
    with pytest.raises(RuntimeError):
        _send(world)
    assert not PractitionerComment.objects.exists()
    assert not PractitionerComment.history.exists()
    assert not Deadline.objects.filter(kind=Deadline.Kind.PRACTITIONER_COMMENTS).exists()


def test_recording_is_all_or_nothing(world, monkeypatch):
    comment = _send(world)
    monkeypatch.setattr("reviews.services.practitioners.handoff_notify", _fails)
    with pytest.raises(RuntimeError):
        practitioner_comments_record(
            comment=comment, actor=world.lead, outcome=Status.RECEIVED, comments="Fair."
        )
    comment.refresh_from_db()
    assert comment.status == Status.SENT
    assert _deadline(comment).state == Deadline.State.OPEN


def test_entries_only_or_an_extract_only_will_do(world):
    assert _send(world, extract="").version is None
    assert list(_send(world, entries=[]).entries.all()) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"entries": [], "extract": "  "}, "__all__"),
        ({"due_on": "today"}, "due_on"),
        ({"due_on": "yesterday"}, "due_on"),
        ({"entries": "police"}, "entries"),
    ],
)
def test_sending_refuses_bad_input_and_makes_nothing(world, changes, field):
    named = {
        "today": timezone.localdate(),
        "yesterday": timezone.localdate() - timedelta(days=1),
        "police": practitioner_entry_list(interview=world.other_interview)[:1],
    }
    changes = {
        key: named.get(value, value) if isinstance(value, str) else value
        for key, value in changes.items()
    }
    with pytest.raises(ValidationError) as refused:
        _send(world, **changes)
    assert field in _fields(refused.value)
    assert not PractitionerComment.objects.exists()
    assert not Deadline.objects.filter(kind=Deadline.Kind.PRACTITIONER_COMMENTS).exists()
    assert not Notification.objects.filter(event="practitioner_comments_sent").exists()


def test_sending_is_refused_once_the_report_is_agreed(world):
    review_advance(world.built, "action_plan")
    with pytest.raises(ValidationError, match="while the overview report is written"):
        _send(world)
    assert not can_send_practitioner_comments(world.author, world.review)


def test_sending_is_refused_once_the_review_is_closed(world):
    review_withdraw(review=world.review, actor=world.manager, reason="Withdrawn.")
    world.review.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        _send(world)
    assert not can_send_practitioner_comments(world.author, world.review)


def test_only_the_author_sends(world):
    review = world.review
    assert can_send_practitioner_comments(world.author, review)
    for person in (world.manager, world.chair, world.panel, world.lead, world.police_lead):
        assert not can_send_practitioner_comments(person, review)


# --- Recording the answer ---


def test_the_workers_comments_close_the_deadline_met_and_tell_the_author(world):
    comment = _send(world)
    recorded = practitioner_comments_record(
        comment=comment, actor=world.lead, outcome=Status.RECEIVED, comments="  It was brief.  "
    )
    assert (recorded.status, recorded.comments, recorded.recorded_by) == (
        Status.RECEIVED,
        "It was brief.",
        world.lead,
    )
    assert recorded.recorded_at is not None
    assert _deadline(comment).state == Deadline.State.MET
    told = Notification.objects.filter(event="practitioner_comments_recorded")
    assert [n.recipient for n in told] == [world.author]
    assert WORKER not in told.get().text
    latest = recorded.history.first()
    assert (latest.history_user, latest.history_change_reason) == (world.lead, "comments received")


def test_a_worker_may_choose_not_to_comment(world):
    comment = _send(world)
    recorded = practitioner_comments_record(
        comment=comment, actor=world.second_lead, outcome=Status.DECLINED
    )
    assert (recorded.status, recorded.comments) == (Status.DECLINED, "")
    assert _deadline(comment).state == Deadline.State.MET


def test_no_comments_by_the_date_waits_for_the_date_to_pass(world):
    comment = _send(world, due_on=_soon(3))
    with pytest.raises(ValidationError) as refused:
        practitioner_comments_no_response(comment=comment, actor=world.author)
    assert "outcome" in _fields(refused.value)
    assert not can_record_no_practitioner_comments(world.author, comment)
    with _after(_soon(4)):
        assert can_record_no_practitioner_comments(world.author, comment)
        assert can_record_no_practitioner_comments(world.lead, comment)
        recorded = practitioner_comments_no_response(comment=comment, actor=world.author)
    assert recorded.status == Status.NO_RESPONSE
    assert _deadline(comment).state == Deadline.State.MISSED
    # The author recorded it: nobody is told.
    assert not Notification.objects.filter(event="practitioner_comments_recorded").exists()


def test_past_the_date_the_deadline_is_overdue_and_reminded(world):
    comment = _send(world, due_on=_soon(3))
    with _after(_soon(5)):
        assert _deadline(comment).is_overdue
        reminders_sweep()
    reminded = {r.recipient for r in _deadline(comment).reminders.all()}
    assert {world.lead, world.second_lead} <= reminded
    assert world.police_lead not in reminded


@pytest.mark.parametrize("earlier", [Status.RECEIVED, Status.DECLINED, Status.NO_RESPONSE])
@pytest.mark.parametrize("later", [Status.RECEIVED, Status.DECLINED, Status.NO_RESPONSE])
def test_an_answer_is_recorded_once(world, earlier, later):
    comment = _send(world, due_on=_soon(1))
    with _after(_soon(2)):
        practitioner_comments_record(
            comment=comment, actor=world.lead, outcome=earlier, comments="Said."
        )
        with pytest.raises(ValidationError, match="already recorded"):
            practitioner_comments_record(
                comment=comment, actor=world.lead, outcome=later, comments="Again."
            )
    comment.refresh_from_db()
    assert comment.status == earlier


@pytest.mark.parametrize(
    ("outcome", "comments", "field"),
    [(Status.RECEIVED, "  ", "comments"), ("sent", "Said.", "outcome"), ("", "", "outcome")],
)
def test_an_answer_needs_what_the_worker_said(world, outcome, comments, field):
    comment = _send(world)
    with pytest.raises(ValidationError) as refused:
        practitioner_comments_record(
            comment=comment, actor=world.lead, outcome=outcome, comments=comments
        )
    assert field in _fields(refused.value)
    comment.refresh_from_db()
    assert comment.status == Status.SENT
    assert _deadline(comment).state == Deadline.State.OPEN


def test_who_records_and_who_sees(world):
    comment = _send(world)
    for person in (world.lead, world.second_lead, world.author):
        assert can_view_practitioner_comment(person, comment)
    for person in (world.manager, world.chair, world.panel, world.police_lead):
        assert not can_view_practitioner_comment(person, comment)
    assert can_record_practitioner_comments(world.lead, comment)
    for person in (world.author, world.manager, world.panel, world.police_lead):
        assert not can_record_practitioner_comments(person, comment)
    review_withdraw(review=world.review, actor=world.manager, reason="Withdrawn.")
    comment = PractitionerComment.objects.select_related("interview__request__review").get()
    assert can_view_practitioner_comment(world.lead, comment)
    assert not can_record_practitioner_comments(world.lead, comment)
    with pytest.raises(ValidationError, match="closed"):
        practitioner_comments_record(
            comment=comment, actor=world.lead, outcome=Status.RECEIVED, comments="Late."
        )


# --- My tasks ---


def test_my_tasks_show_the_leads_what_to_record_and_the_author_what_lapsed(world):
    comment = _send(world, due_on=_soon(2))
    url = comment.get_absolute_url()
    for person in (world.lead, world.second_lead):
        assert [item.url for item in work_list_for(user=person).items if item.url == url] == [url]
    for person in (world.police_lead, world.panel, world.author):
        assert url not in {item.url for item in work_list_for(user=person).items}
    with _after(_soon(3)):
        (lapsed,) = [item for item in work_list_for(user=world.author).items if item.url == url]
    assert "Health Visitor 1" in lapsed.what
    assert WORKER not in lapsed.what
    practitioner_comments_record(
        comment=comment, actor=world.lead, outcome=Status.RECEIVED, comments="Fine."
    )
    assert url not in {item.url for item in work_list_for(user=world.lead).items}


# --- Pages ---


def _urls(world, comment):
    ref = world.review.reference
    return {
        "list": reverse("reviews:practitioner_comments", args=[ref]),
        "detail": comment.get_absolute_url(),
        "record": reverse("reviews:practitioner_comment_record", args=[ref, comment.pk]),
        "lapse": reverse("reviews:practitioner_comment_lapse", args=[ref, comment.pk]),
        "choose": reverse("reviews:practitioner_worker_choose", args=[ref]),
        "send": reverse("reviews:practitioner_comment_send", args=[ref, world.interview.pk]),
    }


def test_the_author_sends_through_the_pages(client, world):
    client.force_login(world.author)
    ref = world.review.reference
    overview = client.get(reverse("reviews:overview", args=[ref])).content.decode()
    assert reverse("reviews:practitioner_comments", args=[ref]) in overview
    choose = reverse("reviews:practitioner_worker_choose", args=[ref])
    page = client.get(choose).content.decode()
    assert "Health Visitor 1, Health Trust" in page
    assert WORKER not in page
    response = client.post(choose, {"interview": world.interview.pk})
    send = reverse("reviews:practitioner_comment_send", args=[ref, world.interview.pk])
    assert response.url == send
    page = client.get(send, {"section": "agency_analysis"}).content.decode()
    assert "did not ask" in page
    assert "Police: Home visit" not in page
    response = client.post(
        send,
        {
            "entries": [world.entries[0].pk],
            "extract": "The health visitor did not ask.",
            "due_on_0": _soon().day,
            "due_on_1": _soon().month,
            "due_on_2": _soon().year,
            "submission": str(uuid.uuid4()),
        },
    )
    comment = PractitionerComment.objects.get()
    assert response.url == comment.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "The health visitor did not ask." in page
    assert WORKER not in page


def test_bad_input_on_the_send_page_shows_errors_and_sends_nothing(client, world):
    client.force_login(world.author)
    send = reverse(
        "reviews:practitioner_comment_send", args=[world.review.reference, world.interview.pk]
    )
    police_entry = practitioner_entry_list(interview=world.other_interview)[0]
    response = client.post(send, {"entries": [police_entry.pk], "due_on_0": "31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Date for comments must include" in page
    assert "Choose entries from the worker" in page
    assert not PractitionerComment.objects.exists()


def test_the_lead_sees_the_pack_with_the_name_and_records_the_answer(client, world):
    comment = _send(world)
    urls = _urls(world, comment)
    client.force_login(world.lead)
    page = client.get(urls["detail"]).content.decode()
    assert WORKER in page
    assert "The health visitor saw the bruise." in page
    assert "Health Trust: Home visit: bruise seen." in page
    assert urls["record"] in page
    assert urls["lapse"] not in page
    response = client.post(urls["record"], {"outcome": "received", "comments": "Too short."})
    assert response.url == urls["detail"]
    comment.refresh_from_db()
    assert (comment.status, comment.comments) == (Status.RECEIVED, "Too short.")
    bad = client.post(urls["record"], {"outcome": "received", "comments": "Again."})
    assert bad.status_code == 403


def test_the_record_page_refuses_comments_left_empty(client, world):
    comment = _send(world)
    client.force_login(world.lead)
    response = client.post(_urls(world, comment)["record"], {"outcome": "received"})
    assert "Enter the worker" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.SENT


def test_the_author_reads_every_answer_beside_what_was_sent_without_names(client, world):
    health = _send(world)
    police = _send(world, interview=world.other_interview, entries=[], extract="The officer.")
    practitioner_comments_record(
        comment=health, actor=world.lead, outcome=Status.RECEIVED, comments="Unfair, I asked."
    )
    client.force_login(world.author)
    page = client.get(_urls(world, health)["list"]).content.decode()
    assert "Unfair, I asked." in page
    assert "The health visitor saw the bruise." in page
    assert "The officer." in page
    assert WORKER not in page
    assert OTHER_WORKER not in page
    client.force_login(world.police_lead)
    page = client.get(_urls(world, health)["list"]).content.decode()
    assert "The officer." in page
    assert OTHER_WORKER in page
    assert "Health Visitor 1" not in page
    assert "Unfair" not in page
    assert police.get_absolute_url() in page
    assert health.get_absolute_url() not in page


def test_the_author_or_the_lead_records_that_nothing_came(client, world):
    comment = _send(world, due_on=_soon(1))
    lapse = _urls(world, comment)["lapse"]
    client.force_login(world.author)
    assert client.post(lapse).status_code == 403
    with _after(_soon(2)):
        client.force_login(world.author)
        assert lapse in client.get(comment.get_absolute_url()).content.decode()
        response = client.post(lapse)
    assert response.url == comment.get_absolute_url()
    comment.refresh_from_db()
    assert comment.status == Status.NO_RESPONSE


def test_nobody_else_learns_of_it(client, world):
    """Another agency's lead gets 404 (not even that something exists), the panel, the chair
    and the board manager 403; and none of them finds the worker, their role or the deadline
    on the review's pages, their tasks or their notifications."""
    comment = _send(world, due_on=_soon(2))
    urls = _urls(world, comment)
    ref = world.review.reference
    refused = {
        world.police_lead: {"detail": 404, "record": 404, "lapse": 404, "choose": 403},
        world.panel: {"list": 403, "detail": 403, "record": 403, "lapse": 403, "choose": 403},
        world.chair: {"list": 403, "detail": 403, "record": 403, "lapse": 403, "choose": 403},
        world.manager: {"list": 403, "detail": 403, "record": 403, "lapse": 403, "send": 403},
    }
    for person, codes in refused.items():
        client.force_login(person)
        for name, code in codes.items():
            response = client.post(urls[name]) if name == "lapse" else client.get(urls[name])
            assert response.status_code == code, (person, name)
    label = Deadline.Kind.PRACTITIONER_COMMENTS.label
    for person in (world.police_lead, world.panel):
        client.force_login(person)
        for url in (
            reverse("reviews:list"),
            reverse("reviews:detail", args=[ref]),
            reverse("reviews:overview", args=[ref]),
            reverse("reviews:tasks"),
            reverse("reviews:notifications"),
        ):
            page = client.get(url).content.decode()
            assert label not in page, (person, url)
            assert WORKER not in page, (person, url)
            assert urls["detail"] not in page, (person, url)
    assert (
        not Notification.objects.filter(
            recipient__in=[world.police_lead, world.panel, world.chair, world.manager]
        )
        .filter(event__startswith="practitioner")
        .exists()
    )


def test_the_list_page_does_not_grow_in_queries_with_comments(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.author)
    url = reverse("reviews:practitioner_comments", args=[world.review.reference])
    _send(world)
    with django_assert_max_num_queries(22) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        comment = _send(world, interview=world.other_interview, entries=[])
        practitioner_comments_record(
            comment=comment, actor=world.police_lead, outcome=Status.DECLINED
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
