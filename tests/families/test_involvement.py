"""A family member's involvement in the review: told of it, meetings offered and held, notes
sent to agree (a deadline on the clock) and agreed or amended, their views, told the outcome,
shown the report or why not; contact paused while a parallel process pauses it; the
publication plan's gate; the family's line on the review's task list."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from families.models import Contact, FamilyMember, Meeting
from families.selectors import family_pause_in_force, not_shown_report
from families.services.involvement import (
    family_contact_record,
    family_meeting_hold,
    family_meeting_offer,
    family_notes_answer,
    family_notes_send,
    family_views_save,
)
from families.services.members import family_member_decline
from publication.builders import publication_plan_build
from publication.services import publication_approve
from reviews.builders import Cast, review_at
from reviews.gates import _CHECKS, PUBLICATION_APPROVAL, gate_unmet
from reviews.models import AccessLog, Deadline, Notification, ParallelProcess, Reminder
from reviews.selectors.progress import _ALONGSIDE
from reviews.services.clock import reminders_sweep
from reviews.services.parallel import (
    parallel_process_change,
    parallel_process_end,
    parallel_process_record,
)
from scr.versions import version_of
from tests.conftest import PERIOD_2025
from tests.factories import ContactFactory, FamilyMemberFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _ago(days):
    return TODAY() - timedelta(days=days)


@pytest.fixture
def people(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return {
        "manager": UserFactory(role=Role.BOARD_MANAGER, first_name="Mona", last_name="Manager"),
        "chair": UserFactory(role=Role.CHAIR, first_name="Chris", last_name="Chair"),
        "author": UserFactory(role=Role.INDEPENDENT_AUTHOR, first_name="Ana", last_name="Author"),
        "panel": UserFactory(role=Role.PANEL_MEMBER, agency=agency, first_name="Pat"),
        "lead": lead,
        "outsider": UserFactory(first_name="Olly"),
    }


def _cast(people, agency):
    return Cast(
        manager=people["manager"],
        chair=people["chair"],
        author=people["author"],
        panel=[people["panel"]],
        leads={agency.pk: people["lead"]},
    )


@pytest.fixture
def convened(people, agency):
    return review_at(
        "convened", cast=_cast(people, agency), agencies_in_scope=[agency], terms=PERIOD_2025
    ).review


@pytest.fixture
def member(convened, people):
    return FamilyMemberFactory(review=convened, created_by=people["manager"], name="Sam Example")


def _told(member, actor, **changes):
    fields = {
        "kind": Contact.Kind.TOLD_OF_REVIEW,
        "on": _ago(3),
        "how": Contact.How.LETTER,
        "by_whom": "The board manager",
        "leaflet_given": True,
        **changes,
    }
    return family_contact_record(member=member, actor=actor, **fields)


def _held(member, people, **changes):
    meeting = family_meeting_offer(member=member, actor=people["manager"], offered_on=_ago(10))
    fields = {
        "held_on": _ago(6),
        "place": Meeting.Place.HOME_VISIT,
        "attendees": [people["author"], people["panel"]],
        "supporter_attended": True,
        "supporter_name": "Pat Helper",
        **changes,
    }
    return family_meeting_hold(meeting=meeting, actor=people["manager"], **fields)


def _pause(review, people, **effects):
    return parallel_process_record(
        review=review,
        actor=people["manager"],
        kind=ParallelProcess.Kind.CRIMINAL,
        description="A trial is under way.",
        contact_organisation="Northshire Police",
        contact_name="DS Invented",
        started_on=_ago(2),
        **{"pauses_family_contact": True, **effects},
    )


# --- Services ---


def test_told_of_the_review_is_recorded_once_with_history(member, people):
    submission = "2b7f3a0e-1c1d-4d0a-9b7e-5d1e2f3a4b5c"
    contact = _told(member, people["manager"], submission=submission)
    again = _told(member, people["manager"], submission=submission)
    assert again.pk == contact.pk
    assert (contact.how, contact.by_whom, contact.leaflet_given) == (
        "letter",
        "The board manager",
        True,
    )
    (row,) = contact.history.all()
    assert (row.history_user, row.history_change_reason) == (
        people["manager"],
        "told of the review",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"on": None}, "on"),
        ({"how": ""}, "how"),
        ({"by_whom": "  "}, "by_whom"),
        ({"leaflet_given": None}, "leaflet_given"),
        ({"on": TODAY() + timedelta(days=1)}, "on"),
        ({"by_whom": "Evil\r\nBcc: x"}, "by_whom"),
    ],
)
def test_told_needs_its_details_and_a_date_not_in_the_future(member, people, changes, field):
    with pytest.raises(ValidationError) as refused:
        _told(member, people["manager"], **changes)
    assert field in refused.value.message_dict
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        (Contact.Kind.TOLD_OUTCOME, {"on": _ago(1)}, "how"),
        (Contact.Kind.SHOWN_REPORT, {"on": _ago(1)}, "by_whom"),
        (Contact.Kind.NOT_SHOWN_REPORT, {}, "reason"),
    ],
)
def test_each_kind_of_contact_asks_for_what_it_needs(member, people, kind, fields, field):
    with pytest.raises(ValidationError) as refused:
        family_contact_record(member=member, actor=people["manager"], kind=kind, **fields)
    assert field in refused.value.message_dict


def test_the_outcome_and_the_report_shown_are_recorded(member, people):
    manager = people["manager"]
    family_contact_record(
        member=member, actor=manager, kind="told_outcome", on=_ago(2), how="phone"
    )
    shown = family_contact_record(
        member=member,
        actor=manager,
        kind="shown_report",
        on=_ago(1),
        by_whom="The author",
        response="She asked for one change of wording.",
    )
    assert shown.response == "She asked for one change of wording."
    assert shown.how == ""
    assert [c.kind for c in member.contacts.all()] == ["told_outcome", "shown_report"]


@pytest.mark.parametrize(
    "record",
    [
        lambda m, p: _told(m, p["manager"]),
        lambda m, p: family_meeting_offer(member=m, actor=p["manager"], offered_on=_ago(1)),
        lambda m, p: family_views_save(member=m, actor=p["manager"], views="Anything."),
        lambda m, p: family_contact_record(
            member=m, actor=p["manager"], kind="not_shown_report", reason="Abroad."
        ),
    ],
)
def test_nothing_more_is_recorded_for_someone_who_declined(member, people, record):
    family_member_decline(member=member, actor=people["manager"], declined_on=_ago(1))
    member.refresh_from_db()
    with pytest.raises(ValidationError, match="does not wish to take part"):
        record(member, people)
    assert not Contact.objects.exists()
    assert not Meeting.objects.exists()
    member.refresh_from_db()
    assert member.views == ""


def test_a_meeting_from_the_offer_to_amended_notes(member, people, convened):
    manager = people["manager"]
    meeting = _held(member, people)
    assert set(meeting.attendees.all()) == {people["author"], people["panel"]}
    assert (meeting.place_label, meeting.supporter_name) == ("Home visit", "Pat Helper")
    family_notes_send(meeting=meeting, actor=manager, sent_on=_ago(5), due_on=_ago(-10))
    deadline = Deadline.objects.get(review=convened, kind=Deadline.Kind.FAMILY_NOTES)
    assert (deadline.key, deadline.due_on, deadline.state) == (
        meeting.deadline_key,
        _ago(-10),
        "open",
    )
    assert deadline.get_absolute_url() == reverse(
        "families:member", args=[convened.reference, member.pk]
    )
    family_notes_answer(
        meeting=meeting,
        actor=manager,
        outcome=Meeting.NotesOutcome.AMENDED,
        answered_on=_ago(1),
        amendments="The date of the move was March, not May.",
    )
    meeting.refresh_from_db()
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET
    assert meeting.amendments == "The date of the move was March, not May."
    # Setting who attended writes a second "meeting held" row, with them.
    reasons = meeting.history.values_list("history_change_reason", "history_user")
    assert list(dict.fromkeys(reasons)) == [
        ("notes agreed with amendments", manager.pk),
        ("notes sent to agree", manager.pk),
        ("meeting held", manager.pk),
        ("meeting offered", manager.pk),
    ]
    with pytest.raises(ValidationError, match="already recorded"):
        family_notes_answer(meeting=meeting, actor=manager, outcome="agreed", answered_on=_ago(0))


def test_each_meeting_has_its_own_notes_deadline(member, people, convened):
    manager = people["manager"]
    for _ in range(2):
        meeting = _held(member, people)
        family_notes_send(meeting=meeting, actor=manager, sent_on=_ago(5), due_on=_ago(-7))
    other = FamilyMemberFactory(review=convened, created_by=manager)
    family_notes_send(meeting=_held(other, people), actor=manager, sent_on=_ago(5), due_on=_ago(-7))
    deadlines = Deadline.objects.filter(review=convened, kind=Deadline.Kind.FAMILY_NOTES)
    assert deadlines.count() == 3
    assert len({d.key for d in deadlines}) == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": _ago(11)}, "held_on"),
        ({"held_on": TODAY() + timedelta(days=1)}, "held_on"),
        ({"place": Meeting.Place.OTHER, "place_detail": ""}, "place_detail"),
        ({"supporter_name": ""}, "supporter_name"),
        ({"supporter_name": "Pat\nHelper"}, "supporter_name"),
    ],
)
def test_a_meeting_held_is_refused_with_bad_details(member, people, changes, field):
    with pytest.raises(ValidationError) as refused:
        _held(member, people, **changes)
    assert field in refused.value.message_dict
    assert not Meeting.objects.filter(held_on__isnull=False).exists()


def test_only_people_of_the_review_attend(member, people):
    with pytest.raises(ValidationError) as refused:
        _held(member, people, attendees=[people["outsider"]])
    assert "attendees" in refused.value.message_dict


def test_notes_wait_for_the_meeting_and_their_date_for_the_sending(member, people):
    manager = people["manager"]
    offered = family_meeting_offer(member=member, actor=manager, offered_on=_ago(3))
    with pytest.raises(ValidationError, match="held first"):
        family_notes_send(meeting=offered, actor=manager, sent_on=_ago(1), due_on=_ago(-5))
    meeting = _held(member, people)
    with pytest.raises(ValidationError) as refused:
        family_notes_send(meeting=meeting, actor=manager, sent_on=_ago(3), due_on=_ago(4))
    assert "due_on" in refused.value.message_dict
    assert not Deadline.objects.filter(kind=Deadline.Kind.FAMILY_NOTES).exists()
    with pytest.raises(ValidationError, match="sent first"):
        family_notes_answer(meeting=meeting, actor=manager, outcome="agreed", answered_on=_ago(1))


def test_a_meeting_changed_since_it_was_read_is_refused(member, people):
    meeting = _held(member, people)
    seen = version_of(meeting)
    family_notes_send(meeting=meeting, actor=people["manager"], sent_on=_ago(5), due_on=_ago(-5))
    with pytest.raises(ValidationError) as refused:
        family_notes_answer(
            meeting=meeting,
            actor=people["manager"],
            outcome="agreed",
            answered_on=_ago(1),
            version=seen,
        )
    assert refused.value.code == "conflict"


def test_the_familys_views_keep_each_version_and_tell_the_author(member, people, convened):
    manager = people["manager"]
    family_views_save(member=member, actor=manager, views="First words.")
    family_views_save(
        member=member, actor=manager, views="Second words.", version=version_of(member)
    )
    member.refresh_from_db()
    assert member.views == "Second words."
    rows = member.history.filter(history_change_reason="views recorded")
    assert [(r.views, r.history_user) for r in rows] == [
        ("Second words.", manager),
        ("First words.", manager),
    ]
    told = Notification.objects.filter(event="family_views_recorded", review=convened)
    assert {n.recipient for n in told} == {people["author"]}
    with pytest.raises(ValidationError) as refused:
        family_views_save(member=member, actor=manager, views=" ")
    assert "views" in refused.value.message_dict


def test_notes_sent_to_agree_tell_no_one(member, people):
    meeting = _held(member, people)
    before = Notification.objects.count()
    family_notes_send(meeting=meeting, actor=people["manager"], sent_on=_ago(5), due_on=_ago(-5))
    assert Notification.objects.count() == before


# --- Contact paused ---


@pytest.mark.parametrize(
    "record",
    [
        lambda m, p, meeting: _told(m, p["manager"]),
        lambda m, p, meeting: family_meeting_offer(
            member=m, actor=p["manager"], offered_on=_ago(1)
        ),
        lambda m, p, meeting: family_meeting_hold(
            meeting=meeting, actor=p["manager"], held_on=_ago(1), place="home_visit"
        ),
        lambda m, p, meeting: family_contact_record(
            member=m, actor=p["manager"], kind="told_outcome", on=_ago(1), how="phone"
        ),
        lambda m, p, meeting: family_contact_record(
            member=m, actor=p["manager"], kind="shown_report", on=_ago(1), by_whom="Author"
        ),
    ],
)
def test_contact_is_refused_while_paused(member, people, convened, record):
    meeting = family_meeting_offer(member=member, actor=people["manager"], offered_on=_ago(5))
    _pause(convened, people)
    with pytest.raises(ValidationError, match="paused while criminal proceedings run, since"):
        record(member, people, meeting)
    assert not Contact.objects.exists()
    assert Meeting.objects.get().held_on is None
    assert Meeting.objects.count() == 1


def test_sending_notes_is_refused_while_paused_but_their_answer_and_views_are_not(
    member, people, convened
):
    manager = people["manager"]
    first, second = _held(member, people), _held(member, people)
    family_notes_send(meeting=first, actor=manager, sent_on=_ago(5), due_on=_ago(-5))
    _pause(convened, people)
    with pytest.raises(ValidationError, match="paused"):
        family_notes_send(meeting=second, actor=manager, sent_on=_ago(1), due_on=_ago(-5))
    family_notes_answer(meeting=first, actor=manager, outcome="agreed", answered_on=_ago(0))
    family_views_save(member=member, actor=manager, views="Given before the pause.")
    family_contact_record(
        member=member, actor=manager, kind="not_shown_report", reason="The trial goes on."
    )


def test_contact_is_allowed_again_once_the_process_ends_or_no_longer_pauses_it(
    member, people, convened
):
    manager = people["manager"]
    first = _pause(convened, people)
    second = _pause(convened, people)
    with pytest.raises(ValidationError, match="while criminal proceedings run"):
        _told(member, manager)
    parallel_process_end(process=first, actor=manager, ended_on=_ago(0), outcome="Charged.")
    with pytest.raises(ValidationError, match="paused"):
        _told(member, manager)
    parallel_process_change(
        process=second,
        actor=manager,
        kind=second.kind,
        contact_organisation=second.contact_organisation,
        contact_name=second.contact_name,
        started_on=second.started_on,
        pauses_family_contact=False,
    )
    _told(member, manager)
    assert Contact.objects.filter(member=member).count() == 1


def test_a_process_that_does_not_pause_contact_leaves_the_family_records_open(
    member, people, convened
):
    _pause(convened, people, pauses_family_contact=False, holds_publication=True)
    assert family_pause_in_force(review=convened) is None
    _told(member, people["manager"])
    assert Contact.objects.filter(member=member).exists()


# --- The deadline's reminders ---


def test_the_notes_deadline_reminds_the_board_managers_and_the_author(member, people):
    meeting = _held(member, people)
    due = _ago(-10)
    family_notes_send(meeting=meeting, actor=people["manager"], sent_on=_ago(5), due_on=due)
    deadline = Deadline.objects.get(kind=Deadline.Kind.FAMILY_NOTES)
    reminders_sweep(today=due)
    reminded = {r.recipient for r in Reminder.objects.filter(deadline=deadline)}
    assert reminded == {people["manager"], people["author"]}
    family_notes_answer(
        meeting=meeting, actor=people["manager"], outcome="agreed", answered_on=_ago(0)
    )
    Reminder.objects.all().delete()
    reminders_sweep(today=due)
    assert not Reminder.objects.filter(deadline=deadline).exists()


# --- The publication plan's gate ---


@pytest.fixture
def at_publication(people, agency):
    return review_at(
        "publication",
        cast=_cast(people, agency),
        agencies_in_scope=[agency],
        terms=PERIOD_2025,
        recommendations=["Share what you know."],
        actions=[{"recommendation": 0, "agency": agency}],
    )


def test_approval_waits_until_the_family_is_shown_the_report_or_why_not(at_publication, people):
    review, manager = at_publication.review, people["manager"]
    publication_plan_build(at_publication)
    shown = FamilyMemberFactory(review=review, created_by=manager, name="Alex Example")
    abroad = FamilyMemberFactory(review=review, created_by=manager, name="Jo Example")
    FamilyMemberFactory(review=review, created_by=manager, declined_to_take_part=True)
    with pytest.raises(ValidationError) as refused:
        publication_approve(review=review, actor=people["chair"])
    assert refused.value.messages == [
        "Record that Alex Example, Jo Example were shown the report before publication, or "
        "why not (on the family's records)."
    ]
    family_contact_record(
        member=shown, actor=manager, kind="shown_report", on=_ago(1), by_whom="The author"
    )
    with pytest.raises(ValidationError, match="Jo Example was shown"):
        publication_approve(review=review, actor=people["chair"])
    family_contact_record(member=abroad, actor=manager, kind="not_shown_report", reason="Abroad")
    plan = publication_approve(review=review, actor=people["chair"])
    assert plan.is_approved


def test_a_family_with_no_one_or_only_those_who_declined_does_not_block(at_publication, people):
    review = at_publication.review
    assert gate_unmet(PUBLICATION_APPROVAL, review=review) == []
    FamilyMemberFactory(review=review, declined_to_take_part=True)
    publication_plan_build(at_publication)
    assert publication_approve(review=review, actor=people["chair"]).is_approved


def test_the_registries_keep_each_check_once_when_ready_runs_twice():
    config = apps.get_app_config("families")
    config.ready()
    config.ready()
    assert _CHECKS[PUBLICATION_APPROVAL].count(not_shown_report) == 1
    assert len(_ALONGSIDE) == len(set(_ALONGSIDE))


def test_the_approval_page_shows_why_the_chair_cannot_approve_yet(client, at_publication, people):
    publication_plan_build(at_publication)
    review = at_publication.review
    FamilyMemberFactory(review=review, created_by=people["manager"], name="Alex Example")
    client.force_login(people["chair"])
    page = client.get(reverse("publication:approve", args=[review.reference])).content.decode()
    assert "You cannot approve the plan yet" in page
    assert "Record that Alex Example was shown the report" in page
    assert "Confirm and approve the plan" not in page


# --- The review's task list ---


def test_the_task_list_links_the_family_for_those_who_may_see_it(client, member, people, convened):
    held = _held(member, people)
    family_notes_send(meeting=held, actor=people["manager"], sent_on=_ago(5), due_on=_ago(-5))
    family_views_save(member=member, actor=people["manager"], views="Words.")
    FamilyMemberFactory(review=convened, declined_to_take_part=True)
    family_url = reverse("families:list", args=[convened.reference])
    for role in ("manager", "chair", "author"):
        client.force_login(people[role])
        page = client.get(convened.get_absolute_url()).content.decode()
        assert f'href="{family_url}"' in page, role
        assert (
            "2 people, 1 not taking part, 1 meeting held, 1 waiting to agree notes, "
            "views recorded" in page
        )
    for role in ("panel", "lead"):
        client.force_login(people[role])
        page = client.get(convened.get_absolute_url()).content.decode()
        assert family_url not in page, role
        assert "The family&#x27;s involvement" not in page


def test_the_review_page_does_not_grow_queries_with_the_family(
    client, convened, people, django_assert_max_num_queries
):
    client.force_login(people["manager"])
    FamilyMemberFactory(review=convened)
    with django_assert_max_num_queries(80) as few:
        client.get(convened.get_absolute_url())
    for _ in range(20):
        MeetingFactory(member=FamilyMemberFactory(review=convened), held=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(convened.get_absolute_url())


# --- Pages ---


def _url(name, member, *args):
    return reverse(f"families:{name}", args=[member.review.reference, member.pk, *args])


DATE = {"on_0": "2", "on_1": "3", "on_2": "2026"}


def _day_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_recording_through_the_pages(client, member, people):
    client.force_login(people["manager"])
    told = {
        **_day_fields("on", _ago(3)),
        "how": "in_person",
        "by_whom": "Ana Author",
        "leaflet_given": "yes",
    }
    response = client.post(_url("contact_add", member, "told"), told)
    assert response.status_code == 302
    response = client.post(_url("meeting_offer", member), _day_fields("offered_on", _ago(3)))
    meeting = Meeting.objects.get()
    held = {
        **_day_fields("held_on", _ago(2)),
        "place": "other",
        "place_detail": "A family centre",
        "attendees": [people["author"].pk, people["chair"].pk],
        "supporter_attended": "yes",
        "supporter_name": "Pat Helper",
        "version": version_of(meeting),
    }
    response = client.post(_url("meeting_update", member, meeting.pk, "held"), held)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place_label == "A family centre"
    assert set(meeting.attendees.all()) == {people["author"], people["chair"]}
    page = client.get(_url("member", member)).content.decode()
    assert "Told of the review" in page
    assert "Meeting held" in page
    assert "A family centre" in page
    assert "Ana Author, Chris Chair" in page
    assert "yes, Pat Helper" in page
    assert "Record the notes of the meeting held on" in page


@pytest.mark.parametrize(
    ("url", "posted", "message"),
    [
        ("told", {"how": "letter", "by_whom": "x", "leaflet_given": "yes"}, "Enter the date"),
        ("told", {**DATE, "by_whom": "x", "leaflet_given": "yes"}, "Select how they were told"),
        ("told", {**DATE, "how": "letter", "by_whom": "x"}, "the board&#x27;s leaflet"),
        ("outcome", {**DATE, "how": "fax"}, "Select a valid choice"),
        ("shown", {**DATE}, "Enter who showed them the report"),
        ("not-shown", {"reason": ""}, "Enter why they were not shown the report"),
    ],
)
def test_bad_contact_input_gets_a_govuk_error_and_changes_nothing(
    client, member, people, url, posted, message
):
    client.force_login(people["manager"])
    response = client.post(_url("contact_add", member, url), posted)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Contact.objects.exists()


def test_a_meeting_held_with_someone_not_of_the_review_changes_nothing(client, member, people):
    meeting = family_meeting_offer(member=member, actor=people["manager"], offered_on=_ago(3))
    client.force_login(people["manager"])
    posted = {
        **_day_fields("held_on", _ago(2)),
        "place": "home_visit",
        "attendees": [people["outsider"].pk],
        "supporter_attended": "no",
    }
    response = client.post(_url("meeting_update", member, meeting.pk, "held"), posted)
    assert "There is a problem" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.held_on is None


def test_a_declined_person_has_no_prompts_and_posting_is_refused(client, member, people):
    family_member_decline(member=member, actor=people["manager"], declined_on=_ago(1))
    client.force_login(people["manager"])
    page = client.get(_url("member", member)).content.decode()
    assert 'id="record-actions"' not in page
    response = client.post(_url("meeting_offer", member), _day_fields("offered_on", _ago(1)))
    assert "does not wish to take part" in response.content.decode()
    assert not Meeting.objects.exists()


def test_pausing_and_lifting_through_the_parallel_process_pages(client, member, people, convened):
    client.force_login(people["manager"])
    url = reverse("reviews:parallel_add", args=[convened.reference])
    posted = {
        **_day_fields("started_on", _ago(1)),
        "kind": "criminal",
        "contact_organisation": "Northshire Police",
        "contact_name": "DS Invented",
        "effects": ["pauses_family_contact"],
    }
    assert client.post(url, posted).status_code == 302
    process = ParallelProcess.objects.get()
    for page_url in (_url("member", member), reverse("families:list", args=[convened.reference])):
        page = client.get(page_url).content.decode()
        assert "Contact with the family is paused while criminal proceedings run, since" in page
    page = client.get(_url("member", member)).content.decode()
    assert "Record that they were told of the review" not in page
    assert "Record why they were not shown the report" in page
    refused = client.post(_url("contact_add", member, "told"), {**DATE, "how": "letter"})
    assert "There is a problem" in refused.content.decode()
    end = reverse("reviews:parallel_end", args=[convened.reference, process.pk])
    ended = {**_day_fields("ended_on", _ago(0)), "outcome": "No charges."}
    assert client.post(end, ended).status_code == 302
    page = client.get(reverse("families:list", args=[convened.reference])).content.decode()
    assert 'id="contact-paused"' not in page
    assert "Criminal proceedings" in page
    assert "DS Invented" not in page  # the police contact is on the process's own page only
    assert client.get(f"/reviews/{convened.reference}/family/pause/").status_code == 404


def test_unknown_kinds_steps_and_other_members_meetings_are_not_found(
    client, member, people, convened
):
    other = FamilyMemberFactory(review=convened)
    meeting = MeetingFactory(member=other)
    client.force_login(people["manager"])
    assert client.get(_url("contact_add", member, "gossip")).status_code == 404
    assert client.get(_url("meeting_update", member, meeting.pk, "held")).status_code == 404
    assert client.get(_url("meeting_update", other, meeting.pk, "party")).status_code == 404
    assert AccessLog.objects.filter(object_type="family_meeting", allowed=False).exists()


def test_the_chair_sees_the_log_without_actions_and_the_look_is_logged(client, member, people):
    _told(member, people["manager"])
    client.force_login(people["chair"])
    page = client.get(_url("member", member)).content.decode()
    assert "Told of the review" in page
    assert "Record that they were told" not in page
    assert AccessLog.objects.filter(
        user=people["chair"], object_type="family_member", allowed=True
    ).exists()


def test_the_family_pages_do_not_grow_queries_with_entries(
    client, member, people, convened, django_assert_max_num_queries
):
    client.force_login(people["manager"])
    ContactFactory(member=member)
    MeetingFactory(member=member, held=True).attendees.add(people["author"])
    urls = [_url("member", member), reverse("families:list", args=[convened.reference])]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        counts.append(len(few.captured_queries))
    for _ in range(20):
        ContactFactory(member=member, shown_report=True)
        MeetingFactory(member=member, held=True).attendees.add(people["author"], people["panel"])
        FamilyMemberFactory(review=convened)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)
    assert FamilyMember.objects.filter(review=convened).count() == 21


def test_sending_notes_is_one_change_with_its_deadline(member, people, monkeypatch):
    meeting = _held(member, people)

    def clock_down(**kwargs):
        raise RuntimeError("the clock failed")

    monkeypatch.setattr("families.services.involvement.deadline_open", clock_down)
    with pytest.raises(RuntimeError):
        family_notes_send(
            meeting=meeting, actor=people["manager"], sent_on=_ago(5), due_on=_ago(-5)
        )
    meeting.refresh_from_db()
    assert meeting.notes_sent_on is None
    assert not meeting.history.filter(history_change_reason="notes sent to agree").exists()


def test_fields_the_views_form_does_not_have_are_ignored(client, member, people, convened):
    client.force_login(people["manager"])
    posted = {
        "views": "Their words.",
        "declined": "true",
        "name": "Someone else",
        "review": FamilyMemberFactory().review_id,
        "version": version_of(member),
    }
    assert client.post(_url("views", member), posted).status_code == 302
    member.refresh_from_db()
    assert (member.views, member.declined, member.name, member.review) == (
        "Their words.",
        False,
        "Sam Example",
        convened,
    )
