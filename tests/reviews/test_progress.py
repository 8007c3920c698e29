"""Where a review stands: the task list of its stages and steps, worked out from its records,
the sentence saying what happens next, and who each review waits on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from publication.builders import publication_plan_build
from reviews.builders import Cast, review_at
from reviews.frameworks import Framework, Outcome
from reviews.selectors.progress import (
    Status,
    review_next_step,
    review_progress,
    review_standing,
    review_waits_on_many,
)
from reviews.services.overview import comment_add
from reviews.services.referral import notification_record
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

STAGE_NAMES = [
    "Referral and decision",
    "Panel convening",
    "Agency management reports",
    "Overview report",
    "Action plan",
    "Publication",
    "Closed",
]


def _lead(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return lead


@pytest.fixture
def police():
    return AgencyFactory(name="Northshire Police")


@pytest.fixture
def school():
    return AgencyFactory(name="Riverside School")


@pytest.fixture
def cast(manager, chair, police, school):
    return Cast(
        manager=manager,
        chair=chair,
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR),
        panel=[UserFactory(role=Role.PANEL_MEMBER, agency=police)],
        leads={police.pk: _lead(police), school.pk: _lead(school)},
    )


@pytest.fixture
def build(cast, police, school):
    def build(stage, **options):
        options.setdefault("agencies_in_scope", [police, school])
        return review_at(stage, cast=cast, terms=PERIOD_2025, **options)

    return build


def _steps(stages):
    """Each visible step's name with its status, by stage name."""
    return {stage.name: {step.name: step.status for step in stage.steps} for stage in stages}


def _stage(stages, name):
    return next(stage for stage in stages if stage.name == name)


def _step(stages, name):
    return next(step for stage in stages for step in stage.steps if step.name == name)


# --- Stage by stage ---


def test_a_referral_awaits_the_chairs_decision(build, manager):
    review = build("referral").review
    stages = review_progress(review, manager)
    assert [stage.name for stage in stages] == STAGE_NAMES
    assert [stage.number for stage in stages] == list(range(1, 8))
    assert _steps(stages)["Referral and decision"] == {
        "Referral": Status.COMPLETED,
        "National bodies told of the serious incident": Status.NOT_STARTED,
        "Threshold decision": Status.NOT_STARTED,
    }
    assert _stage(stages, "Referral and decision").status == Status.IN_PROGRESS
    assert _stage(stages, "Panel convening").status == Status.CANNOT_START
    assert {s.status for s in _stage(stages, "Panel convening").steps} == {Status.CANNOT_START}
    assert review_next_step(review) == ("The chair's threshold decision is awaited.", "Chair")


def test_an_lcspr_decision_cannot_start_before_its_rapid_review(build, manager):
    review = build("referral", framework=Framework.LCSPR).review
    steps = _steps(review_progress(review, manager))["Referral and decision"]
    assert steps["Rapid review"] == Status.NOT_STARTED
    assert steps["Threshold decision"] == Status.CANNOT_START
    text, waits_on = review_next_step(review)
    assert "records the rapid review" in text
    assert waits_on == "Board manager"

    notification_record(review=review, actor=manager, notified_on=timezone.localdate())
    step = _step(review_progress(review, manager), "National bodies told of the serious incident")
    assert step.status == Status.COMPLETED
    assert step.hint == f"Told {timezone.localdate():%-d %B %Y}"


def test_an_lcspr_after_its_rapid_review_awaits_the_chair(build, manager):
    review = build("decided", framework=Framework.LCSPR).review
    steps = _steps(review_progress(review, manager))["Referral and decision"]
    assert steps["Rapid review"] == Status.COMPLETED
    assert steps["Threshold decision"] == Status.COMPLETED


def test_a_sar_has_no_notification_and_no_rapid_review(cast, police):
    review = review_at(
        "referral", cast=cast, agencies_in_scope=[police], framework=Framework.SAR
    ).review
    steps = _steps(review_progress(review, cast.manager))["Referral and decision"]
    assert list(steps) == ["Referral", "Threshold decision"]


