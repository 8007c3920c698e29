"""Stage 5: recommendations corrected or removed until the overview report is agreed, what
agency leads are told about them, and the agreement itself (which draft, at which panel
meeting, and why a draft never sent for comments was agreed)."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.forms.actions import ActionForm
from reviews.models import OverviewAgreement, Recommendation, Review
from reviews.services.actions import action_create, action_plan_agree
from reviews.services.overview import (
    comments_close,
    comments_request,
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
    recommendation_correct,
    recommendation_remove,
)
from reviews.services.panel import meeting_record
from tests.conftest import pdf
from tests.factories import AgencyFactory, UserFactory
from tests.reviews.test_overview import agreement_post

pytestmark = pytest.mark.django_db

TEXTS = [
    "Share school attendance data with the social care team weekly.",
    "Screen every referral for signs of exploitation.",
    "Train health visitors on recognising coercive control.",
    "Hold a multi-agency meeting within five days of a missed medical appointment.",
    "Record the views of the child at every home visit.",
]


def _upload(overview, note=""):
    return overview_draft_upload(
        review=overview.review, actor=overview.author, file=pdf(), note=note
    )


def _circulate_and_close(overview):
    comments_request(
        review=overview.review,
        actor=overview.author,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    comments_close(review=overview.review, actor=overview.author)


def _recommend(overview, texts=TEXTS):
    return [
        recommendation_add(review=overview.review, actor=overview.author, text=text)
        for text in texts
    ]


def _agree(overview, manager, **kwargs):
    kwargs.setdefault("meeting_on", timezone.localdate())
    kwargs.setdefault("uncirculated_reason", "The agencies read it at the meeting.")
    return overview_finalise(review=overview.review, actor=manager, **kwargs)


def _page(client, person, name, *args):
    client.force_login(person)
    return client.get(reverse(name, args=args)).content.decode()


def _version_of(page: str) -> str:
    return re.search(r'name="version" value="([^"]+)"', page).group(1)


# What agency leads are told


def test_a_lead_is_not_told_there_is_no_recommendation_while_the_panel_drafts_five(
    client, overview
):
    _upload(overview)
    _recommend(overview)
    page = _page(client, overview.leads[0], "reviews:overview", overview.review.reference)
    assert "No recommendation" not in page
    assert "The recommendations are shown here once the panel agrees the report." in page
    assert not any(text in page for text in TEXTS)


def test_a_lead_sees_the_kept_recommendations_with_their_numbers_once_agreed(
    client, overview, manager
):
    _upload(overview)
    first, second, *_ = _recommend(overview)
    recommendation_remove(recommendation=second, actor=overview.author, reason="Duplicate of 1.")
    _agree(overview, manager)
    page = _page(client, overview.leads[0], "reviews:overview", overview.review.reference)
    assert first.text in page
    assert second.text not in page
    assert "Removed" not in page
    assert "Recommendation 1" in page
    assert "Recommendation 2" not in page
    assert "Recommendation 5" in page


def test_the_panel_sees_a_removed_recommendation_as_removed_with_its_reason(
    client, overview, chair
):
    _upload(overview)
    _, second, *_ = _recommend(overview)
    recommendation_remove(recommendation=second, actor=overview.author, reason="Duplicate of 1.")
    page = _page(client, chair, "reviews:overview", overview.review.reference)
    assert "Removed" in page
    assert "Duplicate of 1." in page
    assert "Correct<span" not in page  # the chair reads; only the author and manager change


# Correcting and removing


def test_the_author_corrects_a_recommendation_keeping_its_number_and_history(client, overview):
    (recommendation,) = _recommend(overview, TEXTS[:1])
    client.force_login(overview.author)
    url = reverse("reviews:recommendation_correct", args=[overview.review.reference, 1])
    page = client.get(url).content.decode()
    assert TEXTS[0] in page
    response = client.post(
        url,
        {
            "text": "Share attendance data daily.",
            "reason": "Panel asked for daily",
            "version": _version_of(page),
        },
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.number, recommendation.text) == (1, "Share attendance data daily.")
    latest = recommendation.history.first()
    assert latest.history_user == overview.author
    assert latest.history_change_reason == "corrected: Panel asked for daily"
    assert recommendation.history.last().text == TEXTS[0]


def test_the_board_manager_removes_one_and_its_number_is_not_reused(client, overview, manager):
    first, _ = _recommend(overview, TEXTS[:2])
    client.force_login(manager)
    url = reverse("reviews:recommendation_remove", args=[overview.review.reference, 1])
    page = client.get(url).content.decode()
    assert TEXTS[0] in page
    response = client.post(url, {"reason": "Covered by 2.", "version": _version_of(page)})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_removed
    assert (first.removed_by, first.removed_reason) == (manager, "Covered by 2.")
    assert first.history.first().history_user == manager
    assert first.history.first().history_change_reason == "removed: Covered by 2."
    third = recommendation_add(review=overview.review, actor=overview.author, text=TEXTS[2])
    assert third.number == 3
    assert Recommendation.objects.count() == 3


def test_bad_input_shows_a_govuk_error_and_changes_nothing(client, overview):
    (recommendation,) = _recommend(overview, TEXTS[:1])
    client.force_login(overview.author)
    reference = overview.review.reference
    cases = [
        ("reviews:recommendation_correct", {"text": "  "}, "Enter the recommendation"),
        (
            "reviews:recommendation_correct",
            {"text": TEXTS[0]},
            "Change the recommendation, or cancel",
        ),
        ("reviews:recommendation_remove", {"reason": ""}, "Enter why the recommendation is"),
    ]
    for name, data, message in cases:
        response = client.post(reverse(name, args=[reference, 1]), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert message in page
        assert "<title>Error: " in page
        assert "govuk-error-summary" in page
    recommendation.refresh_from_db()
    assert recommendation.text == TEXTS[0]
    assert not recommendation.is_removed
    assert recommendation.history.count() == 1


def test_a_correction_over_a_change_made_since_is_refused_with_the_text_kept(
    client, overview, manager
):
    (recommendation,) = _recommend(overview, TEXTS[:1])
    client.force_login(overview.author)
    url = reverse("reviews:recommendation_correct", args=[overview.review.reference, 1])
    seen = _version_of(client.get(url).content.decode())
    recommendation_correct(recommendation=recommendation, actor=manager, text="Manager's words.")
    response = client.post(url, {"text": "Author's words.", "version": seen})
    page = response.content.decode()
    assert response.status_code == 409
    assert f"Recommendation 1 was changed by {manager}" in page
    assert "Author&#x27;s words." in page
    recommendation.refresh_from_db()
    assert recommendation.text == "Manager's words."
    # Having seen the other change, saving again is deliberate and goes through.
    response = client.post(url, {"text": "Author's words.", "version": _version_of(page)})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Author's words."


def test_removing_over_a_correction_made_since_is_refused(client, overview, manager):
    (recommendation,) = _recommend(overview, TEXTS[:1])
    client.force_login(manager)
    url = reverse("reviews:recommendation_remove", args=[overview.review.reference, 1])
    seen = _version_of(client.get(url).content.decode())
    recommendation_correct(recommendation=recommendation, actor=overview.author, text="New.")
    response = client.post(url, {"reason": "Not needed.", "version": seen})
    assert response.status_code == 409
    recommendation.refresh_from_db()
    assert not recommendation.is_removed


def test_a_removed_recommendation_cannot_be_corrected_or_removed_again(overview):
    (recommendation,) = _recommend(overview, TEXTS[:1])
    recommendation_remove(recommendation=recommendation, actor=overview.author, reason="Gone.")
    with pytest.raises(ValidationError, match="was removed"):
        recommendation_correct(recommendation=recommendation, actor=overview.author, text="New.")
    with pytest.raises(ValidationError, match="was removed"):
        recommendation_remove(recommendation=recommendation, actor=overview.author, reason="Again")


@pytest.mark.parametrize(
    "name", ["reviews:recommendation_correct", "reviews:recommendation_remove"]
)
def test_only_the_author_and_the_board_manager_correct_or_remove(
    client, overview, manager, chair, name
):
    (recommendation,) = _recommend(overview, TEXTS[:1])
    url = reverse(name, args=[overview.review.reference, 1])
    data = {"text": "Changed.", "reason": "Because."}
    lead_elsewhere = UserFactory(agency=AgencyFactory())
    for person, status in [
        (overview.leads[0], 403),
        (chair, 403),
        (lead_elsewhere, 404),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
        assert client.post(url, data).status_code == status, person
    recommendation.refresh_from_db()
    assert recommendation.text == TEXTS[0]
    assert not recommendation.is_removed
    for person in (overview.author, manager):
        client.force_login(person)
        assert client.get(url).status_code == 200
    client.force_login(manager)
    missing = reverse(name, args=[overview.review.reference, 9])
    assert client.get(missing).status_code == 404


def test_once_agreed_recommendations_are_neither_corrected_nor_removed(client, overview, manager):
    _upload(overview)
    (recommendation,) = _recommend(overview, TEXTS[:1])
    _agree(overview, manager)
    with pytest.raises(ValidationError, match="until the report is agreed"):
        recommendation_correct(recommendation=recommendation, actor=manager, text="Later.")
    with pytest.raises(ValidationError, match="until the report is agreed"):
        recommendation_remove(recommendation=recommendation, actor=manager, reason="Later.")
    reference = overview.review.reference
    page = _page(client, manager, "reviews:overview", reference)
    assert reverse("reviews:recommendation_correct", args=[reference, 1]) not in page
    assert reverse("reviews:recommendation_remove", args=[reference, 1]) not in page
    for name in ("reviews:recommendation_correct", "reviews:recommendation_remove"):
        assert client.get(reverse(name, args=[reference, 1])).status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.text == TEXTS[0]
    assert not recommendation.is_removed


# A removed recommendation and the action plan


def test_a_removed_recommendation_never_becomes_an_action(overview, manager):
    _upload(overview)
    kept, removed = _recommend(overview, TEXTS[:2])
    recommendation_remove(recommendation=removed, actor=overview.author, reason="Merged into 1.")
    _agree(overview, manager)
    review = overview.review
    review.refresh_from_db()
    assert list(ActionForm(review=review).fields["recommendation"].queryset) == [kept]
    action = {
        "review": review,
        "actor": manager,
        "agency": overview.reports[0].agency,
        "lead_name": "Head of Service",
        "change": "Weekly checks.",
        "difference": "Earlier help.",
        "target_on": timezone.localdate() + timedelta(days=60),
    }
    with pytest.raises(ValidationError) as error:
        action_create(recommendation=removed, **action)
    assert "recommendation" in error.value.message_dict
    action_create(recommendation=kept, **action)
    # The plan answers every recommendation kept: the removed one needs no action.
    action_plan_agree(review=review, actor=manager)
    review.refresh_from_db()
    assert review.stage == Review.Stage.PUBLICATION
    assert not removed.actions.exists()


def test_a_report_whose_recommendations_were_all_removed_is_not_agreed(overview, manager):
    _upload(overview)
    (recommendation,) = _recommend(overview, TEXTS[:1])
    recommendation_remove(recommendation=recommendation, actor=overview.author, reason="Gone.")
    with pytest.raises(ValidationError, match="recommendations"):
        _agree(overview, manager)


# Agreeing: which draft, at which meeting


def test_agreeing_records_the_chosen_draft_and_the_recorded_meeting(client, overview, manager):
    review = overview.review
    circulated = _upload(overview, note="Sent for comments")
    _circulate_and_close(overview)
    _upload(overview, note="Typos after the meeting")
    _recommend(overview, TEXTS[:2])
    held_on = timezone.localdate() - timedelta(days=3)
    meeting = meeting_record(
        review=review,
        actor=manager,
        held_on=held_on,
        attendees=[overview.author],
        minutes="The panel agreed draft 1.",
        actions_agreed="",
    )
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[review.reference])
    page = client.get(url).content.decode()
    assert "Draft 2" in page
    assert "(never sent to the agencies for comments)" in page
    assert "(sent to the agencies for comments)" in page
    data = agreement_post(
        page,
        circulated,
        meeting_on_0=held_on.day,
        meeting_on_1=held_on.month,
        meeting_on_2=held_on.year,
        meeting_note="Quorate; the chair in attendance.",
        uncirculated_reason="",
    )
    assert client.post(url, data).status_code == 302
    agreement = OverviewAgreement.objects.get()
    assert (agreement.draft, agreement.meeting_on, agreement.meeting) == (
        circulated,
        held_on,
        meeting,
    )
    assert agreement.meeting_note == "Quorate; the chair in attendance."
    assert agreement.uncirculated_reason == ""
    assert agreement.agreed_by == manager
    assert agreement.history.get().history_user == manager
    transition = review.transitions.filter(to_stage=Review.Stage.ACTION_PLAN).get()
    assert transition.summary == (
        f"Overview report agreed (draft 1) at the panel meeting on {held_on:%-d %B %Y}; "
        "the action plan starts"
    )
    page = client.get(reverse("reviews:overview", args=[review.reference])).content.decode()
    assert "Draft agreed" in page
    assert f"{held_on:%-d %B %Y} (recorded on the panel page)" in page
    assert "Quorate; the chair in attendance." in page


def test_the_latest_draft_is_chosen_unless_the_person_chooses_another(client, overview, manager):
    _upload(overview)
    latest = _upload(overview)
    _recommend(overview, TEXTS[:1])
    page = _page(client, manager, "reviews:overview_finalise", overview.review.reference)
    assert re.search(rf'value="{latest.pk}"[^>]*checked', page)
    assert _agree(overview, manager).draft == latest


def test_a_draft_never_sent_for_comments_needs_a_reason(client, overview, manager):
    review = overview.review
    _upload(overview)
    _circulate_and_close(overview)
    uncirculated = _upload(overview, note="After the round")
    _recommend(overview, TEXTS[:1])
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[review.reference])
    page = client.get(url).content.decode()
    response = client.post(url, agreement_post(page, uncirculated, uncirculated_reason=" "))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Enter why draft 2 is agreed although it was never sent to the agencies for comments"
        in page
    )
    assert "<title>Error: " in page
    assert 'href="#id_uncirculated_reason"' in page
    review.refresh_from_db()
    assert review.stage == Review.Stage.OVERVIEW
    assert not OverviewAgreement.objects.exists()
    reason = "Only typing errors were corrected after the round of comments."
    response = client.post(url, agreement_post(page, uncirculated, uncirculated_reason=reason))
    assert response.status_code == 302
    assert OverviewAgreement.objects.get().uncirculated_reason == reason
    transition = review.transitions.filter(to_stage=Review.Stage.ACTION_PLAN).get()
    assert transition.reason == f"Draft 2 was never sent for comments: {reason}"
    page = client.get(reverse("reviews:overview", args=[review.reference])).content.decode()
    assert "Never sent for comments" in page
    assert reason in page


def test_a_meeting_date_in_the_future_or_missing_is_refused(client, overview, manager):
    draft = _upload(overview)
    _recommend(overview, TEXTS[:1])
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[overview.review.reference])
    page = client.get(url).content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = {
        "meeting_on_0": tomorrow.day,
        "meeting_on_1": tomorrow.month,
        "meeting_on_2": tomorrow.year,
    }
    missing = {"meeting_on_0": "", "meeting_on_1": "", "meeting_on_2": ""}
    for dates, message in [
        (future, "Date of the panel meeting must be today or in the past"),
        (missing, "Enter the date of the panel meeting"),
    ]:
        response = client.post(url, agreement_post(page, draft, **dates))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not OverviewAgreement.objects.exists()


def test_a_recommendation_corrected_or_removed_after_the_page_opened_is_not_agreed(
    client, overview, manager
):
    draft = _upload(overview)
    first, second = _recommend(overview, TEXTS[:2])
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[overview.review.reference])
    seen = client.get(url).content.decode()
    recommendation_correct(recommendation=first, actor=overview.author, text="Changed.")
    recommendation_remove(recommendation=second, actor=overview.author, reason="Gone.")
    response = client.post(url, agreement_post(seen, draft))
    page = response.content.decode()
    assert response.status_code == 409
    assert f"recommendation 1 was corrected by {overview.author}" in page
    assert f"recommendation 2 was removed by {overview.author}" in page
    assert not OverviewAgreement.objects.exists()
    assert client.post(url, agreement_post(page, draft)).status_code == 302


@pytest.mark.parametrize("count", [2, 20])
def test_the_overview_page_makes_the_same_queries_for_few_or_many_recommendations(
    client, overview, chair, count, django_assert_max_num_queries
):
    _upload(overview)
    recommendations = _recommend(overview, [f"Recommendation text {n}." for n in range(count)])
    for recommendation in recommendations[::2]:
        recommendation_remove(recommendation=recommendation, actor=overview.author, reason="No.")
    client.force_login(chair)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("reviews:overview", args=[overview.review.reference]))
    assert response.content.decode().count('govuk-tag--grey">Removed') == count // 2
