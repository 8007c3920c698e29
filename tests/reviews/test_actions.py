"""Stage 6: the action plan, its deadlines at the actions' target dates, and progress."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.models import Action, ActionUpdate, Deadline, Recommendation, Review
from reviews.services.actions import (
    action_create,
    action_plan_agree,
    action_progress,
    action_target_move,
)
from reviews.services.overview import (
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
)
from scr.versions import version_of
from tests.conftest import pdf
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(overview, manager):
    """The overview fixture moved on to the action plan, with two recommendations."""
    review = overview.review
    overview_draft_upload(review=review, actor=overview.author, file=pdf(), note="")
    overview.recommendations = [
        recommendation_add(review=review, actor=overview.author, text=text)
        for text in ("Share attendance data.", "Screen for exploitation.")
    ]
    overview_finalise(
        review=review,
        actor=manager,
        meeting_on=timezone.localdate(),
        uncirculated_reason="Seen at the meeting.",
    )
    review.refresh_from_db()
    return overview


def _action(plan, manager, number=0, agency=0, days=60, **overrides):
    fields = {
        "review": plan.review,
        "actor": manager,
        "recommendation": plan.recommendations[number],
        "agency": plan.reports[agency].agency,
        "lead_name": "Head of Service",
        "change": "A weekly check of children missing education.",
        "difference": "Children missing school are seen within a week.",
        "target_on": timezone.localdate() + timedelta(days=days),
    }
    return action_create(**{**fields, **overrides})


def test_an_action_opens_a_deadline_at_its_target_owned_by_its_agency(plan, manager):
    action = _action(plan, manager)
    deadline = Deadline.objects.get(kind=Deadline.Kind.ACTION, action=action)
    assert deadline.due_on == action.target_on
    assert deadline.owner_agency == action.agency
    assert deadline.get_absolute_url() == action.get_absolute_url()
    assert action.history.get().history_user == manager


def test_an_action_needs_a_future_target_and_a_recommendation_of_this_review(plan, manager):
    with pytest.raises(ValidationError) as error:
        _action(plan, manager, days=0)
    assert "target_on" in error.value.message_dict
    elsewhere = Recommendation.objects.create(
        review=ReviewFactory(), number=1, text="Another review's", created_by=manager
    )
    with pytest.raises(ValidationError) as error:
        _action(plan, manager, recommendation=elsewhere)
    assert "recommendation" in error.value.message_dict
    assert not Action.objects.exists()
    assert not Deadline.objects.filter(kind=Deadline.Kind.ACTION).exists()


def test_actions_wait_for_the_agreed_overview_report(overview, manager):
    recommendation = recommendation_add(review=overview.review, actor=manager, text="Do it.")
    with pytest.raises(ValidationError, match="once the overview report is agreed"):
        action_create(
            review=overview.review,
            actor=manager,
            recommendation=recommendation,
            agency=overview.reports[0].agency,
            lead_name="Lead",
            change="Change",
            difference="Difference",
            target_on=timezone.localdate() + timedelta(days=30),
        )


def test_completing_an_action_needs_evidence_and_meets_its_deadline(plan, manager):
    action = _action(plan, manager)
    lead = plan.leads[0]
    action_progress(
        action=action, actor=lead, status="at_risk", note="Staff off sick.", evidence=""
    )
    with pytest.raises(ValidationError) as error:
        action_progress(action=action, actor=lead, status="complete", note="Done.", evidence=" ")
    assert "evidence" in error.value.message_dict
    action_progress(
        action=action, actor=lead, status="complete", note="Done.", evidence="Audit of May."
    )
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE
    assert action.completed_on == timezone.localdate()
    assert Deadline.objects.get(action=action).state == Deadline.State.MET
    assert ActionUpdate.objects.filter(action=action).count() == 2
    with pytest.raises(ValidationError, match="complete"):
        action_progress(action=action, actor=lead, status="on_track", note="Again.", evidence="")


def test_moving_a_target_moves_its_deadline_with_the_reason(plan, manager):
    action = _action(plan, manager)
    new_target = action.target_on + timedelta(days=30)
    with pytest.raises(ValidationError):
        action_target_move(action=action, actor=manager, target_on=new_target, reason="")
    action_target_move(
        action=action, actor=manager, target_on=new_target, reason="Waiting for a new system"
    )
    deadline = Deadline.objects.get(action=action)
    assert deadline.due_on == new_target
    assert deadline.original_due_on == new_target - timedelta(days=30)
    assert "Waiting for a new system" in deadline.history.first().history_change_reason
    action.refresh_from_db()
    assert action.target_on == new_target


def test_the_plan_is_agreed_when_every_recommendation_has_an_action(plan, manager):
    _action(plan, manager, number=0)
    with pytest.raises(ValidationError, match="none yet for 2"):
        action_plan_agree(review=plan.review, actor=manager)
    _action(plan, manager, number=1, agency=1)
    action_plan_agree(review=plan.review, actor=manager)
    plan.review.refresh_from_db()
    assert plan.review.stage == Review.Stage.PUBLICATION
    # Actions can still be added after the plan is agreed.
    _action(plan, manager, number=1)


def test_an_agency_lead_sees_and_updates_only_their_agencys_actions(client, plan, manager):
    own = _action(plan, manager, agency=0, change="Canary own action")
    other = _action(plan, manager, agency=1, change="Canary other action")
    client.force_login(plan.leads[0])
    page = client.get(reverse("reviews:actions", args=[plan.review.reference])).content.decode()
    assert "Canary own action" in page
    assert "Canary other action" not in page
    assert client.get(other.get_absolute_url()).status_code == 403
    progress = reverse("reviews:action_progress", args=[plan.review.reference, other.pk])
    response = client.post(progress, {"status": "complete", "note": "x", "evidence": "x"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == Action.Status.NOT_STARTED

    progress = reverse("reviews:action_progress", args=[plan.review.reference, own.pk])
    response = client.post(progress, {"status": "complete", "note": "Done."})
    assert response.status_code == 200
    assert "Enter the evidence that the action is complete" in response.content.decode()
    response = client.post(progress, {"status": "on_track", "note": "Started."})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Action.Status.ON_TRACK
    assert (
        client.get(reverse("reviews:action_add", args=[plan.review.reference])).status_code == 403
    )


def test_the_manager_adds_an_action_through_the_form(client, plan, manager):
    client.force_login(manager)
    url = reverse("reviews:action_add", args=[plan.review.reference])
    response = client.post(url, {"lead_name": "Lead"})
    content = response.content.decode()
    assert "Select the recommendation" in content
    assert "Enter the target date" in content
    target = timezone.localdate() + timedelta(days=90)
    response = client.post(
        url,
        {
            "recommendation": plan.recommendations[0].pk,
            "agency": plan.reports[0].agency.pk,
            "lead_name": "Designated Safeguarding Lead",
            "change": "Attendance data shared weekly.",
            "difference": "Earlier help.",
            "target_on_0": target.day,
            "target_on_1": target.month,
            "target_on_2": target.year,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.created_by == manager
    page = client.get(reverse("reviews:actions", args=[plan.review.reference])).content.decode()
    assert "Attendance data shared weekly." in page


def test_an_overdue_action_shows_as_overdue(plan, manager):
    action = _action(plan, manager)
    Action.objects.filter(pk=action.pk).update(target_on=timezone.localdate() - timedelta(days=1))
    action.refresh_from_db()
    assert action.status_label == "Overdue"
    assert action.status_tag_class == "govuk-tag--red"


@pytest.mark.parametrize("count", [3, 30])
def test_the_action_plan_page_makes_the_same_queries_for_few_or_many_actions(
    client, plan, manager, count, django_assert_max_num_queries
):
    for number in range(count):
        _action(plan, manager, number=number % 2, agency=number % 2)
    client.force_login(plan.leads[0])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reviews:actions", args=[plan.review.reference]))
    assert response.content.decode().count("govuk-table__row") == count // 2 + count % 2 + 1


def test_people_who_may_not_manage_the_plan_are_refused_and_nothing_changes(
    client, plan, manager, chair
):
    action = _action(plan, manager)
    reference = plan.review.reference
    target = action.target_on + timedelta(days=10)
    for person in (plan.leads[0], chair, plan.author):
        client.force_login(person)
        agree = reverse("reviews:action_plan_agree", args=[reference])
        assert client.get(agree).status_code == 403
        assert client.post(agree).status_code == 403
        assert client.post(reverse("reviews:action_add", args=[reference]), {}).status_code == 403
        response = client.post(
            reverse("reviews:action_target", args=[reference, action.pk]),
            {"target_on_0": target.day, "target_on_1": target.month, "target_on_2": target.year},
        )
        assert response.status_code == 403
    for person in (chair, plan.author):
        client.force_login(person)
        response = client.post(
            reverse("reviews:action_progress", args=[reference, action.pk]),
            {"status": "on_track", "note": "x"},
        )
        assert response.status_code == 403
    plan.review.refresh_from_db()
    action.refresh_from_db()
    assert plan.review.stage == Review.Stage.ACTION_PLAN
    assert action.status == Action.Status.NOT_STARTED
    assert Action.objects.count() == 1


def test_moving_a_target_without_a_reason_is_refused_on_the_page(client, plan, manager):
    action = _action(plan, manager)
    client.force_login(manager)
    target = action.target_on + timedelta(days=10)
    response = client.post(
        reverse("reviews:action_target", args=[plan.review.reference, action.pk]),
        {"target_on_0": target.day, "target_on_1": target.month, "target_on_2": target.year},
    )
    assert response.status_code == 200
    assert "Enter why the target is moving" in response.content.decode()
    action.refresh_from_db()
    assert action.target_on == target - timedelta(days=10)


def test_agreeing_a_plan_with_an_unanswered_recommendation_shows_why(client, plan, manager):
    _action(plan, manager, number=0)
    client.force_login(manager)
    response = client.post(reverse("reviews:action_plan_agree", args=[plan.review.reference]))
    assert response.status_code == 200
    assert "none yet for 2" in response.content.decode()
    plan.review.refresh_from_db()
    assert plan.review.stage == Review.Stage.ACTION_PLAN


def _version_of(page: str) -> str:
    return re.search(r'name="version" value="([^"]+)"', page).group(1)


def test_agreeing_the_plan_first_names_every_action(client, plan, manager):
    first = _action(plan, manager, number=0, agency=0, days=30)
    second = _action(
        plan, manager, number=1, agency=1, days=90, change="Screen every referral at intake."
    )
    client.force_login(manager)
    url = reverse("reviews:action_plan_agree", args=[plan.review.reference])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    for action in (first, second):
        assert action.agency.name in page
        assert f"{action.target_on:%-d %B %Y}" in page
    assert first.change in page
    assert "Screen every referral at intake." in page
    assert "You cannot undo this" in page
    plan.review.refresh_from_db()
    assert plan.review.stage == Review.Stage.ACTION_PLAN
    response = client.post(url, {"version": _version_of(page)})
    assert response.status_code == 302
    plan.review.refresh_from_db()
    assert plan.review.stage == Review.Stage.PUBLICATION
    # Once agreed, the plan is not agreed again: the page is closed.
    assert client.get(url).status_code == 403


def test_an_action_added_or_changed_after_the_page_opened_is_not_agreed(client, plan, manager):
    first = _action(plan, manager, number=0)
    _action(plan, manager, number=1, agency=1)
    client.force_login(manager)
    url = reverse("reviews:action_plan_agree", args=[plan.review.reference])
    seen = _version_of(client.get(url).content.decode())
    action_target_move(
        action=first,
        actor=manager,
        target_on=first.target_on + timedelta(days=7),
        reason="Training moved",
    )
    _action(plan, manager, number=1, agency=0, change="A new check added late.")
    response = client.post(url, {"version": seen})
    page = response.content.decode()
    assert response.status_code == 409
    agency = plan.reports[0].agency
    assert f"the action for recommendation 1 ({agency}) was changed by {manager}" in page
    assert f"an action for recommendation 2 ({agency}) was added by {manager}" in page
    assert "Nothing was agreed" in page
    assert "A new check added late." in page
    plan.review.refresh_from_db()
    assert plan.review.stage == Review.Stage.ACTION_PLAN
    response = client.post(url, {"version": _version_of(page)})
    assert response.status_code == 302


def test_an_action_and_its_progress_are_made_once_per_submission(plan, manager):
    token = uuid.uuid4()
    first = _action(plan, manager, submission=token)
    assert _action(plan, manager, submission=token) == first
    assert plan.review.actions.count() == 1
    update_token = uuid.uuid4()
    progress = {"status": "on_track", "note": "Training booked.", "evidence": ""}
    once = action_progress(action=first, actor=manager, submission=update_token, **progress)
    again = action_progress(action=first, actor=manager, submission=update_token, **progress)
    assert once == again
    assert first.updates.count() == 1
    # Without a token (the shell, a task) every call is a new record, as before.
    _action(plan, manager)
    assert plan.review.actions.count() == 2


def test_a_target_move_over_a_change_since_it_was_read_is_refused(plan, manager):
    action = _action(plan, manager)
    seen = version_of(action)
    action_progress(action=action, actor=manager, status="at_risk", note="Delayed.", evidence="")
    later = timezone.localdate() + timedelta(days=90)
    with pytest.raises(ValidationError) as refused:
        action_target_move(action=action, actor=manager, target_on=later, reason="x", version=seen)
    assert refused.value.code == "conflict"
    action.refresh_from_db()
    assert action.target_on != later
