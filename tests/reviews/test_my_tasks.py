"""My tasks: what waits for each person, most urgent first, each linking to where it is done;
and how each person chooses to hear of it (an email at once or a daily digest)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from outbox.kinds import kind_get
from outbox.models import Email
from publication.builders import publication_plan_build
from reviews.builders import Seat, cast_create, person_create, review_at
from reviews.emails import DIGEST, HANDOFF
from reviews.handoffs import Delivery, Kind
from reviews.models import DeliveryPreference, Notification
from reviews.selectors.handoffs import work_list_for
from reviews.services.clock import reminder_send, reminders_sweep
from reviews.services.handoffs import digests_queue
from reviews.services.overview import comments_request
from reviews.services.reports import report_return
from tests.factories import (
    AgencyFactory,
    DeadlineFactory,
    PractitionerCommentFactory,
    ReportRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    police = AgencyFactory(name="Northshire Police")
    return cast_create(agencies=[police]), police


def _whats(person):
    return [(item.what, item.reference) for item in work_list_for(user=person).items]


def _seats(cast):
    return [Seat(person, panel_role="co_opted") for person in cast.panel]


def test_the_chair_finds_the_decision_waiting_and_it_goes_once_made(cast, client):
    cast, police = cast
    built = review_at("referral", cast=cast, agencies_in_scope=[police])
    ref = built.review.reference
    assert ("Make the threshold decision", ref) in _whats(cast.chair)
    client.force_login(cast.chair)
    page = client.get(reverse("reviews:tasks")).content.decode()
    assert "Make the threshold decision" in page
    assert reverse("reviews:decide", args=[ref]) in page
    assert "Nothing is waiting for you" not in page
    built = review_at("decided", cast=cast, agencies_in_scope=[police])
    assert ("Make the threshold decision", built.review.reference) not in _whats(cast.chair)
    assert ("Appoint the independent overview author", built.review.reference) in _whats(cast.chair)


def test_the_panel_finds_a_submitted_report_and_the_lead_a_returned_one(cast):
    cast, police = cast
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[police],
        seats=_seats(cast),
        reports={police: "submitted"},
    )
    ref, lead = built.review.reference, cast.lead_of(police)
    waiting = ("Accept or return the management report from Northshire Police", ref)
    assert waiting in _whats(cast.panel[0])
    assert waiting in _whats(cast.author)
    assert waiting not in _whats(lead)
    report_return(report=built.report_of(police), actor=cast.author, comments="Add the GP")
    assert waiting not in _whats(cast.panel[0])
    returned = work_list_for(user=lead).items
    assert [item.what for item in returned] == [
        "Revise the returned management report and submit it again"
    ]
    assert returned[0].detail == "Add the GP"
    assert returned[0].url == reverse("reviews:report", args=[ref, built.report_of(police).pk])


def test_an_agency_lead_sees_no_other_agencys_returned_report(cast):
    cast, police = cast
    health = AgencyFactory(name="Health")
    other_lead = person_create(
        email="health-lead@example.org",
        first_name="Health",
        last_name="Lead",
        roles=[Role.AGENCY_LEAD],
        agency=health,
    )
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[police],
        seats=_seats(cast),
        reports={police: "submitted"},
    )
    report_return(report=built.report_of(police), actor=cast.author, comments="Add the GP")
    assert _whats(other_lead) == []


def test_the_board_manager_and_author_see_the_steps_that_move_a_review_on(cast):
    cast, police = cast
    convening = review_at("decided", cast=cast, agencies_in_scope=[police]).review.reference
    writing = review_at(
        "overview", cast=cast, agencies_in_scope=[police], seats=_seats(cast)
    ).review.reference
    planning = review_at(
        "action_plan", cast=cast, agencies_in_scope=[police], seats=_seats(cast)
    ).review.reference
    publishing = review_at("publication", cast=cast, agencies_in_scope=[police], seats=_seats(cast))
    manager = _whats(cast.manager)
    assert (
        "Convene the panel, set the terms of reference and request the reports",
        convening,
    ) in manager
    assert ("Add the actions and agree the action plan", planning) in manager
    assert ("Plan the publication", publishing.review.reference) in manager
    assert ("Write the overview report and upload the first draft", writing) in _whats(cast.author)
    publication_plan_build(publishing)
    assert ("Approve the publication plan", publishing.review.reference) in _whats(cast.chair)
    assert ("Plan the publication", publishing.review.reference) not in _whats(cast.manager)


def test_the_chair_is_not_asked_to_approve_a_plan_she_changed_last(cast):
    cast, police = cast
    built = review_at("publication", cast=cast, agencies_in_scope=[police], seats=_seats(cast))
    person_create(
        email="chair2@example.org", first_name="Chair", last_name="Two", roles=[Role.CHAIR]
    )
    cast.manager, manager = cast.chair, cast.manager  # the plan is saved by the chair
    publication_plan_build(built)
    cast.manager = manager
    assert ("Approve the publication plan", built.review.reference) not in _whats(cast.chair)


def test_panel_members_are_asked_to_comment_until_they_do(cast, client):
    cast, police = cast
    built = review_at(
        "overview", cast=cast, agencies_in_scope=[police], seats=_seats(cast), drafts=1
    )
    comments_request(
        review=built.review, actor=cast.author, due_on=timezone.localdate() + timedelta(days=7)
    )
    item = next(i for i in work_list_for(user=cast.panel[0]).items if "Comment on draft" in i.what)
    assert item.due_on == timezone.localdate() + timedelta(days=7)
    client.force_login(cast.panel[0])
    client.post(
        reverse("reviews:comment_add", args=[built.review.reference]), {"text": "Looks fair"}
    )
    assert not [i for i in work_list_for(user=cast.panel[0]).items if "Comment on draft" in i.what]


def test_failed_emails_wait_for_the_board_manager(cast):
    cast, _ = cast
    Email.objects.create(kind=HANDOFF, recipient=cast.chair, status=Email.Status.FAILED)
    assert ("1 email could not be sent: check and send again", "") in _whats(cast.manager)
    assert not [w for w, _ in _whats(cast.chair) if "could not be sent" in w]


def test_most_urgent_first_overdue_then_due_then_longest_waiting(cast):
    cast, police = cast
    built = review_at(
        "overview", cast=cast, agencies_in_scope=[police], seats=_seats(cast), drafts=1
    )
    comments_request(
        review=built.review, actor=cast.author, due_on=timezone.localdate() + timedelta(days=3)
    )
    review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[police],
        seats=_seats(cast),
        reports={police: "submitted"},
    )
    items = work_list_for(user=cast.panel[0]).items
    assert [i.what.split(" ")[0] for i in items] == ["Comment", "Accept"]


@pytest.mark.parametrize("reviews", [2, 12])
def test_my_tasks_query_count_does_not_grow_with_reviews(
    cast, client, django_assert_max_num_queries, reviews
):
    cast, police = cast
    for _ in range(reviews):
        review_at(
            "agency_reports",
            cast=cast,
            agencies_in_scope=[police],
            seats=_seats(cast),
            reports={police: "submitted"},
        )
        review_at("referral", cast=cast, agencies_in_scope=[police])
    for person in (cast.manager, cast.chair, cast.panel[0], cast.lead_of(police)):
        client.force_login(person)
        with django_assert_max_num_queries(24):
            response = client.get(reverse("reviews:tasks"))
        assert response.status_code == 200


def test_choosing_a_daily_digest_holds_the_emails_for_one_a_day(cast, client):
    cast, police = cast
    client.force_login(cast.chair)
    choices = dict.fromkeys(Kind.values, Delivery.AT_ONCE) | {Kind.DECISIONS: Delivery.DIGEST}
    response = client.post(reverse("reviews:delivery"), choices)
    assert response.status_code == 302
    preference = DeliveryPreference.objects.get(person=cast.chair)
    assert preference.history.get().history_user == cast.chair
    first = review_at("referral", cast=cast, agencies_in_scope=[police]).review
    second = review_at("referral", cast=cast, agencies_in_scope=[police]).review
    assert not Email.objects.filter(recipient=cast.chair, kind=HANDOFF).exists()
    assert Notification.objects.filter(recipient=cast.chair, digest_pending=True).count() == 2
    today = timezone.localdate()
    six = timezone.make_aware(datetime(today.year, today.month, today.day, 6))
    seven = six + timedelta(hours=1)
    assert digests_queue(now=six) == 0
    assert digests_queue(now=seven) == 1
    assert digests_queue(now=seven + timedelta(hours=1)) == 0
    digest = Email.objects.get(recipient=cast.chair, kind=DIGEST)
    assert digest.key == f"digest:{today.isoformat()}"
    assert not Notification.objects.filter(recipient=cast.chair, digest_pending=True).exists()
    message = kind_get(DIGEST).render(cast.chair, digest.context)
    assert first.reference in message.body
    assert second.reference in message.body
    assert message.subject.endswith("2 updates for you")


def test_reminders_follow_the_digest_choice(cast, mailoutbox):
    cast, police = cast
    built = review_at("referral", cast=cast, agencies_in_scope=[police])
    DeliveryPreference.objects.create(
        person=cast.manager, kind=Kind.REMINDERS, delivery=Delivery.DIGEST
    )
    DeadlineFactory(review=built.review, due_on=timezone.localdate(), kind="review_complete")
    for pk in reminders_sweep():
        reminder_send(reminder_id=pk)
    assert not [m for m in mailoutbox if cast.manager.email in m.to]
    assert Notification.objects.filter(
        recipient=cast.manager, event="reminder", digest_pending=True
    ).exists()


def test_the_choices_page_refuses_a_missing_or_unknown_answer_and_changes_nothing(cast, client):
    cast, _ = cast
    client.force_login(cast.author)
    page = client.get(reverse("reviews:delivery")).content.decode()
    assert "How you hear about things to do" in page
    assert page.count('value="at_once" checked') == len(Kind.values)
    choices = dict.fromkeys(Kind.values, Delivery.DIGEST)
    response = client.post(reverse("reviews:delivery"), {**choices, Kind.PANEL: "pigeon"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    del choices[Kind.ACTIONS]
    response = client.post(reverse("reviews:delivery"), choices)
    assert "Select how to hear about actions" in response.content.decode()
    assert not DeliveryPreference.objects.exists()


def test_waiting_for_you_shows_the_most_urgent_then_links_to_all(client, monkeypatch):
    from reviews.views import clock as clock_views

    agencies = AgencyFactory.create_batch(2)
    cast = cast_create(agencies=agencies)
    for _ in range(3):
        review_at("decided", cast=cast, agencies_in_scope=agencies[:1])
    client.force_login(cast.manager)
    everything = work_list_for(user=cast.manager).total
    monkeypatch.setattr(clock_views, "WORK_SHOWN", 2)
    page = client.get(reverse("reviews:tasks")).content.decode()
    assert f"{everything} things to do, most urgent first: the 2 most urgent shown" in page
    assert f"Show all {everything} things to do" in page
    page = client.get(reverse("reviews:tasks"), {"work": "all"}).content.decode()
    assert f"{everything} things to do, most urgent first<" in page
    assert "Show all" not in page


def _lead_with_work(agency, returned: int, comments: int):
    """An agency lead with ``returned`` reports sent back, due in four batches of the same day
    (two overdue) and sent back over the last weeks, and ``comments`` passages waiting for a
    worker's comments: the first three due among the reports, the rest after them all."""
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    today, now = timezone.localdate(), timezone.now()
    reports = [
        ReportRequestFactory(
            returned=True,
            agency=agency,
            due_on=today + timedelta(days=n % 4 * 10 - 14),
            decided_at=now - timedelta(days=n * 5 % 17),
        )
        for n in range(returned)
    ]
    for n in range(comments):
        PractitionerCommentFactory(
            interview__request=reports[n % len(reports)],
            due_on=today + timedelta(days=5 * n - 12 if n < 3 else 20 + n),
        )
    return lead