def test_a_decided_review_waits_for_its_panel(build, manager):
    review = build("decided").review
    stages = review_progress(review, manager)
    assert _stage(stages, "Referral and decision").status == Status.COMPLETED
    assert _steps(stages)["Panel convening"] == {
        "Panel members seated": Status.NOT_STARTED,
        "Overview author appointed": Status.NOT_STARTED,
        "Terms of reference": Status.NOT_STARTED,
        "Management reports requested": Status.CANNOT_START,
    }
    assert _stage(stages, "Panel convening").status == Status.IN_PROGRESS
    assert review_next_step(review) == (
        "The board manager is to seat the panel members and set the terms of reference, and "
        "the chair to appoint the overview author.",
        "Board manager and chair",
    )


def test_a_convened_panel_waits_for_the_reports_to_be_requested(build, manager):
    built = build("convened")
    stages = review_progress(built.review, manager)
    steps = _steps(stages)["Panel convening"]
    assert steps["Panel members seated"] == Status.COMPLETED
    assert steps["Management reports requested"] == Status.NOT_STARTED
    assert _step(stages, "Panel members seated").hint == "1 seated"
    assert review_next_step(built.review) == (
        "The board manager requests the management reports.",
        "Board manager",
    )


def test_the_author_is_awaited_from_the_chair(build, manager):
    review = build("convened", author=False).review
    assert review_next_step(review) == ("The chair appoints the overview author.", "Chair")


def test_each_agencys_report_is_a_step(build, manager, police, school):
    built = build("agency_reports", reports={police: "submitted", school: "secured"})
    stages = review_progress(built.review, manager)
    assert _stage(stages, "Panel convening").status == Status.COMPLETED
    assert _steps(stages)["Agency management reports"] == {
        "Northshire Police's management report": Status.IN_PROGRESS,
        "Riverside School's management report": Status.IN_PROGRESS,
        "Every report accepted or excused": Status.NOT_STARTED,
    }
    submitted = _step(stages, "Northshire Police's management report")
    assert submitted.hint == "Submitted: the panel accepts or returns it"
    assert submitted.url == reverse(
        "reviews:report", args=[built.review.reference, built.report_of(police).pk]
    )
    assert review_next_step(built.review) == (
        "Waiting for management report from Riverside School. Meanwhile the panel accepts or "
        "returns 1 submitted report.",
        "Riverside School",
    )


def test_reports_not_begun_are_not_started_and_the_next_step_names_every_agency(build, manager):
    built = build("agency_reports")
    stages = review_progress(built.review, manager)
    statuses = _steps(stages)["Agency management reports"]
    assert statuses["Northshire Police's management report"] == Status.NOT_STARTED
    assert review_next_step(built.review) == (
        "Waiting for management reports from 2 agencies: Northshire Police and Riverside School.",
        "2 agencies",
    )


def test_the_panel_reads_the_submitted_reports(build, police, school):
    built = build("agency_reports", reports="submitted")
    assert review_next_step(built.review) == (
        "The panel accepts or returns 2 submitted reports.",
        "Panel",
    )


def test_an_excused_report_is_complete(build, manager, police, school):
    built = build("agency_reports", reports={police: "accepted", school: ("excused", "Closed")})
    step = _step(review_progress(built.review, manager), "Riverside School's management report")
    assert (step.status, step.hint) == (Status.COMPLETED, "Excused")


