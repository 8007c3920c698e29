"""Processes running beside a review: recorded, corrected and ended by the board manager, each
change in history and on the timeline; the clock stopped while one that stops it runs and
restarted when the last ends (a stop made by hand left alone); its pages for the panel's
parties, the police contact for the board manager and the chair only."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.builders import Cast, review_at
from reviews.models import ClockEvent, Deadline, ParallelProcess, Review, StageTransition
from reviews.selectors.clock import clock_stop_in_force
from reviews.selectors.parallel import parallel_phrase, parallel_process_list
from reviews.services import parallel as parallel_services
from reviews.services.clock import clock_restart, clock_stop
from reviews.services.parallel import (
    parallel_process_change,
    parallel_process_end,
    parallel_process_record,
)
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, ParallelProcessFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def _at(day):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


@pytest.fixture
def people(manager, chair):
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    author, panel = (
        UserFactory(role=Role.INDEPENDENT_AUTHOR),
        UserFactory(role=Role.PANEL_MEMBER, agency=agency),
    )
    return {
        "manager": manager,
        "chair": chair,
        "author": author,
        "panel": panel,
        "lead": lead,
        "agency": agency,
    }


@pytest.fixture
def convened(people):
    """A review at stage 4, with its completion target, panel, author and one agency's lead."""
    cast = Cast(
        manager=people["manager"],
        chair=people["chair"],
        author=people["author"],
        panel=[people["panel"]],
        leads={people["agency"].pk: people["lead"]},
    )
    built = review_at(
        "agency_reports", cast=cast, agencies_in_scope=[people["agency"]], terms=PERIOD_2025
    )
    return built.review


def _record(review, actor, **changes):
    fields = {
        "kind": ParallelProcess.Kind.CRIMINAL,
        "description": "The police are investigating the death.",
        "contact_organisation": "Northshire Constabulary",
        "contact_name": "DCI Invented, senior investigating officer",
        "contact_details": "01632 960 000",
        "started_on": _ago(5),
        **changes,
    }
    return parallel_process_record(review=review, actor=actor, **fields)


def _change(process, actor, **changes):
    fields = {
        "kind": process.kind,
        "description": process.description,
        "contact_organisation": process.contact_organisation,
        "contact_name": process.contact_name,
        "contact_details": process.contact_details,
        "started_on": process.started_on,
        "expected_end_on": process.expected_end_on,
        "stops_clock": process.stops_clock,
        "pauses_family_contact": process.pauses_family_contact,
        "holds_publication": process.holds_publication,
        **changes,
    }
    return parallel_process_change(process=process, actor=actor, **fields)


def _end(process, actor, **changes):
    fields = {"ended_on": _ago(0), "outcome": "The trial ended.", **changes}
    return parallel_process_end(process=process, actor=actor, **fields)


def _stops(review):
    return list(review.clock_events.values_list("kind", "parallel_process_id"))


# --- Services ---


def test_recording_keeps_who_and_why_and_puts_it_on_the_timeline(convened, manager):
    process = _record(convened, manager, holds_publication=True)
    assert process.is_running
    assert process.created_by == manager
    assert list(process.history.values_list("history_change_reason", "history_user")) == [
        ("recorded", manager.pk)
    ]
    line = convened.transitions.get(kind=StageTransition.Kind.PARALLEL)
    assert line.summary == "Criminal proceedings recorded, running beside the review"
    assert line.reason == "It holds publication."
    assert line.occurred_on == _ago(5)
    assert "DCI Invented" not in line.summary + line.reason  # the contact stays on its page


