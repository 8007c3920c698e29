"""Panel convening (stage 3): seats, the author, terms of reference, meetings and the
per-object access each grants and withdraws."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_deactivate, person_roles_set
from reviews.builders import Cast, person_create, review_at
from reviews.frameworks import Outcome, ReviewType
from reviews.models import (
    Deadline,
    PanelMeeting,
    PanelMember,
    ReportRequest,
    Review,
    StageTransition,
)
from reviews.permissions.panel import can_view_panel
from reviews.permissions.review import can_view_review
from reviews.selectors.clock import deadline_list_for
from reviews.selectors.handoffs import work_list_for
from reviews.selectors.progress import review_progress
from reviews.selectors.review import review_list_visible_to
from reviews.services.panel import (
    author_appoint,
    meeting_record,
    panel_member_add,
    panel_member_remove,
    terms_save,
)
from tests.factories import AgencyFactory, ReviewFactory, ThresholdDecisionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def convened(manager, agency):
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set([agency])
    return review


def _seat(review, actor, person, independent=True, role=PanelMember.PanelRole.MEMBER):
    return panel_member_add(
        review=review,
        actor=actor,
        person=person,
        panel_role=role,
        not_involved_in_case=True,
        no_management_responsibility=independent,
        declared_on=TODAY(),
    )


def _terms(review, actor, agencies, reason=""):
    return terms_save(
        review=review,
        actor=actor,
        period_start=TODAY() - timedelta(days=300),
        period_end=TODAY() - timedelta(days=30),
        lines_of_enquiry=["How was information shared?"],
        agencies_in_scope=agencies,
        family_involvement_plan="Meet the family.",
        scoping_meeting_on=None,
        reason=reason,
    )


def _appoint(review, actor, person, independent=True):
    return author_appoint(
        review=review,
        actor=actor,
        person=person,
        not_involved_in_case=True,
        no_management_responsibility=independent,
        declared_on=TODAY(),
    )


def _fresh(user):
    """The same person without Django's per-object permission cache."""
    return type(user).objects.get(pk=user.pk)


def test_seating_an_independent_member_grants_access_and_is_recorded(convened, manager, agency):
    person = UserFactory(role=Role.PANEL_MEMBER, agency=agency)
    assert not can_view_review(person, convened)

    member = _seat(convened, manager, person)

    assert member.status == PanelMember.Status.SEATED
    person = _fresh(person)
    assert can_view_review(person, convened)
    assert can_view_panel(person, convened)
    assert list(review_list_visible_to(user=person)) == [convened]
    summaries = list(convened.transitions.values_list("summary", flat=True))
    assert f"Access granted to {person}" in summaries
    assert member.history.latest().history_user == manager


def test_a_member_who_cannot_declare_is_recorded_but_not_seated(convened, manager, agency):
    person = UserFactory(role=Role.PANEL_MEMBER, agency=agency)

    member = _seat(convened, manager, person, independent=False)

    assert member.status == PanelMember.Status.NOT_SEATED
    assert not member.declared_independent
    assert not can_view_review(_fresh(person), convened)


def test_removing_a_member_withdraws_access_on_the_next_request(client, convened, manager, agency):
    person = UserFactory(role=Role.PANEL_MEMBER, agency=agency)
    member = _seat(convened, manager, person)
    client.force_login(person)
    assert client.get(convened.get_absolute_url()).status_code == 200

    panel_member_remove(member=member, actor=manager, reason="Changed job")

    assert client.get(convened.get_absolute_url()).status_code == 404
    member.refresh_from_db()
    assert member.status == PanelMember.Status.REMOVED
    assert member.removed_reason == "Changed job"
    assert StageTransition.objects.filter(
        review=convened, summary=f"Access withdrawn from {person}"
    ).exists()


def test_unseating_an_author_who_also_sits_keeps_their_author_access(convened, manager, chair):
    person = UserFactory(role=Role.INDEPENDENT_AUTHOR)
    member = _seat(convened, manager, person, role=PanelMember.PanelRole.CO_OPTED)
    _appoint(convened, chair, person)

    panel_member_remove(member=member, actor=manager, reason="Sits as author only")

    assert can_view_review(_fresh(person), convened)