def test_the_overview_report_waits_for_a_draft_then_for_comments(build, cast, police, school):
    built = build("overview")
    stages = review_progress(built.review, cast.manager)
    assert _stage(stages, "Agency management reports").status == Status.COMPLETED
    assert _steps(stages)["Overview report"] == {
        "Draft overview report": Status.NOT_STARTED,
        "Agencies' comments on the draft": Status.CANNOT_START,
        "Overview report agreed": Status.CANNOT_START,
    }
    assert review_next_step(built.review).waits_on == "Overview author"

    due = timezone.localdate() + timedelta(days=14)
    built = build("overview", drafts=1, comments_due_on=due)
    comment_add(
        comment_round=built.comment_round,
        actor=cast.lead_of(police),
        text="Paragraph 3 is wrong.",
        report=built.report_of(police),
    )
    stages = review_progress(built.review, cast.manager)
    comments = _step(stages, "Agencies' comments on the draft")
    assert comments.status == Status.IN_PROGRESS
    assert comments.hint == f"Draft 1: 1 of 2 agencies have commented, due {due:%-d %B %Y}"
    assert _step(stages, "Draft overview report").status == Status.IN_PROGRESS
    assert review_next_step(built.review) == (
        f"Waiting for comments on draft 1 from Riverside School, due {due:%-d %B %Y}.",
        "Riverside School",
    )


def test_an_overview_report_ready_to_agree_waits_for_the_board_manager(build, manager):
    built = build("overview", drafts=1, recommendations=["Share attendance data weekly."])
    stages = review_progress(built.review, manager)
    assert _step(stages, "Overview report agreed").status == Status.NOT_STARTED
    assert review_next_step(built.review) == (
        "The board manager agrees the overview report.",
        "Board manager",
    )


def test_the_action_plan_answers_every_recommendation_then_is_agreed(build, manager):
    built = build("action_plan")
    stages = review_progress(built.review, manager)
    assert _stage(stages, "Overview report").status == Status.COMPLETED
    assert _steps(stages)["Action plan"] == {
        "Actions for every recommendation": Status.COMPLETED,
        "Action plan agreed": Status.NOT_STARTED,
    }
    assert _step(stages, "Actions for every recommendation").hint == "1 action, 0 complete"
    assert review_next_step(built.review) == (
        "The board manager agrees the action plan.",
        "Board manager",
    )


def test_a_recommendation_without_an_action_holds_the_plan(build, manager):
    built = build("action_plan", recommendations=["One.", "Two."], actions=[{"recommendation": 0}])
    stages = review_progress(built.review, manager)
    assert _step(stages, "Actions for every recommendation").status == Status.IN_PROGRESS
    assert _step(stages, "Action plan agreed").status == Status.CANNOT_START
    assert review_next_step(built.review) == (
        "The board manager adds actions for the recommendation that has none yet.",
        "Board manager",
    )


def test_publication_is_planned_then_approved_by_the_chair(build, manager):
    built = build("publication")
    stages = review_progress(built.review, manager)
    assert _stage(stages, "Action plan").status == Status.COMPLETED
    assert _steps(stages)["Publication"] == {
        "Publication plan": Status.NOT_STARTED,
        "Publication plan approved by the chair": Status.CANNOT_START,
    }
    assert review_next_step(built.review).waits_on == "Board manager"

    publication_plan_build(built)
    assert review_next_step(built.review) == (
        "The chair approves the publication plan.",
        "Chair",
    )
    publication_plan_build(built, approved=True)
    stages = review_progress(built.review, manager)
    assert _steps(stages)["Publication"] == {
        "Publication plan": Status.COMPLETED,
        "Publication plan approved by the chair": Status.COMPLETED,
    }
    assert review_next_step(built.review).waits_on == "Board manager"


def test_a_review_closed_at_the_decision_shows_only_what_happened(build, manager):
    review = build(
        "decided",
        decision={"outcome": Outcome.NO_FURTHER_ACTION, "rationale": "Learning taken forward."},
    ).review
    stages = review_progress(review, manager)
    assert [stage.name for stage in stages] == ["Referral and decision", "Closed"]
    assert {stage.status for stage in stages} == {Status.COMPLETED}
    assert [stage.number for stage in stages] == [1, 2]
    assert review_next_step(review) == ("The review is closed.", "")


def test_a_single_agency_review_has_no_panel(build, manager):
    review = build(
        "decided", decision={"outcome": Outcome.SINGLE_AGENCY_REVIEW, "rationale": "One agency."}
    ).review
    names = [stage.name for stage in review_progress(review, manager)]
    assert "Panel convening" not in names
    assert "Agency management reports" in names
    assert review_next_step(review) == (
        "The board manager requests the agency's management report.",
        "Board manager",
    )