def test_a_repeated_submission_records_one_process(convened, manager):
    submission = "6f1c1f43-6a57-4b7e-8f6a-7c1b2f0a9d11"
    first = _record(convened, manager, stops_clock=True, submission=submission)
    again = _record(convened, manager, stops_clock=True, submission=submission)
    assert again == first
    assert ParallelProcess.objects.count() == 1
    assert convened.clock_events.count() == 1
    assert convened.transitions.filter(kind=StageTransition.Kind.PARALLEL).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "trial"}, "kind"),
        ({"contact_organisation": "  "}, "contact_organisation"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_name": "DCI\nInvented"}, "contact_name"),
        ({"contact_details": "01632\r\nBcc: x@example.com"}, "contact_details"),
        ({"started_on": timezone.localdate() + timedelta(days=1)}, "started_on"),
        ({"expected_end_on": timezone.localdate() - timedelta(days=30)}, "expected_end_on"),
    ],
)
def test_recording_refuses_a_missing_or_bad_detail_and_changes_nothing(
    convened, manager, changes, field
):
    with pytest.raises(ValidationError) as refused:
        _record(convened, manager, stops_clock=True, **changes)
    assert field in refused.value.message_dict
    assert not ParallelProcess.objects.exists()
    assert not convened.clock_events.exists()


def test_a_closed_review_takes_no_process(manager):
    closed = ReviewFactory(decided=True, stage=Review.Stage.CLOSED, created_by=manager)
    with pytest.raises(ValidationError, match="closed"):
        _record(closed, manager)
    assert not ParallelProcess.objects.exists()


def test_correcting_a_running_process_is_kept_with_who_made_it(convened, manager):
    process = _record(convened, manager)
    other = UserFactory(role=Role.BOARD_MANAGER)
    _change(process, other, contact_name="DI Someone Else", expected_end_on=_ago(-90))
    process.refresh_from_db()
    assert process.contact_name == "DI Someone Else"
    assert process.history.first().history_user == other
    assert process.history.first().history_change_reason == "corrected"
    assert convened.transitions.filter(summary="Criminal proceedings corrected").exists()
    before = process.history.count()
    _change(process, other)  # nothing changed: nothing written
    assert process.history.count() == before


def test_a_correction_over_a_change_made_since_is_refused(convened, manager):
    process = _record(convened, manager)
    seen = process.history.first().history_id
    _change(process, manager, contact_details="07700 900000")
    with pytest.raises(ValidationError, match="changed by"):
        _change(process, manager, contact_name="DS Late", version=seen)
    process.refresh_from_db()
    assert process.contact_name == "DCI Invented, senior investigating officer"


def test_ending_records_when_and_how_and_lifts_its_effects(convened, manager):
    process = _record(convened, manager, pauses_family_contact=True, holds_publication=True)
    _end(process, manager, outcome="No charges will be brought.")
    process.refresh_from_db()
    assert not process.is_running
    assert (process.ended_on, process.ended_by) == (_ago(0), manager)
    assert process.outcome == "No charges will be brought."
    assert process.history.first().history_change_reason == "ended"
    line = convened.transitions.get(summary="Criminal proceedings ended")
    assert "It no longer holds back contact with the family and publication." in line.reason


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ended_on": timezone.localdate() - timedelta(days=6)}, "on or after the date it began"),
        ({"ended_on": timezone.localdate() + timedelta(days=1)}, "today or in the past"),
        ({"outcome": " "}, "Enter how it ended"),
    ],
)
def test_ending_refuses_a_bad_date_or_no_outcome(convened, manager, changes, message):
    process = _record(convened, manager, stops_clock=True)
    with pytest.raises(ValidationError, match=message):
        _end(process, manager, **changes)
    process.refresh_from_db()
    assert process.is_running
    assert clock_stop_in_force(review=convened) is not None


def test_an_ended_process_is_neither_ended_again_nor_changed(convened, manager):
    process = _end(_record(convened, manager), manager)
    with pytest.raises(ValidationError, match="ended already"):
        _end(process, manager)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        _change(process, manager, contact_name="Someone")