def test_the_most_urgent_shown_are_the_most_urgent_of_everything(agency):
    """60 returned reports and 30 passages: the 50 shown, each source cut to its own most
    urgent 50 in the database, are the first 50 of everything sorted by urgency; the cut
    falls among reports due the same day, where what has waited longest goes first."""
    lead = _lead_with_work(agency, returned=60, comments=30)
    everything = work_list_for(user=lead)
    assert everything.total == len(everything.items) == 90
    most_urgent = sorted(everything.items, key=lambda item: item.urgency)[:50]
    shown = work_list_for(user=lead, limit=50)
    assert shown.total == 90
    assert [item.urgency for item in shown.items] == [item.urgency for item in most_urgent]
    assert shown.items == everything.items[:50]
    assert shown.items[0].is_overdue
    assert shown.items[-1].due_on == everything.items[50].due_on
    assert shown.items[-1].since < everything.items[50].since
    assert len({item.what for item in shown.items}) == 2


def test_my_tasks_queries_do_not_grow_with_the_things_waiting(
    client, agency, django_assert_max_num_queries
):
    lead = _lead_with_work(agency, returned=3, comments=2)
    client.force_login(lead)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reviews:tasks")).status_code == 200
    _lead_with_work(agency, returned=60, comments=30)  # the same agency's: 95 in all
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("reviews:tasks"))
    assert response.context["work_count"] == 95
    assert len(response.context["work"]) == 50
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("reviews:tasks"), {"work": "all"})
    assert len(response.context["work"]) == 95