# --- Links and who sees which step ---


def test_each_step_links_only_where_the_viewer_may_go(build, cast, chair, manager, police):
    review = build("referral").review
    reference = review.reference
    as_chair = review_progress(review, chair)
    assert _step(as_chair, "Threshold decision").url == reverse("reviews:decide", args=[reference])
    assert _step(as_chair, "National bodies told of the serious incident").url is None
    as_manager = review_progress(review, manager)
    # the board manager records a decision the chair made by email or at a meeting
    assert _step(as_manager, "Threshold decision").url == reverse(
        "reviews:decide", args=[reference]
    )
    lead = review_progress(review, cast.lead_of(police))
    assert _step(lead, "Threshold decision").url is None
    assert _step(as_manager, "National bodies told of the serious incident").url == reverse(
        "reviews:notify", args=[reference]
    )
    assert _step(as_manager, "Referral").url == "#referral"


def test_the_panel_sees_every_agencys_step_linked(build, cast, police, school):
    built = build("agency_reports")
    member = cast.panel[0]
    stages = review_progress(built.review, member)
    reports = _stage(stages, "Agency management reports").steps
    assert [step.name for step in reports] == [
        "Northshire Police's management report",
        "Riverside School's management report",
        "Every report accepted or excused",
    ]
    assert all(step.url for step in reports[:2])
    assert _step(stages, "Panel members seated").url == reverse(
        "reviews:panel", args=[built.review.reference]
    )


def test_an_agency_lead_sees_the_milestones_and_their_own_agencys_steps(
    build, cast, police, school
):
    built = build("action_plan", actions=[{"recommendation": 0, "agency": police}])
    lead = cast.lead_of(police)
    stages = review_progress(built.review, lead)
    names = {step.name for stage in stages for step in stage.steps}
    assert "Northshire Police's management report" in names
    assert "Riverside School's management report" not in names
    assert not names & {
        "Panel members seated",
        "Overview author appointed",
        "Terms of reference",
        "Draft overview report",
        "Agencies' comments on the draft",
        "Actions for every recommendation",
        "Publication plan",
    }
    assert "Northshire Police's comments on the draft" in names
    assert _step(stages, "Northshire Police's actions").hint == "1 action, 0 complete"
    assert _step(stages, "Management reports requested").url is None
    own = _step(stages, "Northshire Police's management report")
    assert own.url == reverse(
        "reviews:report", args=[built.review.reference, built.report_of(police).pk]
    )
    assert _step(stages, "Action plan agreed").url == reverse(
        "reviews:actions", args=[built.review.reference]
    )
    # Every stage is still there, as a milestone.
    assert [stage.name for stage in stages] == STAGE_NAMES

    other = review_progress(built.review, cast.lead_of(school))
    assert _step(other, "Riverside School's actions").status == Status.NOT_STARTED


def test_an_agency_leads_next_step_names_no_other_agency(build, cast, police, school):
    built = build("agency_reports")
    text, waits_on = review_next_step(built.review, cast.lead_of(police))
    assert text == "Waiting for management reports from 2 agencies, including yours."
    assert "Riverside" not in text
    assert waits_on == "2 agencies"

    built = build("agency_reports", reports={police: "submitted"})
    text, _ = review_next_step(built.review, cast.lead_of(police))
    assert text.startswith("Waiting for management report from 1 other agency.")
    text, waits_on = review_next_step(built.review, cast.lead_of(school))
    assert text.startswith("Waiting for management report from your agency, Riverside School.")
    assert waits_on == "Riverside School"


def test_the_review_page_shows_the_task_list_and_the_next_step(client, build, cast, police):
    built = build("agency_reports", reports={police: "submitted"})
    client.force_login(cast.manager)
    response = client.get(built.review.get_absolute_url())
    html = response.content.decode()
    assert 'class="govuk-task-list ' in html
    assert "Waiting for management report from Riverside School." in html
    assert "govuk-task-list__status--cannot-start-yet" in html
    assert '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>' in html