def test_a_failed_timeline_write_leaves_nothing_behind(convened, manager, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the timeline is unavailable")

    monkeypatch.setattr(parallel_services, "timeline_event_record", broken)
    with pytest.raises(RuntimeError):
        _record(convened, manager, stops_clock=True)
    assert not ParallelProcess.objects.exists()
    assert not ClockEvent.objects.exists()


# --- The clock ---


def test_a_process_that_stops_the_clock_stops_it_until_it_ends(convened, manager):
    target = convened.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    process = _record(convened, manager, stops_clock=True)
    stop = clock_stop_in_force(review=convened)
    assert stop.parallel_process == process
    assert stop.reason == "Stopped while criminal proceedings run"
    with _at(timezone.localdate() + timedelta(days=10)):
        _end(process, manager)
    assert _stops(convened) == [("stopped", process.pk), ("restarted", None)]
    assert clock_stop_in_force(review=convened) is None
    target_then = target.due_on
    target.refresh_from_db()
    assert target.due_on == target_then + timedelta(days=10)


def test_overlapping_processes_hold_the_clock_until_the_last_ends(convened, manager):
    trial = _record(convened, manager, stops_clock=True)
    inquest = _record(convened, manager, kind=ParallelProcess.Kind.INQUEST, stops_clock=True)
    assert _stops(convened) == [("stopped", trial.pk)]
    _end(trial, manager)
    assert clock_stop_in_force(review=convened) is not None
    with pytest.raises(ValidationError, match="held while an inquest runs"):
        clock_restart(review=convened, actor=manager, reason="By hand")
    _end(inquest, manager)
    assert clock_stop_in_force(review=convened) is None
    assert [kind for kind, _ in _stops(convened)] == ["stopped", "restarted"]


def test_a_clock_stopped_by_hand_stays_stopped_when_the_process_ends(convened, manager):
    clock_stop(review=convened, actor=manager, reason="Waiting for the police")
    process = _record(convened, manager, stops_clock=True)
    assert convened.clock_events.count() == 1  # already stopped: no second stop
    with pytest.raises(ValidationError, match="held while criminal proceedings run"):
        clock_restart(review=convened, actor=manager, reason="Too soon")
    _end(process, manager)
    stop = clock_stop_in_force(review=convened)
    assert stop is not None
    assert stop.parallel_process is None
    clock_restart(review=convened, actor=manager, reason="The police are done")
    assert clock_stop_in_force(review=convened) is None


def test_changing_whether_a_running_process_stops_the_clock_moves_the_clock(convened, manager):
    process = _record(convened, manager)
    assert clock_stop_in_force(review=convened) is None
    _change(process, manager, stops_clock=True)
    assert clock_stop_in_force(review=convened).parallel_process == process
    _change(process, manager, stops_clock=False)
    assert clock_stop_in_force(review=convened) is None
    summaries = convened.transitions.filter(kind=StageTransition.Kind.PARALLEL)
    assert summaries.filter(summary="Criminal proceedings: what it holds back changed").count() == 2


def test_a_process_that_does_not_stop_the_clock_leaves_it_running(convened, manager):
    _end(_record(convened, manager, holds_publication=True), manager)
    assert not convened.clock_events.exists()


# --- Pages ---


def _url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.reference, *args])


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_recording_through_the_page_stops_the_clock_and_shows_where_it_is_held(
    client, convened, manager
):
    client.force_login(manager)
    posted = {
        "kind": "inquest",
        "contact_organisation": "Northshire Coroner's Office",
        "contact_name": "Coroner's officer",
        "effects": ["stops_clock", "holds_publication"],
        "submission": "0b6f5a5e-9a4e-4a35-9b0e-2f6f3d2c1a10",
        **_date("started_on", _ago(3)),
    }
    response = client.post(_url("parallel_add", convened), posted)
    assert response.status_code == 302
    assert client.post(_url("parallel_add", convened), posted).status_code == 302
    process = ParallelProcess.objects.get()
    assert (process.stops_clock, process.holds_publication) == (True, True)
    assert not process.pauses_family_contact
    since = f"{_ago(3):%-d %B %Y}"
    for page_url in (_url("detail", convened), _url("clock", convened), _url("parallel", convened)):
        page = client.get(page_url).content.decode()
        assert f"an inquest runs, since {since}" in page, page_url
    page = client.get(_url("detail", convened)).content.decode()
    assert "Parallel processes" in page  # its line on the task list
    assert "stops the clock, holds publication" in page


def test_a_bad_record_shows_the_errors_and_records_nothing(client, convened, manager):
    client.force_login(manager)
    posted = {"kind": "criminal", "contact_name": "DCI Invented", **_date("started_on", _ago(-2))}
    response = client.post(_url("parallel_add", convened), posted)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the organisation that runs it" in page
    assert not ParallelProcess.objects.exists()


