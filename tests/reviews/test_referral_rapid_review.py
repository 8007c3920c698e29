"""The notification to the national bodies and the LCSPR's rapid review before the decision."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.frameworks import Framework, Outcome
from reviews.models import Deadline, RapidReview, Review, ThresholdDecision
from reviews.services.referral import decision_record, notification_record, rapid_review_record
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

LCSPR_MET = {
    "abuse_or_neglect": True,
    "died": False,
    "seriously_harmed": True,
    "died_in_custody": False,
    "died_in_secure_setting": False,
    "suspected_suicide": False,
}


def _rapid_review(review, manager, **overrides):
    fields = {
        "review": review,
        "actor": manager,
        "held_on": timezone.localdate(),
        "attendees": "Police, health, children's social care",
        "facts": "Invented facts.",
        "immediate_action": "A strategy discussion was held.",
        "learning": "Information sharing between school and health.",
        "recommendation": RapidReview.Recommendation.REVIEW,
        "sent_to_national_panel_on": None,
    }
    return rapid_review_record(**{**fields, **overrides})


def _decide(review, chair):
    return decision_record(
        review=review,
        actor=chair,
        answers=LCSPR_MET,
        outcome=Outcome.INITIATE,
        decided_on=timezone.localdate(),
        rationale="",
        national_bodies_told_on=None,
    )


@pytest.fixture
def lcspr(manager):
    return ReviewFactory(framework=Framework.LCSPR, created_by=manager)


@time_machine.travel(date(2026, 12, 14), tick=False)
def test_the_notification_closes_its_deadline_and_opens_the_rapid_review_in_working_days(
    manager,
):
    review = ReviewFactory(framework=Framework.LCSPR, referred_on=date(2026, 12, 10))
    Deadline.objects.create(
        review=review,
        kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES,
        due_on=date(2026, 12, 17),
        original_due_on=date(2026, 12, 17),
    )
    notification_record(review=review, actor=manager, notified_on=date(2026, 12, 11))

    review.refresh_from_db()
    assert review.national_bodies_notified_on == date(2026, 12, 11)
    notify = review.deadlines.get(kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES)
    assert notify.state == Deadline.State.MET
    rapid = review.deadlines.get(kind=Deadline.Kind.RAPID_REVIEW)
    # 15 working days from Friday 11 December skip Christmas, the Boxing Day substitute
    # (Monday 28th) and New Year's Day.
    assert rapid.due_on == date(2027, 1, 6)
    assert review.history.first().history_user == manager
    assert review.transitions.filter(summary__startswith="National bodies notified").exists()


def test_an_scr_notification_opens_no_rapid_review(review, manager):
    notification_record(review=review, actor=manager, notified_on=timezone.localdate())
    assert not review.deadlines.filter(kind=Deadline.Kind.RAPID_REVIEW).exists()


@pytest.mark.parametrize(
    ("days", "field"),
    [(1, "notified_on"), (-11, "notified_on")],
)
def test_a_notification_date_in_the_future_or_before_the_referral_is_refused(
    review, manager, days, field
):
    with pytest.raises(ValidationError) as error:
        notification_record(
            review=review, actor=manager, notified_on=timezone.localdate() + timedelta(days=days)
        )
    assert field in error.value.message_dict
    review.refresh_from_db()
    assert review.national_bodies_notified_on is None


def test_the_notification_is_recorded_once(review, manager):
    notification_record(review=review, actor=manager, notified_on=timezone.localdate())
    with pytest.raises(ValidationError):
        notification_record(review=review, actor=manager, notified_on=timezone.localdate())


def test_an_lcspr_decision_waits_for_its_rapid_review(lcspr, manager, chair):
    notification_record(review=lcspr, actor=manager, notified_on=timezone.localdate())
    with pytest.raises(ValidationError, match="rapid review"):
        _decide(lcspr, chair)
    assert not ThresholdDecision.objects.exists()

    _rapid_review(lcspr, manager)
    assert lcspr.deadlines.get(kind=Deadline.Kind.RAPID_REVIEW).state == Deadline.State.MET
    _decide(lcspr, chair)
    lcspr.refresh_from_db()
    assert lcspr.stage == Review.Stage.PANEL


def test_a_rapid_review_is_refused_for_other_review_types_and_twice(review, lcspr, manager):
    with pytest.raises(ValidationError):
        _rapid_review(review, manager)
    _rapid_review(lcspr, manager)
    with pytest.raises(ValidationError):
        _rapid_review(lcspr, manager)
    assert RapidReview.objects.count() == 1


def test_a_rapid_review_with_dates_out_of_order_is_refused(lcspr, manager):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        _rapid_review(lcspr, manager, sent_to_national_panel_on=today - timedelta(days=1))
    assert "sent_to_national_panel_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _rapid_review(lcspr, manager, held_on=lcspr.referred_on - timedelta(days=1))
    assert "held_on" in error.value.message_dict
    assert not RapidReview.objects.exists()


def test_the_manager_records_the_rapid_review_through_the_form(client, lcspr, manager):
    client.force_login(manager)
    url = reverse("reviews:rapid_review", args=[lcspr.reference])
    response = client.post(url, {"attendees": "<script>alert(1)</script>"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter what happened" in content
    assert "Select the rapid review&#x27;s recommendation" in content
    assert "<script>alert(1)</script>" not in content
    assert not RapidReview.objects.exists()

    today = timezone.localdate()
    response = client.post(
        url,
        {
            "held_on_0": today.day,
            "held_on_1": today.month,
            "held_on_2": today.year,
            "attendees": "Police, school",
            "facts": "Invented facts.",
            "immediate_action": "Child protection plan.",
            "learning": "Attendance.",
            "recommendation": "no_review",
        },
    )
    assert response.status_code == 302
    rapid = RapidReview.objects.get()
    assert rapid.recorded_by == manager
    assert rapid.history.get().history_user == manager
    page = client.get(lcspr.get_absolute_url()).content.decode()
    assert "No local review" in page
    assert client.get(url).status_code == 403


def test_the_chair_sees_that_the_decision_waits_for_the_rapid_review(client, lcspr, chair):
    client.force_login(chair)
    page = client.get(lcspr.get_absolute_url()).content.decode()
    assert "once the rapid review is recorded" in page
    assert reverse("reviews:decide", args=[lcspr.reference]) not in page
    assert client.get(reverse("reviews:decide", args=[lcspr.reference])).status_code == 403
    assert client.get(reverse("reviews:rapid_review", args=[lcspr.reference])).status_code == 403


def test_a_future_notification_date_is_refused_on_the_page_and_others_are_refused(
    client, review, manager, chair
):
    url = reverse("reviews:notify", args=[review.reference])
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {"notified_on_0": tomorrow.day, "notified_on_1": tomorrow.month}
    client.force_login(manager)
    response = client.post(url, data)
    assert "Date of the notification must include a year" in response.content.decode()
    data["notified_on_2"] = tomorrow.year
    response = client.post(url, data)
    assert "Date of the notification must be today or in the past" in response.content.decode()
    client.force_login(chair)
    assert client.post(url, data).status_code == 403
    review.refresh_from_db()
    assert review.national_bodies_notified_on is None
