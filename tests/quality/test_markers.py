"""The evidence the service gathers for each quality marker, and its own status: from reviews
built through the services at every stage, and from the records that move a marker on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quality.markers import MARKERS, MarkerResult
from quality.models import Status
from quality.selectors import quality_results
from reviews.models import Deadline, ParallelProcess, Review
from tests.factories import (
    BoardResponseFactory,
    ContactFactory,
    DeadlineFactory,
    FamilyMemberFactory,
    InterviewFactory,
    MeetingFactory,
    ParallelProcessFactory,
    PractitionerCommentFactory,
    PublicationFactory,
    PublicationPlanFactory,
    QualityAnswerFactory,
    ReportRequestFactory,
    ReviewFactory,
)
from tests.quality.conftest import STAGES, build_at

pytestmark = pytest.mark.django_db

MET, PARTLY, NOT_MET, NOT_YET = Status.MET, Status.PARTLY, Status.NOT_MET, Status.NOT_YET
# The service's own status of each marker for a review built at each stage with the builders'
# defaults: no family recorded, no interview, no parallel process, no board response, the
# report's text with its lessons only, one recommendation with one action, and the
# notification to the national bodies never recorded (so overdue). None: the service cannot
# tell (the board manager answers).
_REFERRAL = {
    "referral": PARTLY,  # notification overdue; no concerns about the agencies named
    "decision": NOT_YET,
    "board_members": NOT_YET,
    "informing_family": NOT_YET,
    "purpose": NOT_YET,
    "commissioning": NOT_YET,
    "governance": NOT_YET,
    "management": NOT_YET,
    "parallel": None,
    "information": NOT_YET,
    "practitioners": NOT_YET,
    "family_involvement": NOT_YET,
    "analysis": NOT_YET,
    "report": NOT_YET,
    "improvement": NOT_YET,
    "board_response": NOT_YET,
    "publication": NOT_YET,
    "implementation": NOT_YET,
}
_DECIDED = {**_REFERRAL, "decision": MET, "board_members": None, "management": PARTLY}
_CONVENED = {**_DECIDED, "purpose": PARTLY}  # terms, but the decision gives no reasons
_REPORTS = {
    **_CONVENED,
    "informing_family": NOT_MET,
    "commissioning": MET,
    "governance": PARTLY,  # a panel seated, no meeting recorded
}
_OVERVIEW = {**_REPORTS, "information": MET}
_ACTION_PLAN = {
    **_OVERVIEW,
    "practitioners": NOT_MET,
    "family_involvement": NOT_MET,
    "analysis": PARTLY,  # lessons, no analysis of the agencies or good practice
    "report": PARTLY,  # agreed, with sections not written
    "improvement": PARTLY,  # every recommendation has an action; the plan is not agreed
}
_PUBLICATION = {**_ACTION_PLAN, "improvement": MET}
_CLOSED = {
    **_PUBLICATION,
    "management": MET,  # completed; the overdue notification was waived on closing
    "board_response": MET,  # the plan's builder has the board agree its response
    "publication": MET,  # the chair approved not publishing, with reasons
    "implementation": MET,
}
EXPECTED = {
    "referral": _REFERRAL,
    "decided": _DECIDED,
    "convened": _CONVENED,
    "agency_reports": _REPORTS,
    "overview": _OVERVIEW,
    "action_plan": _ACTION_PLAN,
    "publication": _PUBLICATION,
    "closed": _CLOSED,
}


def _by_key(results: list[MarkerResult]) -> dict[str, MarkerResult]:
    return {result.marker.key: result for result in results}


def _result(review: Review, key: str) -> MarkerResult:
    return _by_key(quality_results(review=review))[key]


def _texts(result: MarkerResult) -> list[str]:
    return [fact.text for fact in result.finding.facts]


def test_there_are_eighteen_markers_in_three_groups_each_with_questions():
    assert len(MARKERS) == 18
    assert len({marker.key for marker in MARKERS}) == 18
    assert [m.group for m in MARKERS].count("setting_up") == 5
    assert [m.group for m in MARKERS].count("running") == 8
    assert [m.group for m in MARKERS].count("outputs") == 5
    assert all(len(marker.questions) >= 2 for marker in MARKERS)


@pytest.mark.parametrize("stage", STAGES)
def test_the_automatic_status_of_every_marker_at_each_stage(stage, cast, agencies):
    built = build_at(stage, cast, agencies)
    results = quality_results(review=built.review)
    assert {r.marker.key: r.automatic for r in results} == EXPECTED[stage]
    # Every fact links only to the review's own pages.
    links = {fact.url for r in results for fact in r.finding.facts if fact.url}
    assert links
    assert all(url.startswith(f"/reviews/{built.review.reference}/") for url in links)
    facts = _by_key(results)
    assert f"Referred by {agencies[0]} (Named Nurse for Safeguarding)" in _texts(facts["referral"])
    if stage != "referral":
        decided = facts["decision"].finding.facts[0]
        assert decided.on == built.decision.decided_on
        assert decided.text == "Initiate a Serious Case Review: decided 2 days after the referral"
    if stage in ("overview", "action_plan", "publication", "closed"):
        report = built.report_of(agencies[0])
        due = f"{report.due_on.day} {report.due_on:%B %Y}"
        assert f"{agencies[0]}: in on time (due {due})" in _texts(facts["information"])
    if stage == "closed":
        assert _texts(facts["implementation"]) == ["1 of 1 actions complete with evidence"]
        assert "The chair approved the plan" in _texts(facts["publication"])


# --- The records that move a marker on (reviews made by the factories, at a stage) ---


def test_the_family_is_informed_when_each_member_is_told_or_declined():
    review = ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    mother = FamilyMemberFactory(review=review, name="Canary Mother")
    father = FamilyMemberFactory(review=review, name="Canary Father")
    ContactFactory(member=mother)
    result = _result(review, "informing_family")
    assert result.automatic == PARTLY
    told = result.finding.facts[0]
    assert (told.text, told.on) == (
        "Canary Mother was told of the review (letter)",
        timezone.localdate() - timedelta(days=2),
    )
    assert told.url == f"/reviews/{review.reference}/family/"
    father.declined, father.declined_on = True, timezone.localdate()
    father.save()
    assert _result(review, "informing_family").automatic == MET


def test_practitioners_are_involved_when_their_notes_are_checked_and_comments_received():
    report = ReportRequestFactory(submitted=True)
    interview = InterviewFactory(request=report, agreed=True)
    comment = PractitionerCommentFactory(interview=interview)
    result = _result(report.review, "practitioners")
    assert result.automatic == PARTLY
    assert _texts(result) == [
        f"{report.agency}: 1 practitioner interviewed",
        "1 of 1 checked their interview notes",
        "0 of 1 practitioners sent comments on the draft",
    ]
    comment.status = comment.Status.RECEIVED
    comment.save()
    assert _result(report.review, "practitioners").automatic == MET
    InterviewFactory(request=report, no_response=True)
    assert _result(report.review, "practitioners").automatic == PARTLY


def test_a_parallel_process_is_evidence_and_one_stopping_the_clock_needs_an_expected_end():
    review = ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    assert _result(review, "parallel").automatic is None
    process = ParallelProcessFactory(review=review, kind=ParallelProcess.Kind.INQUEST)
    result = _result(review, "parallel")
    assert result.automatic == MET
    assert result.finding.facts[0].text == (
        "Inquest, with Detective Inspector Invented (Northshire Police): started"
    )
    assert result.finding.facts[0].on == process.started_on
    process.stops_clock = True
    process.save()
    assert _result(review, "parallel").automatic == PARTLY


def test_the_boards_response_is_met_once_agreed():
    response = BoardResponseFactory()
    assert _result(response.review, "board_response").automatic == PARTLY
    response.agreed_on, response.meeting = timezone.localdate(), "Board meeting, 3 March"
    response.save()
    result = _result(response.review, "board_response")
    assert result.automatic == MET
    assert _texts(result) == ["The board agreed its written response at Board meeting, 3 March"]


def test_reports_in_late_partly_meet_assembling_information():
    review = ReviewFactory(decided=True, stage=Review.Stage.OVERVIEW)
    ReportRequestFactory(review=review, submitted=True)
    late = ReportRequestFactory(review=review, submitted=True, due_on=timezone.localdate())
    late.submitted_at = timezone.now() + timedelta(days=1)
    late.save()
    result = _result(review, "information")
    assert result.automatic == PARTLY
    assert any(text.startswith(f"{late.agency}: in late") for text in _texts(result))


def test_an_overdue_report_still_awaited_is_not_yet_in():
    review = ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    ReportRequestFactory(review=review, due_on=timezone.localdate() - timedelta(days=1))
    result = _result(review, "information")
    assert result.automatic == NOT_MET
    assert _texts(result)[0].endswith("not in yet (overdue)")


def test_the_familys_views_recorded_meet_family_involvement():
    review = ReviewFactory(decided=True, stage=Review.Stage.OVERVIEW)
    member = FamilyMemberFactory(review=review)
    MeetingFactory(member=member, held=True)
    assert _result(review, "family_involvement").automatic == PARTLY
    member.views = "She felt nobody listened."
    member.save()
    result = _result(review, "family_involvement")
    assert result.automatic == MET
    assert "Canary Parent's views are recorded for the report" in _texts(result)


def test_publication_on_the_planned_date_with_the_notice_met():
    plan = PublicationPlanFactory(approved=True, planned_on=timezone.localdate())
    review = plan.review
    assert _result(review, "publication").automatic == NOT_YET
    DeadlineFactory(review=review, kind=Deadline.Kind.PUBLICATION_NOTICE, met=True)
    PublicationFactory(version__review=review)
    assert _result(review, "publication").automatic == MET
    plan.planned_on = timezone.localdate() - timedelta(days=1)
    plan.save()
    assert _result(review, "publication").automatic == PARTLY


def test_a_missed_completion_target_is_not_met_management():
    review = ReviewFactory(decided=True, stage=Review.Stage.OVERVIEW)
    DeadlineFactory(review=review, missed=True)
    result = _result(review, "management")
    assert result.automatic == NOT_MET
    assert result.finding.facts[0].text.startswith("Completion of the review: missed")


def test_the_board_managers_answer_wins_over_the_service_and_says_who_and_when():
    answer = QualityAnswerFactory(marker="referral", status=Status.NOT_MET)
    result = _result(answer.review, "referral")
    assert result.automatic == PARTLY  # no concerns about the agencies named
    assert result.status == NOT_MET
    assert result.answer == answer
    assert result.answer.answered_by == answer.review.created_by
    assert _result(answer.review, "decision").answer is None


def test_a_marker_the_service_cannot_tell_and_nobody_answered_is_not_yet():
    review = ReviewFactory(decided=True)
    result = _result(review, "board_members")
    assert result.automatic is None
    assert result.status == NOT_YET
    assert result.automatic_label == "The service cannot tell"


def test_the_evidence_takes_the_same_queries_however_many_records(django_assert_max_num_queries):
    small = ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION)
    big = ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION)
    for n in range(6):
        report = ReportRequestFactory(review=big, submitted=True)
        PractitionerCommentFactory(interview=InterviewFactory(request=report, agreed=True))
        member = FamilyMemberFactory(review=big)
        ContactFactory(member=member)
        MeetingFactory(member=member, held=True)
        ParallelProcessFactory(review=big)
        DeadlineFactory(review=big, kind=Deadline.Kind.ACTION, key=f"action-{n}")
    for review in (small, big):
        with django_assert_max_num_queries(25):
            assert len(quality_results(review=review)) == 18
