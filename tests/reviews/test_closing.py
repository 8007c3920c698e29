"""Closing a review: signed off, closed with its open actions handed to the board's action log,
or withdrawn; and a closed review refuses every change."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import Role
from outbox.models import Email
from publication.builders import publication_plan_build
from publication.models import PublicationPlan
from publication.services import pseudonym_add
from reviews import gates
from reviews.builders import cast_create, person_create, review_at
from reviews.emails import REPORT_REQUESTED
from reviews.gates import REVIEW_CLOSE
from reviews.models import Action, Deadline, Notification, Review, StageTransition
from reviews.services.actions import action_progress, action_target_move
from reviews.services.clock import clock_extend, clock_stop
from reviews.services.closing import review_hand_over, review_sign_off, review_withdraw
from reviews.services.reports import report_requests_catch_up
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

COMPLETE = Action.Status.COMPLETE


@pytest.fixture
def agencies():
    return [AgencyFactory(name="Northshire Police"), AgencyFactory(name="Northshire Health")]


@pytest.fixture
def cast(agencies):
    return cast_create(agencies=agencies)


def _published(cast, agencies, *progress):
    """A review at publication with one action per ``progress`` (status, note, evidence, or
    None for no progress), each owned by the agencies in turn, and its publication done (the
    chair approved not publishing it), so that only its actions decide its closing."""
    specs = [
        {
            "recommendation": 0,
            "agency": agencies[n % len(agencies)],
            **({"progress": p} if p else {}),
        }
        for n, p in enumerate(progress)
    ]
    built = review_at(
        "publication",
        cast=cast,
        agencies_in_scope=agencies,
        recommendations=["Share attendance data."],
        actions=specs,
    )
    publication_plan_build(
        built, form=PublicationPlan.Form.NONE, rationale="Shared in briefings.", approved=True
    )
    return built


DONE = (COMPLETE, "Checks run weekly.", "Audit of March: 40 checks, all on time.")


# --- signing off


def test_sign_off_closes_a_review_whose_every_action_is_complete_with_evidence(cast, agencies):
    built = _published(cast, agencies, DONE, DONE)
    review = review_sign_off(review=built.review, actor=cast.manager)
    review.refresh_from_db()
    assert review.stage == Review.Stage.CLOSED
    assert review.closed_how == Review.Closure.SIGNED_OFF
    assert review.closed_by == cast.manager
    assert review.closed_at is not None
    move = review.transitions.get(to_stage=Review.Stage.CLOSED)
    assert move.from_stage == Review.Stage.PUBLICATION
    assert move.kind == StageTransition.Kind.STAGE
    assert move.actor == cast.manager
    latest = review.history.first()
    assert latest.history_user == cast.manager
    assert latest.closed_how == "signed_off"
    target = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert target.state == Deadline.State.MET
    assert not review.deadlines.filter(state=Deadline.State.OPEN).exists()


def test_sign_off_is_refused_naming_each_action_that_stops_it(cast, agencies):
    built = _published(cast, agencies, DONE, None, DONE)
    # A complete action with no evidence (recorded before evidence was asked for).
    Action.objects.filter(pk=built.actions[2].pk).update(status=COMPLETE)
    built.actions[2].updates.update(evidence="")
    with pytest.raises(ValidationError) as error:
        review_sign_off(review=built.review, actor=cast.manager)
    assert error.value.messages == [
        "Action 2 (Northshire Health, recommendation 1) is not complete (not started)",
        "Action 3 (Northshire Police, recommendation 1) is marked complete with no evidence "
        "recorded",
    ]
    built.review.refresh_from_db()
    assert built.review.stage == Review.Stage.PUBLICATION
    assert not built.review.transitions.filter(to_stage=Review.Stage.CLOSED).exists()


def test_the_sign_off_page_lists_each_blocking_action_as_a_link(client, cast, agencies):
    built = _published(cast, agencies, DONE, None)
    client.force_login(cast.manager)
    url = reverse("reviews:sign_off", args=[built.review.reference])
    page = client.get(url).content.decode()
    blocker = built.actions[1]
    assert f'href="{blocker.get_absolute_url()}">Action 2</a> (Northshire Health' in page
    assert "not complete (not started)" in page
    assert "Sign off the review</button>" not in page
    response = client.post(url)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    built.review.refresh_from_db()
    assert built.review.stage == Review.Stage.PUBLICATION


@pytest.mark.parametrize("service", ["sign_off", "hand_over"])
def test_closing_waits_on_the_review_close_gate(monkeypatch, client, cast, agencies, service):
    built = _published(cast, agencies, DONE, None if service == "hand_over" else DONE)
    monkeypatch.setitem(
        gates._CHECKS, REVIEW_CLOSE, [lambda review: ["Publish the report on the board's site"]]
    )
    close = {"sign_off": review_sign_off, "hand_over": review_hand_over}[service]
    extra = {"reason": "The board follows them."} if service == "hand_over" else {}
    with pytest.raises(ValidationError) as error:
        close(review=built.review, actor=cast.manager, **extra)
    assert error.value.messages == ["Publish the report on the board's site"]
    client.force_login(cast.manager)
    page = client.get(reverse(f"reviews:{service}", args=[built.review.reference]))
    assert "Publish the report on the board&#x27;s site" in page.content.decode()
    assert "<button" not in page.content.decode().split("</h1>")[1].split("</main>")[0]
    monkeypatch.setitem(gates._CHECKS, REVIEW_CLOSE, [])
    close(review=built.review, actor=cast.manager, **extra)
    built.review.refresh_from_db()
    assert built.review.stage == Review.Stage.CLOSED


@pytest.mark.parametrize("stage", ["referral", "convened", "overview", "action_plan"])
def test_sign_off_and_hand_over_are_for_the_publication_stage_only(cast, agencies, stage):
    built = review_at(stage, cast=cast, agencies_in_scope=agencies)
    with pytest.raises(ValidationError, match="at the publication stage"):
        review_sign_off(review=built.review, actor=cast.manager)
    with pytest.raises(ValidationError, match="at the publication stage"):
        review_hand_over(review=built.review, actor=cast.manager, reason="Why")


# --- handing the open actions over


def test_closing_hands_every_open_action_to_the_action_log(cast, agencies):
    built = _published(cast, agencies, DONE, None, (Action.Status.AT_RISK, "Late.", ""))
    done, open_one, at_risk = built.actions
    review_hand_over(review=built.review, actor=cast.manager, reason=" Board follows them. ")
    review = Review.objects.get(pk=built.review.pk)
    assert review.closed_how == Review.Closure.HANDED_OVER
    assert review.closed_reason == "Board follows them."
    move = review.transitions.get(to_stage=Review.Stage.CLOSED)
    assert move.summary == "Review closed: 2 open actions handed to the board's action log"
    for action in (open_one, at_risk):
        action.refresh_from_db()
        assert action.handed_over_by == cast.manager
        assert action.handed_over_at is not None
        latest = action.history.first()
        assert latest.history_change_reason == "handed over to the board's action log"
        assert latest.history_user == cast.manager
        deadline = Deadline.objects.get(kind=Deadline.Kind.ACTION, action=action)
        assert deadline.state == Deadline.State.OPEN  # the board goes on tracking it
    done.refresh_from_db()
    assert done.handed_over_at is None
    others = review.deadlines.exclude(kind=Deadline.Kind.ACTION)
    assert not others.filter(state=Deadline.State.OPEN).exists()


def test_a_handed_over_action_still_takes_progress_and_nothing_else(cast, agencies):
    built = _published(cast, agencies, None, None)
    review_hand_over(review=built.review, actor=cast.manager, reason="Board follows them.")
    police, health = built.actions
    lead = cast.lead_of(agencies[0])
    update = action_progress(
        action=police, actor=lead, status=Action.Status.ON_TRACK, note="Started.", evidence=""
    )
    assert update.author == lead
    action_progress(action=health, actor=cast.manager, status=COMPLETE, note="Done.", evidence="X")
    health.refresh_from_db()
    assert health.status == COMPLETE
    assert Deadline.objects.get(action=health).state == Deadline.State.MET
    with pytest.raises(ValidationError, match="This review is closed"):
        action_target_move(
            action=police, actor=cast.manager, target_on=police.target_on, reason="x"
        )


def test_hand_over_needs_a_reason_and_open_actions(cast, agencies):
    built = _published(cast, agencies, None)
    with pytest.raises(ValidationError) as error:
        review_hand_over(review=built.review, actor=cast.manager, reason="  ")
    assert "reason" in error.value.message_dict
    done = _published(cast, agencies, DONE)
    with pytest.raises(ValidationError, match="sign the review off"):
        review_hand_over(review=done.review, actor=cast.manager, reason="Why")
    assert Review.objects.filter(stage=Review.Stage.CLOSED).count() == 0


def test_an_action_not_handed_over_takes_no_progress_once_closed(cast, agencies):
    built = _published(cast, agencies, None)
    review_withdraw(review=built.review, actor=cast.manager, reason="Criminal trial.")
    with pytest.raises(ValidationError, match="This review is closed"):
        action_progress(
            action=built.actions[0], actor=cast.manager, status=COMPLETE, note="n", evidence="e"
        )


# --- withdrawing


@pytest.mark.parametrize(
    "stage", ["referral", "convened", "agency_reports", "overview", "action_plan", "publication"]
)
def test_a_review_is_withdrawn_at_any_stage_with_a_reason(cast, agencies, stage):
    built = review_at(stage, cast=cast, agencies_in_scope=agencies)
    before = built.review.stage
    review_withdraw(review=built.review, actor=cast.manager, reason="The family asked us to.")
    review = Review.objects.get(pk=built.review.pk)
    assert (review.stage, review.closed_how) == (Review.Stage.CLOSED, Review.Closure.WITHDRAWN)
    assert review.closed_reason == "The family asked us to."
    move = review.transitions.get(to_stage=Review.Stage.CLOSED)
    assert move.from_stage == before
    assert move.reason == "The family asked us to."
    assert not review.deadlines.filter(state=Deadline.State.OPEN).exists()
    told = set(Notification.objects.filter(event="review_closed").values_list("recipient", flat=1))
    assert cast.chair.pk in told
    assert cast.manager.pk not in told


def test_a_withdrawal_needs_a_reason_and_a_closed_review_is_not_closed_again(cast, agencies):
    built = review_at("convened", cast=cast, agencies_in_scope=agencies)
    with pytest.raises(ValidationError) as error:
        review_withdraw(review=built.review, actor=cast.manager, reason="")
    assert error.value.message_dict == {"reason": ["Enter why the review is withdrawn"]}
    review_withdraw(review=built.review, actor=cast.manager, reason="Withdrawn.")
    with pytest.raises(ValidationError, match="This review is closed"):
        review_withdraw(review=built.review, actor=cast.manager, reason="Again.")
    assert built.review.transitions.filter(to_stage=Review.Stage.CLOSED).count() == 1


def test_withdrawing_through_the_page(client, cast, agencies):
    built = review_at("convened", cast=cast, agencies_in_scope=agencies)
    url = reverse("reviews:withdraw", args=[built.review.reference])
    client.force_login(cast.manager)
    page = client.get(url).content.decode()
    assert "govuk-warning-text" in page
    assert "You cannot undo this." in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "There is a problem" in text
    assert "Enter why the review is withdrawn" in text
    assert Review.objects.get(pk=built.review.pk).stage == Review.Stage.PANEL
    done = client.post(url, {"reason": "<b>The police asked us to stop.</b>"})
    assert done.status_code == 302
    page = client.get(built.review.get_absolute_url()).content.decode()
    assert "This review is closed" in page
    assert "Withdrawn" in page
    assert "&lt;b&gt;The police asked us to stop.&lt;/b&gt;" in page
    assert str(cast.manager) in page
    for link in ("withdraw", "sign_off", "hand_over", "clock"):
        assert reverse(f"reviews:{link}", args=[built.review.reference]) not in page


@pytest.mark.parametrize("person", ["chair", "author", "lead"])
def test_only_the_board_manager_closes_a_review(client, cast, agencies, person):
    built = _published(cast, agencies, DONE)
    who = cast.lead_of(agencies[0]) if person == "lead" else getattr(cast, person)
    client.force_login(who)
    for name in ("sign_off", "hand_over", "withdraw"):
        response = client.post(reverse(f"reviews:{name}", args=[built.review.reference]))
        assert response.status_code in (403, 404)
    assert Review.objects.get(pk=built.review.pk).stage == Review.Stage.PUBLICATION


# --- read-only once closed


def test_a_closed_review_refuses_writes_at_the_services(cast, agencies):
    built = review_at("convened", cast=cast, agencies_in_scope=agencies)
    review_withdraw(review=built.review, actor=cast.manager, reason="Withdrawn.")
    with pytest.raises(ValidationError, match="This review is closed"):
        clock_stop(review=built.review, actor=cast.manager, reason="Trial")
    with pytest.raises(ValidationError, match="This review is closed"):
        clock_extend(review=built.review, actor=cast.manager, days=5, reason="Trial")
    with pytest.raises(ValidationError, match="This review is closed"):
        pseudonym_add(
            review=built.review,
            actor=cast.manager,
            real_value="Canary School",
            replacement="the school",
            kind="organisation",
        )


def test_every_write_predicate_refuses_a_closed_review():
    """Each predicate of a change in a review wears ``open_review_only`` (or, for an action's
    progress, says itself what stays open): a new one that forgets fails here."""
    from families import permissions as families_permissions
    from governance import permissions as governance_permissions
    from learning import permissions as learning_permissions
    from publication import permissions as publication_permissions
    from quality import permissions as quality_permissions
    from reviews.permissions import (
        actions,
        chronology,
        clock,
        closing,
        overview,
        panel,
        parallel,
        practitioners,
        referral,
        reports,
    )

    reads = {
        "can_view_action_plan",
        "can_view_combined_chronology",
        "can_export_combined_chronology",
        "can_see_every_deadline",
        "can_view_overview",
        "can_view_recommendations",
        "can_view_panel",
        "can_view_parallel",
        "can_view_parallel_contacts",
        "can_record_referral",
        "records_decision_for_chair",
        "can_work_on_report",
        "can_view_report",
        "can_read_report_papers",
        "can_see_whole_action_log",
        "can_view_action_log",
        "can_view_family",
        "can_view_pseudonyms",
        "can_update_action",  # handed-over actions stay open: tested above
        "can_read_report_text",
        "can_view_practitioner_comments",
        "can_view_practitioner_comment",
        "can_view_publications",
        "can_view_publication_version",
        "can_view_board_response",
        # The board's public site and its themes, not a review's work: a published report of a
        # closed review may still be re-themed or taken down (tests/test_closed_review.py).
        "can_manage_publications",
        "can_manage_themes",
        "can_view_quality_markers",
        # Judging how a review was run is the board's, and goes on after closing: the markers
        # on implementation and evaluation are answered once the review is closed.
        "can_answer_quality_markers",
        # Counting the board's figures across its reviews changes no review.
        "can_count_quality_markers",
        # The board's information governance: reading a review's audit trail, and deciding on
        # closed reviews past retention, which acts on closed reviews by nature.
        "can_view_audit_trail",
        "can_decide_retention",
        # Lessons are read like the report; the library and the board-wide log are the
        # board's; sharing the learning goes on after closing (tests/test_closed_review.py).
        "can_view_lessons",
        "can_search_lessons",
        "can_view_dissemination_log",
        "can_record_dissemination",
        # The board's statistics count every review, closed ones included.
        "can_view_statistics",
    }
    modules = [
        actions,
        chronology,
        clock,
        closing,
        overview,
        panel,
        parallel,
        practitioners,
        referral,
        reports,
    ]
    modules += [families_permissions, publication_permissions, quality_permissions]
    modules += [governance_permissions, learning_permissions]
    unguarded = [
        f"{module.__name__}.{name}"
        for module in modules
        for name, predicate in vars(module).items()
        if name.startswith("can_")
        and callable(predicate)
        and predicate.__module__ == module.__name__
        and name not in reads
        and not getattr(predicate, "open_review_only", False)
    ]
    assert unguarded == []


def test_a_withdrawn_review_asks_no_new_lead_for_its_report(cast, agencies):
    open_one = review_at("agency_reports", cast=cast, agencies_in_scope=agencies[:1])
    withdrawn = review_at("agency_reports", cast=cast, agencies_in_scope=agencies[:1])
    review_withdraw(review=withdrawn.review, actor=cast.manager, reason="Withdrawn.")
    person_create(
        email="new-lead@example.org",
        first_name="New",
        last_name="Lead",
        roles=[Role.AGENCY_LEAD],
        agency=agencies[0],
    )
    assert report_requests_catch_up() == 1
    asked = Email.objects.filter(recipient__email="new-lead@example.org", kind=REPORT_REQUESTED)
    assert [email.context["report"] for email in asked] == [open_one.reports[0].pk]


CLOSING_BUTTONS = ["Sign off the review", "Close and hand over open actions", "Withdraw the review"]


@pytest.mark.parametrize(
    ("stage", "buttons"), [("publication", CLOSING_BUTTONS), ("convened", CLOSING_BUTTONS[2:])]
)
def test_the_review_page_offers_the_board_manager_the_ways_to_close(
    client, cast, agencies, stage, buttons
):
    built = review_at(stage, cast=cast, agencies_in_scope=agencies)
    for person, shown in ((cast.manager, buttons), (cast.chair, [])):
        client.force_login(person)
        page = client.get(built.review.get_absolute_url()).content.decode()
        offered = re.findall(r'data-module="govuk-button">([^<]+)</a>', page)
        assert [text for text in offered if text in CLOSING_BUTTONS] == shown
