"""The threshold decision (stage 2) and the referral and decision forms in the browser's place."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.forms.referral import SubjectForm
from reviews.frameworks import Outcome
from reviews.models import AccessLog, ReferralDraft, Review, ThresholdDecision
from reviews.services.referral import decision_record
from tests.factories import AgencyFactory, ReviewFactory
from tests.referrals import date_data, referral_parts, referral_start, referral_walk

pytestmark = pytest.mark.django_db

MET = {
    "abuse_or_neglect": True,
    "died": False,
    "seriously_harmed": True,
    "agency_concern": True,
    "died_in_custody": False,
    "died_in_secure_setting": False,
    "suspected_suicide": False,
}
NOT_MET = {**MET, "agency_concern": False}


def _decide(review, chair, answers=MET, outcome=Outcome.INITIATE, rationale="", **overrides):
    fields = {
        "review": review,
        "actor": chair,
        "answers": answers,
        "outcome": outcome,
        "decided_on": timezone.localdate(),
        "rationale": rationale,
        "national_bodies_told_on": None,
    }
    return decision_record(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [(MET, Outcome.NO_FURTHER_ACTION), (NOT_MET, Outcome.INITIATE)],
)
def test_departing_from_the_criteria_needs_a_rationale(review, chair, answers, outcome):
    with pytest.raises(ValidationError) as error:
        _decide(review, chair, answers=answers, outcome=outcome)
    assert "rationale" in error.value.message_dict
    assert not ThresholdDecision.objects.exists()
    decision = _decide(review, chair, answers=answers, outcome=outcome, rationale="Because.")
    assert decision.departs_from_criteria


def test_following_the_criteria_needs_no_rationale(review, chair):
    decision = _decide(review, chair)
    assert decision.criteria_met
    assert not decision.departs_from_criteria
    review.refresh_from_db()
    assert review.stage == Review.Stage.PANEL
    assert decision.history.latest().history_user == chair
    event = review.transitions.get(to_stage=Review.Stage.PANEL)
    assert (event.actor, event.summary) == (
        chair,
        "Threshold decision: Initiate a Serious Case Review",
    )


@pytest.mark.parametrize(
    ("outcome", "stage"),
    [
        (Outcome.INITIATE, Review.Stage.PANEL),
        (Outcome.PARTNERSHIP_REVIEW, Review.Stage.PANEL),
        (Outcome.SINGLE_AGENCY_REVIEW, Review.Stage.PANEL),
        (Outcome.CHILD_DEATH_REVIEW_ONLY, Review.Stage.CLOSED),
        (Outcome.NO_FURTHER_ACTION, Review.Stage.CLOSED),
    ],
)
def test_the_outcome_decides_the_next_stage(review, chair, outcome, stage):
    _decide(review, chair, outcome=outcome, rationale="Reasons.")
    review.refresh_from_db()
    assert review.stage == stage
    if stage == Review.Stage.CLOSED:
        assert review.closed_reason.startswith("Threshold decision:")


def test_a_decision_is_recorded_once(review, chair):
    _decide(review, chair)
    with pytest.raises(ValidationError, match="already been recorded"):
        _decide(review, chair)
    assert ThresholdDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    # Functions, so that dates are worked out when the test runs, not when it is collected.
    [
        (lambda today: {"decided_on": today + timedelta(days=1)}, "decided_on"),
        (lambda today: {"decided_on": today - timedelta(days=365)}, "decided_on"),
        (
            lambda today: {"national_bodies_told_on": today - timedelta(days=1)},
            "national_bodies_told_on",
        ),
        (lambda today: {"outcome": "abolish_the_board"}, "outcome"),
        (lambda today: {"answers": {"abuse_or_neglect": True}}, "died"),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(review, chair, overrides, field):
    with pytest.raises(ValidationError) as error:
        _decide(review, chair, **overrides(timezone.localdate()))
    assert field in error.value.message_dict
    review.refresh_from_db()
    assert review.stage == Review.Stage.REFERRAL
    assert not ThresholdDecision.objects.exists()


def test_the_decision_rolls_back_whole_if_moving_the_stage_fails(review, chair, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("reviews.services.referral.stage_move", broken)
    with pytest.raises(RuntimeError):
        _decide(review, chair)
    assert not ThresholdDecision.objects.exists()


def test_referral_form_with_one_mistake_shows_the_govuk_error_summary(client, manager):
    agency = AgencyFactory()
    client.force_login(manager)
    today = timezone.localdate()
    data = referral_parts(agency)["referrer"]
    data.update(referred_on_0="31", referred_on_1="2", referred_on_2=str(today.year))
    response = client.post(reverse("reviews:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert '<a href="#id_referred_on_0">Date referred must be a real date</a>' in html
    assert 'id="id_referred_on_error"' in html
    assert not ReferralDraft.objects.exists()

    response = referral_walk(client, agency, stage="closed", reference="X-1", created_by=1)
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    assert review.stage == Review.Stage.REFERRAL
    assert review.reference == f"SCR-{today.year}-001"
    assert review.created_by == manager


def test_decision_form_asks_every_criterion_and_records(client, chair, review):
    client.force_login(chair)
    url = reverse("reviews:decide", args=[review.reference])
    response = client.post(url, {"outcome": "initiate"})
    html = response.content.decode()
    assert html.count("Select yes or no") >= len(MET)
    assert "Enter the date of the decision" in html

    data = {key: "yes" if value else "no" for key, value in MET.items()}
    unexplained = client.post(url, {**data, "outcome": "no_further_action"}).content.decode()
    assert "Your answers meet the criteria for a review." in unexplained
    data.update(outcome="initiate", **date_data("decided_on", timezone.localdate()))
    assert client.post(url, data).status_code == 302
    assert ThresholdDecision.objects.get().decided_by == chair
    assert client.get(url).status_code == 403  # decided: the form is closed


def test_the_subject_identity_shows_only_to_manager_and_chair(client, users_by_role, review):
    for role, person in users_by_role.items():
        client.force_login(person)
        response = client.get(review.get_absolute_url())
        allowed = role in ("Board manager", "Chair")
        assert response.status_code == (200 if allowed else 404)
        assert ("Canary Realname" in response.content.decode()) is allowed
    refused = AccessLog.objects.filter(object_ref=review.reference, allowed=False).count()
    assert refused == len(users_by_role) - 2


def test_review_list_filters_and_ignores_unknown_values(client, manager):
    open_review, closed = ReviewFactory(), ReviewFactory(closed=True)
    client.force_login(manager)
    html = client.get(reverse("reviews:list"), {"stage": "closed"}).content.decode()
    assert closed.reference in html
    assert open_review.reference not in html
    response = client.get(reverse("reviews:list"), {"stage": "bogus", "page": "999"})
    assert response.status_code == 200
    assert open_review.reference in response.content.decode()


def test_template_syntax_in_input_is_shown_literally(client, manager):
    review = ReviewFactory(
        subject_reference="{{ settings.SECRET_KEY }}", circumstances="<script>alert(1)</script>"
    )
    client.force_login(manager)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "{{ settings.SECRET_KEY }}" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_inputs_keep_the_width_their_form_gives_them_with_and_without_errors(client, manager):
    """The form kit adds GOV.UK's input classes to the field's own (a width), not instead."""
    client.force_login(manager)
    page = client.get(reverse("reviews:create")).content.decode()
    assert 'class="govuk-input govuk-!-width-two-thirds"' in page
    refused = SubjectForm(data={})
    assert not refused.is_valid()
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in str(
        refused["subject_reference"]
    )


def test_long_text_counts_characters_instead_of_cutting_them_off(client, manager):
    """A textarea with maxlength lets the browser drop pasted text past the limit without a
    word: the GOV.UK character count says how many are left, and too many is refused."""
    agency = AgencyFactory()
    client.force_login(manager)
    draft = referral_start(client, agency)
    url = reverse("reviews:referral_part", args=[draft.pk, "circumstances"])
    page = client.get(url).content.decode()
    assert not re.search(r"<textarea[^>]*maxlength", page)
    assert 'data-module="govuk-character-count" data-maxlength="10000"' in page
    assert 'class="govuk-hint govuk-character-count__message"' in page
    data = referral_parts(agency, circumstances="x" * 10001)["circumstances"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Summary of the circumstances must be 10,000 characters or fewer" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.answers["circumstances"]["circumstances"] == ["Invented."]