def test_a_person_cannot_hold_two_seats(convened, manager, agency):
    person = UserFactory(agency=agency)
    _seat(convened, manager, person)
    with pytest.raises(ValidationError, match="already sits"):
        _seat(convened, manager, person)


def test_only_people_of_involved_agencies_unless_co_opted(convened, manager):
    outsider = UserFactory(agency=AgencyFactory())
    with pytest.raises(ValidationError, match="co-opt"):
        _seat(convened, manager, outsider)
    assert _seat(convened, manager, outsider, role=PanelMember.PanelRole.CO_OPTED).pk


def test_deactivated_people_cannot_be_seated(convened, manager, agency):
    person = UserFactory(agency=agency, is_active=False)
    with pytest.raises(ValidationError, match="active"):
        _seat(convened, manager, person)
    assert not PanelMember.objects.exists()


# A review the decision closed refuses every change (reviews.services.review.review_lock).
@pytest.mark.parametrize(
    ("outcome", "stage", "message"),
    [
        (Outcome.NO_FURTHER_ACTION, Review.Stage.CLOSED, "This review is closed"),
        (Outcome.SINGLE_AGENCY_REVIEW, Review.Stage.PANEL, "can only be convened"),
        (Outcome.CHILD_DEATH_REVIEW_ONLY, Review.Stage.CLOSED, "This review is closed"),
    ],
)
def test_no_panel_unless_the_review_was_initiated_or_a_partnership_review(
    manager, agency, outcome, stage, message
):
    review = ReviewFactory(stage=stage)
    ThresholdDecisionFactory(review=review, outcome=outcome)
    review.agencies_involved.set([agency])
    with pytest.raises(ValidationError, match=message):
        _seat(review, manager, UserFactory(agency=agency))


def test_no_terms_before_the_decision(manager, agency):
    review = ReviewFactory()
    with pytest.raises(ValidationError, match="once the chair has decided"):
        _terms(review, manager, [agency])