def test_an_agency_leads_page_shows_nothing_of_another_agencys_report(
    client, build, cast, police, school
):
    built = build("agency_reports", reports={school: "submitted"})
    client.force_login(cast.lead_of(police))
    html = client.get(built.review.get_absolute_url()).content.decode()
    school_report = built.report_of(school)
    assert "Riverside School&#x27;s management report" not in html
    assert reverse("reviews:report", args=[built.review.reference, school_report.pk]) not in html
    assert "Riverside School" not in html.split('id="referral"')[0]


# --- Query counts ---


def _reviews_at_every_stage(cast, agencies, count):
    """``count`` reviews, cycling through the stages, each with every agency in scope."""
    stages = ["referral", "decided", "convened", "agency_reports", "overview", "action_plan"]
    due = timezone.localdate() + timedelta(days=14)
    reviews = []
    for index in range(count):
        stage = stages[index % len(stages)]
        options = {"comments_due_on": due, "drafts": 1} if stage == "overview" else {}
        built = review_at(
            stage, cast=cast, agencies_in_scope=agencies, terms=PERIOD_2025, **options
        )
        reviews.append(built.review)
    return reviews


@pytest.mark.parametrize("count", [5, 50])
def test_who_each_review_waits_on_takes_the_same_queries_for_5_or_50(
    cast, police, school, count, django_assert_max_num_queries
):
    reviews = _reviews_at_every_stage(cast, [police, school], count)
    with django_assert_max_num_queries(11):
        waits_on = review_waits_on_many(reviews)
    assert set(waits_on) == {review.pk for review in reviews}
    assert waits_on[reviews[0].pk] == "Chair"
    assert waits_on[reviews[3].pk] == "2 agencies"
    assert waits_on[reviews[4].pk] == "2 agencies"
    assert waits_on[reviews[2].pk] == "Board manager"


def test_who_each_review_waits_on_matches_its_next_step(cast, police, school):
    reviews = _reviews_at_every_stage(cast, [police, school], 6)
    waits_on = review_waits_on_many(reviews)
    assert waits_on == {review.pk: review_next_step(review).waits_on for review in reviews}


@pytest.mark.parametrize("as_lead", [False, True])
def test_the_review_page_takes_the_same_queries_for_2_or_10_agencies(
    client, manager, chair, django_assert_max_num_queries, as_lead
):
    def page_for(size):
        agencies = [AgencyFactory() for _ in range(size)]
        cast = Cast(
            manager=manager,
            chair=chair,
            author=UserFactory(role=Role.INDEPENDENT_AUTHOR),
            panel=[UserFactory(role=Role.PANEL_MEMBER, agency=agencies[0])],
            leads={agency.pk: _lead(agency) for agency in agencies},
        )
        built = review_at(
            "action_plan",
            cast=cast,
            agencies_in_scope=agencies,
            terms=PERIOD_2025,
            recommendations=[f"Recommendation {n}" for n in range(size)],
            actions=[{"recommendation": n, "agency": agencies[n]} for n in range(size)],
        )
        client.force_login(cast.lead_of(agencies[0]) if as_lead else manager)
        return built.review.get_absolute_url()

    small = page_for(2)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(small).status_code == 200
    large = page_for(10)
    with django_assert_max_num_queries(len(queries)):
        response = client.get(large)
    assert response.status_code == 200
    reports = _stage(response.context["standing"].stages, "Agency management reports").steps
    assert len(reports) == (2 if as_lead else 11)  # the lead's own, or every agency's; and "every"


def test_the_page_reads_both_at_once_and_gets_the_same(build, cast, police):
    built = build("agency_reports", reports={police: "submitted"})
    for person in (cast.manager, cast.lead_of(police)):
        standing = review_standing(built.review, person)
        assert standing.stages == review_progress(built.review, person)
        assert standing.next_step == review_next_step(built.review, person)