def test_ending_through_the_page_refuses_a_bad_date_then_restarts_the_clock(
    client, convened, manager
):
    process = _record(convened, manager, stops_clock=True)
    client.force_login(manager)
    url = _url("parallel_end", convened, process.pk)
    bad = client.post(url, {**_date("ended_on", _ago(9)), "outcome": "Over."})
    assert "on or after the date it began" in bad.content.decode()
    assert clock_stop_in_force(review=convened) is not None
    assert client.post(url, {**_date("ended_on", _ago(0)), "outcome": "Over."}).status_code == 302
    assert clock_stop_in_force(review=convened) is None
    page = client.get(_url("parallel_process", convened, process.pk)).content.decode()
    assert "Record its end" not in page
    assert "How it ended" in page


def test_changing_through_the_page_starts_from_what_is_recorded(client, convened, manager):
    process = _record(convened, manager, pauses_family_contact=True)
    client.force_login(manager)
    form = client.get(_url("parallel_change", convened, process.pk)).context["form"]
    assert form.initial["effects"] == ["pauses_family_contact"]
    posted = {
        "kind": "criminal",
        "contact_organisation": "Northshire Constabulary",
        "contact_name": "DS New",
        "effects": ["pauses_family_contact", "holds_publication"],
        "version": form.initial["version"],
        **_date("started_on", process.started_on),
    }
    assert client.post(_url("parallel_change", convened, process.pk), posted).status_code == 302
    process.refresh_from_db()
    assert (process.contact_name, process.holds_publication) == ("DS New", True)


@pytest.mark.parametrize(
    ("who", "sees_contact"), [("manager", True), ("chair", True), ("panel", False)]
)
def test_the_police_contact_is_for_the_board_manager_and_the_chair(
    client, convened, people, who, sees_contact
):
    process = _record(convened, people["manager"], stops_clock=True)
    client.force_login(people[who])
    listed = client.get(_url("parallel", convened)).content.decode()
    page = client.get(_url("parallel_process", convened, process.pk)).content.decode()
    assert "Criminal proceedings" in listed
    assert "Criminal proceedings" in page
    assert ("DCI Invented" in listed) is sees_contact
    assert ("DCI Invented" in page) is sees_contact
    assert ("01632 960 000" in page) is sees_contact


def test_agency_leads_see_neither_the_processes_nor_what_holds_the_clock(client, convened, people):
    process = _record(convened, people["manager"], stops_clock=True)
    client.force_login(people["lead"])
    assert client.get(_url("parallel", convened)).status_code == 403
    assert client.get(_url("parallel_process", convened, process.pk)).status_code == 403
    page = client.get(_url("detail", convened)).content.decode()
    assert "criminal proceedings" not in page.lower()


def test_a_process_of_another_review_is_not_found(client, convened, manager):
    other = ParallelProcessFactory()
    client.force_login(manager)
    assert client.get(_url("parallel_process", convened, other.pk)).status_code == 404
    assert client.get(_url("parallel_end", convened, other.pk)).status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_reads_the_same_queries_however_many_processes(
    client, convened, manager, count, django_assert_max_num_queries
):
    ParallelProcessFactory.create_batch(count, review=convened, created_by=manager)
    ParallelProcessFactory.create_batch(
        count, review=convened, created_by=manager, ended=True, ended_by=manager
    )
    client.force_login(manager)
    with django_assert_max_num_queries(24):
        response = client.get(_url("parallel", convened))
    assert response.status_code == 200
    assert response.content.decode().count("govuk-tag--grey") == count


def test_running_processes_are_listed_before_ended_ones(convened, manager):
    ended = _end(_record(convened, manager, started_on=_ago(9)), manager)
    later = _record(convened, manager, kind=ParallelProcess.Kind.INQUEST, started_on=_ago(2))
    earlier = _record(convened, manager, kind=ParallelProcess.Kind.REGULATORY, started_on=_ago(4))
    assert list(parallel_process_list(review=convened)) == [earlier, later, ended]
    assert parallel_phrase([earlier, later]) == "regulatory action and an inquest run"