def test_a_single_agency_review_sets_its_terms_and_asks_for_its_report_with_no_panel(
    client, manager, agency
):
    lead = UserFactory(agency=agency, role=Role.AGENCY_LEAD)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    review = ReviewFactory(stage=Review.Stage.PANEL, review_type=ReviewType.SINGLE_AGENCY)
    ThresholdDecisionFactory(review=review, outcome=Outcome.SINGLE_AGENCY_REVIEW)
    review.agencies_involved.set([agency])
    ref = review.reference
    client.force_login(manager)
    assert ("Set the terms of reference and request the agency's management report", ref) in [
        (item.what, item.reference) for item in work_list_for(user=manager).items
    ]
    assert client.get(reverse("reviews:panel_add", args=[ref])).status_code == 403
    page = client.get(reverse("reviews:panel", args=[ref])).content.decode()
    assert "Set the terms of reference" in page
    assert "Put a person forward" not in page
    _terms(review, manager, [agency])
    due = TODAY() + timedelta(weeks=6)
    response = client.post(
        reverse("reviews:reports_request", args=[ref]),
        {"due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.stage == Review.Stage.AGENCY_REPORTS
    assert review.report_requests.get().agency == agency
    stages = [stage.name for stage in review_progress(review, manager)]
    assert "Setting up the review" in stages
    assert "Panel convening" not in stages


def test_partnership_reviews_have_a_panel(manager, agency):
    review = ReviewFactory(stage=Review.Stage.PANEL)
    ThresholdDecisionFactory(review=review, outcome=Outcome.PARTNERSHIP_REVIEW)
    review.agencies_involved.set([agency])
    assert _seat(review, manager, UserFactory(agency=agency)).status == "seated"


def test_deactivating_a_member_ends_access_at_once(client, convened, manager, agency):
    person = UserFactory(agency=agency)
    _seat(convened, manager, person)
    client.force_login(person)

    person_deactivate(actor=manager, person=person, reason="Left the trust")

    response = client.get(convened.get_absolute_url())
    assert response.status_code == 302  # signed out: their session was deleted
    assert not can_view_review(_fresh(person), convened)


def test_the_author_must_declare_independence(convened, chair):
    person = UserFactory(role=Role.INDEPENDENT_AUTHOR)
    with pytest.raises(ValidationError, match="cannot declare independence"):
        _appoint(convened, chair, person, independent=False)
    assert not can_view_review(_fresh(person), convened)


def test_the_author_must_be_an_independent_author(convened, chair):
    with pytest.raises(ValidationError, match="independent author"):
        _appoint(convened, chair, UserFactory(role=Role.PANEL_MEMBER))


def test_a_new_author_replaces_the_old_one_and_their_access(convened, chair):
    first, second = (UserFactory(role=Role.INDEPENDENT_AUTHOR) for _ in range(2))
    _appoint(convened, chair, first)
    _appoint(convened, chair, second)

    assert not can_view_review(_fresh(first), convened)
    assert can_view_review(_fresh(second), convened)
    current = convened.author_appointments.get(ended_at__isnull=True)
    assert current.person == second


def test_agencies_in_scope_give_their_leads_access_and_lose_it_when_removed(convened, manager):
    in_scope, other = AgencyFactory(), AgencyFactory()
    lead = UserFactory(agency=in_scope)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=in_scope)
    panel_member = UserFactory(role=Role.PANEL_MEMBER, agency=in_scope)

    _terms(convened, manager, [in_scope])
    assert list(review_list_visible_to(user=_fresh(lead))) == [convened]
    assert not can_view_panel(_fresh(lead), convened)
    # A panel member of the same agency is not given the review by the agency's scope.
    assert not can_view_review(_fresh(panel_member), convened)

    _terms(convened, manager, [other])
    assert list(review_list_visible_to(user=_fresh(lead))) == []
    summaries = set(convened.transitions.values_list("summary", flat=True))
    assert {f"{in_scope} put in scope", f"{in_scope} taken out of scope"} <= summaries


def test_terms_period_must_not_end_before_it_starts(convened, manager, agency):
    with pytest.raises(ValidationError) as error:
        terms_save(
            review=convened,
            actor=manager,
            period_start=TODAY(),
            period_end=TODAY() - timedelta(days=1),
            lines_of_enquiry=["Anything"],
            agencies_in_scope=[agency],
            family_involvement_plan="Plan",
            scoping_meeting_on=None,
        )
    assert "period_end" in error.value.message_dict
    assert not hasattr(Review.objects.get(pk=convened.pk), "terms")


def test_later_changes_to_terms_are_amendments_with_a_reason(convened, manager, agency):
    _terms(convened, manager, [agency])
    Review.objects.filter(pk=convened.pk).update(stage=Review.Stage.AGENCY_REPORTS)
    convened.refresh_from_db()

    with pytest.raises(ValidationError, match="reason"):
        _terms(convened, manager, [agency])
    terms = _terms(convened, manager, [agency], reason="Police asked to extend the period")

    event = convened.transitions.get(summary="Terms of reference amended")
    assert event.reason == "Police asked to extend the period"
    assert terms.history.latest().history_change_reason == "Police asked to extend the period"


def test_meeting_attendees_must_sit_on_the_panel(convened, manager, agency):
    member = UserFactory(agency=agency)
    _seat(convened, manager, member)
    with pytest.raises(ValidationError, match="attendees"):
        meeting_record(
            review=convened,
            actor=manager,
            held_on=TODAY(),
            attendees=[member, UserFactory()],
            minutes="Minutes",
            actions_agreed="",
        )
    meeting = meeting_record(
        review=convened,
        actor=manager,
        held_on=TODAY(),
        attendees=[member],
        minutes="Minutes",
        actions_agreed="",
    )
    assert list(meeting.attendees.all()) == [member]
    assert PanelMeeting.objects.count() == 1


def test_panel_form_shows_errors_and_changes_nothing(client, convened, manager):
    client.force_login(manager)
    url = reverse("reviews:panel_add", args=[convened.reference])
    response = client.post(url, {"panel_role": "member", "declared_on_0": "31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_person"' in html
    assert "Date of the declaration must include a month and year" in html
    assert not PanelMember.objects.exists()


def test_panel_form_ignores_a_forged_status(client, convened, manager, agency):
    person = UserFactory(agency=agency)
    client.force_login(manager)
    day = TODAY()
    response = client.post(
        reverse("reviews:panel_add", args=[convened.reference]),
        {
            "person": person.pk,
            "panel_role": "member",
            "not_involved_in_case": "no",
            "no_management_responsibility": "yes",
            "declared_on_0": day.day,
            "declared_on_1": day.month,
            "declared_on_2": day.year,
            "status": "seated",
        },
    )
    assert response.status_code == 302
    assert PanelMember.objects.get().status == PanelMember.Status.NOT_SEATED
    assert not can_view_review(_fresh(person), convened)


@pytest.mark.parametrize("role", [Role.BOARD_MANAGER, Role.CHAIR, Role.AGENCY_LEAD, "member"])
def test_review_list_queries_do_not_grow_with_reviews(
    client, django_assert_max_num_queries, manager, agency, role
):
    person = UserFactory(agency=agency)
    if role == "member":
        person_roles_set(person=person, roles=[Role.PANEL_MEMBER], agency=agency)
    else:
        person_roles_set(person=person, roles=[role], agency=agency)

    def make(count):
        for review in ReviewFactory.create_batch(count, decided=True, created_by=manager):
            if role == Role.AGENCY_LEAD:
                _terms(review, manager, [agency])
            elif role == "member":
                review.agencies_involved.set([agency])
                _seat(review, manager, person)

    client.force_login(person)
    make(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reviews:list")).status_code == 200
    make(495)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("reviews:list"))
    assert response.context["page"].paginator.count == 500


def test_two_tabs_on_the_terms_the_second_save_is_refused_with_its_text_kept(
    client, convened, manager, agency
):
    _terms(convened, manager, [agency])
    url = reverse("reviews:terms", args=[convened.reference])
    client.force_login(manager)
    page = client.get(url).content.decode()
    seen = re.search(r'name="version" value="(\d+)"', page).group(1)
    # The other tab saves first.
    terms_save(
        review=convened,
        actor=manager,
        period_start=TODAY() - timedelta(days=200),
        period_end=TODAY() - timedelta(days=30),
        lines_of_enquiry=["What did the school know?"],
        agencies_in_scope=[agency],
        family_involvement_plan="Meet the family at home.",
        scoping_meeting_on=None,
    )
    start, end = TODAY() - timedelta(days=300), TODAY() - timedelta(days=30)
    response = client.post(
        url,
        {
            "period_start_0": start.day,
            "period_start_1": start.month,
            "period_start_2": start.year,
            "period_end_0": end.day,
            "period_end_1": end.month,
            "period_end_2": end.year,
            "lines_of_enquiry": "Was the GP told of the missed appointments?",
            "agencies_in_scope": [agency.pk],
            "family_involvement_plan": "Write to the family.",
            "version": seen,
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert f"changed by {manager}" in html
    assert "Was the GP told of the missed appointments?" in html
    convened.terms.refresh_from_db()
    assert convened.terms.lines_of_enquiry == ["What did the school know?"]


def test_an_agency_taken_out_of_scope_keeps_no_deadline_and_gets_no_reminder(manager, chair):
    police, school = AgencyFactory(), AgencyFactory()
    cast = Cast(
        manager=manager,
        chair=chair,
        leads={
            agency.pk: person_create(
                email=f"lead{agency.pk}@example.org",
                first_name="Lead",
                last_name=agency.name,
                roles=[Role.AGENCY_LEAD],
                agency=agency,
            )
            for agency in (police, school)
        },
    )
    built = review_at("agency_reports", cast=cast, agencies_in_scope=[police, school])
    review = built.review
    school_report = built.report_of(school)
    assert Deadline.objects.get(report=school_report).state == Deadline.State.OPEN
    terms = review.terms
    terms_save(
        review=review,
        actor=manager,
        period_start=terms.period_start,
        period_end=terms.period_end,
        lines_of_enquiry=terms.lines_of_enquiry,
        agencies_in_scope=[police],
        family_involvement_plan=terms.family_involvement_plan,
        scoping_meeting_on=terms.scoping_meeting_on,
        reason="The school had no contact in the period.",
    )
    school_report.refresh_from_db()
    assert school_report.status == ReportRequest.Status.EXCUSED
    assert not review.deadlines.filter(owner_agency=school, state=Deadline.State.OPEN).exists()
    assert not deadline_list_for(user=cast.lead_of(school)).exists()
    assert Deadline.objects.get(report=built.report_of(police)).state == Deadline.State.OPEN
