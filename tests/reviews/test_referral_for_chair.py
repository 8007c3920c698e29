"""The board manager records the chair's threshold decision on the chair's behalf, as boards do
when the chair decides by email: decided by the chair, recorded by the manager."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.frameworks import Outcome
from reviews.models import Review, ThresholdDecision
from reviews.selectors.referral import decision_chair_candidates
from reviews.services.referral import decision_record
from tests.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _answers(review):
    return {c.key: not c.mandatory for c in review.profile.criteria}


def _form_data(review, *, day=None, **fields):
    day = day or timezone.localdate()
    data = {key: "yes" if value else "no" for key, value in _answers(review).items()}
    data.update(
        outcome=Outcome.INITIATE,
        decided_on_0=day.day,
        decided_on_1=day.month,
        decided_on_2=day.year,
        **fields,
    )
    return data


def _record(review, actor, **overrides):
    fields = {
        "review": review,
        "actor": actor,
        "answers": _answers(review),
        "outcome": Outcome.INITIATE,
        "decided_on": timezone.localdate(),
        "rationale": "",
        "national_bodies_told_on": None,
    }
    return decision_record(**{**fields, **overrides})


def test_the_manager_records_the_chairs_decision_and_both_are_shown(client, manager, chair, review):
    chair.first_name, chair.last_name = "Ruth", "Ashdown"
    chair.save()
    url = reverse("reviews:decide", args=[review.reference])
    client.force_login(manager)
    form = client.get(url).content.decode()
    assert "Record the chair's threshold decision" in form
    assert "Which chair made the decision?" in form
    assert "Ruth Ashdown" in form
    assert "How did the chair make the decision known to you?" in form

    decided_on = review.referred_on + timedelta(days=1)
    response = client.post(
        url, _form_data(review, day=decided_on, decided_by=chair.pk, communicated_via="email")
    )
    assert response.status_code == 302
    decision = ThresholdDecision.objects.get()
    assert (decision.decided_by, decision.recorded_by) == (chair, manager)
    assert (decision.decided_on, decision.communicated_via) == (decided_on, "email")
    assert decision.recorded_for_chair

    recorded = decision.history.get()
    assert recorded.history_user == manager
    said = f"Decided by Ruth Ashdown on {decided_on:%-d %B %Y} (by email), recorded by {manager}"
    assert recorded.history_change_reason == f"threshold decision recorded for the chair: {said}"
    event = Review.objects.get().transitions.get(to_stage=Review.Stage.PANEL)
    assert (event.actor, event.reason) == (manager, said)

    page = client.get(Review.objects.get().get_absolute_url()).content.decode()
    assert f"Ruth Ashdown on {decided_on:%-d %B %Y}" in page
    assert f"{manager} on {timezone.localdate():%-d %B %Y}, for the chair, who made it known" in (
        page
    )
    assert said in page  # the timeline


def test_the_manager_must_say_which_chair_and_how(client, manager, chair, review):
    client.force_login(manager)
    response = client.post(reverse("reviews:decide", args=[review.reference]), _form_data(review))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert '<a href="#id_decided_by_0">Select the chair who made the decision</a>' in html
    assert (
        '<a href="#id_communicated_via_0">Select how the chair made the decision known to you</a>'
        in html
    )
    assert not ThresholdDecision.objects.exists()
    review.refresh_from_db()
    assert review.stage == Review.Stage.REFERRAL


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (1, "Date of the decision must be today or in the past"),
        (-30, "Date of the decision must be the same as or after the date referred"),
    ],
)
def test_the_chairs_date_is_not_in_the_future_nor_before_the_referral(
    client, manager, chair, review, days, message
):
    client.force_login(manager)
    day = timezone.localdate() + timedelta(days=days)
    data = _form_data(review, day=day, decided_by=chair.pk, communicated_via="call")
    response = client.post(reverse("reviews:decide", args=[review.reference]), data)
    assert message in response.content.decode()
    assert not ThresholdDecision.objects.exists()


def test_the_chair_still_records_their_own_and_cannot_name_another(client, chair, review):
    other_chair = UserFactory(role=Role.CHAIR)
    client.force_login(chair)
    url = reverse("reviews:decide", args=[review.reference])
    assert "Which chair made the decision?" not in client.get(url).content.decode()
    data = _form_data(review, decided_by=other_chair.pk, communicated_via="email")
    assert client.post(url, data).status_code == 302
    decision = ThresholdDecision.objects.get()
    assert (decision.decided_by, decision.recorded_by, decision.communicated_via) == (
        chair,
        chair,
        "",
    )
    assert not decision.recorded_for_chair
    assert decision.history.get().history_change_reason == "threshold decision recorded"


@pytest.mark.parametrize("role", ["outsider", Role.PANEL_MEMBER, Role.INDEPENDENT_AUTHOR])
def test_nobody_else_records_a_decision(client, users_by_role, chair, review, role):
    client.force_login(users_by_role[role])
    data = _form_data(review, decided_by=chair.pk, communicated_via="email")
    response = client.post(reverse("reviews:decide", args=[review.reference]), data)
    assert response.status_code == 404
    assert not ThresholdDecision.objects.exists()


def test_an_agency_lead_in_the_review_is_refused(client, users_by_role, chair, review, agency):
    lead = users_by_role[Role.AGENCY_LEAD]
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    assign_perm("reviews.view_review", lead, review)
    client.force_login(lead)
    data = _form_data(review, decided_by=chair.pk, communicated_via="email")
    response = client.post(reverse("reviews:decide", args=[review.reference]), data)
    assert response.status_code == 403
    assert not ThresholdDecision.objects.exists()


def _refused(review, actor, field, **overrides):
    with pytest.raises(ValidationError) as error:
        _record(review, actor, **overrides)
    if field:
        assert field in error.value.message_dict
    assert not ThresholdDecision.objects.exists()
    review.refresh_from_db()
    assert review.stage == Review.Stage.REFERRAL


def test_only_an_active_chair_can_be_named(manager, chair, users_by_role, review):
    _refused(review, manager, None)  # the manager cannot decide as themselves
    _refused(review, manager, None, decided_by=manager, communicated_via="email")
    for person in (users_by_role[Role.PANEL_MEMBER], users_by_role["outsider"]):
        _refused(review, manager, "decided_by", decided_by=person, communicated_via="email")
    chair.is_active = False
    chair.save()
    _refused(review, manager, "decided_by", decided_by=chair, communicated_via="email")


def test_the_manager_must_say_how_the_chair_decided(manager, chair, review):
    for how in ("", "carrier pigeon"):
        _refused(review, manager, "communicated_via", decided_by=chair, communicated_via=how)
    decision = _record(review, manager, decided_by=chair, communicated_via="meeting")
    assert decision.get_communicated_via_display() == "In a meeting"


def test_no_one_who_is_also_a_board_manager_can_be_named_chair(manager, chair):
    """The roles page refuses anyone both board manager and chair; should such a person exist
    (groups changed by hand), they still cannot be named the chair."""
    both = UserFactory(role=Role.CHAIR)
    both.groups.add(*manager.groups.all())
    assert list(decision_chair_candidates()) == [chair]
    review = ReviewFactory()
    _refused(review, manager, "decided_by", decided_by=both, communicated_via="email")


def test_the_database_refuses_a_decision_recorded_for_a_chair_without_how(manager, chair):
    review = ReviewFactory(stage=Review.Stage.PANEL)
    with pytest.raises(IntegrityError), transaction.atomic():
        ThresholdDecision.objects.create(
            review=review,
            answers=_answers(review),
            criteria_met=True,
            outcome=Outcome.INITIATE,
            decided_on=review.referred_on,
            decided_by=chair,
            recorded_by=manager,
        )
