"""The review's timeline: what happened and when, filtered by kind, access changes folded, and
only the milestones and their own agency's events for an agency lead."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.builders import Cast, review_at
from reviews.frameworks import Framework
from reviews.models import StageTransition
from reviews.selectors.review import AccessFold, timeline_for
from reviews.services.review import timeline_event_record
from tests.conftest import PERIOD_2025
from tests.factories import AgencyFactory, ReviewFactory, StageTransitionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(manager, chair):
    """A review at the overview stage with two agencies in scope, each with a lead, a seated
    panel member and an author."""
    police, school = AgencyFactory(name="Northshire Police"), AgencyFactory(name="Riverside School")
    cast = Cast(
        manager=manager,
        chair=chair,
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR, first_name="Ash", last_name="Author"),
        panel=[
            UserFactory(role=Role.PANEL_MEMBER, agency=police, first_name="Pat", last_name="Panel")
        ],
    )
    for agency in (police, school):
        lead = UserFactory(agency=agency)
        person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
        cast.leads[agency.pk] = lead
    built = review_at("overview", cast=cast, agencies_in_scope=[police, school], terms=PERIOD_2025)
    return built, police, school


def test_an_agency_lead_sees_the_milestones_and_their_own_agency_only(client, two_agencies):
    built, police, _school = two_agencies
    client.force_login(built.cast.lead_of(police))
    html = client.get(built.review.get_absolute_url()).content.decode()
    assert "Threshold decision" in html
    assert "Every management report is accepted or excused" in html
    assert "Northshire Police put in scope" in html
    assert "Riverside School put in scope" not in html
    assert "Access granted to" not in html
    assert "seated on the panel" not in html
    assert "appointed overview author" not in html
    assert "Terms of reference set" not in html


def test_an_agency_lead_sees_their_own_reports_events_not_another_agencys(client, manager, chair):
    police, school = AgencyFactory(name="Northshire Police"), AgencyFactory(name="Riverside School")
    cast = Cast(manager=manager, chair=chair)
    for agency in (police, school):
        cast.leads[agency.pk] = UserFactory(agency=agency)
        person_roles_set(person=cast.leads[agency.pk], roles=[Role.AGENCY_LEAD], agency=agency)
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[police, school],
        seats=[],
        terms=PERIOD_2025,
        reports={police: "submitted", school: ("excused", "Not involved after all")},
    )
    client.force_login(cast.lead_of(police))
    html = client.get(built.review.get_absolute_url()).content.decode()
    assert "Northshire Police&#x27;s management report submitted" in html
    assert "Riverside School&#x27;s management report excused" not in html
    assert "Not involved after all" not in html
    client.force_login(manager)
    html = client.get(built.review.get_absolute_url()).content.decode()
    assert "Riverside School&#x27;s management report excused" in html
    assert "Not involved after all" in html


def test_the_panel_sees_every_event_and_access_changes_fold(client, two_agencies, manager):
    built, _police, _school = two_agencies
    client.force_login(manager)
    html = client.get(built.review.get_absolute_url()).content.decode()
    assert "Riverside School put in scope" in html
    assert "Pat Panel seated on the panel (member)" in html
    # Pat Panel's and the author's access: two changes between the same two stage changes.
    assert '<span class="govuk-details__summary-text">2 access changes</span>' in html
    assert "Access granted to Pat Panel" in html


def test_access_changes_fold_between_stage_changes_and_a_lone_one_does_not(two_agencies, manager):
    built, _police, _school = two_agencies
    lines = timeline_for(review=built.review, user=manager)
    folds = [line for line in lines if isinstance(line, AccessFold)]
    assert len(folds) == 1
    assert [event.summary for event in folds[0].events] == [
        "Access granted to Ash Author",
        "Access granted to Pat Panel",
    ]
    assert folds[0].newest.at >= folds[0].oldest.at
    # The fold stands where its newest change is, newest first.
    summaries = [line.summary if isinstance(line, StageTransition) else "fold" for line in lines]
    assert summaries.index("fold") == summaries.index("Ash Author appointed overview author") - 1

    timeline_event_record(
        review=built.review,
        kind=StageTransition.Kind.ACCESS,
        actor=manager,
        summary="Access withdrawn from Pat Panel",
    )
    lines = timeline_for(review=built.review, user=manager)
    assert lines[0].summary == "Access withdrawn from Pat Panel"  # alone since the last stage
    assert [len(line.events) for line in lines if isinstance(line, AccessFold)] == [2]


def test_the_timeline_filters_by_kind(client, two_agencies, manager):
    built, _police, _school = two_agencies
    client.force_login(manager)
    url = built.review.get_absolute_url()
    response = client.get(url, {"kind": ["stage"]})
    lines = response.context["timeline"]
    assert {line.kind for line in lines} == {StageTransition.Kind.STAGE}
    html = response.content.decode()
    assert 'value="stage" checked' in html
    assert "Terms of reference set" not in html

    lines = client.get(url, {"kind": ["access", "panel"]}).context["timeline"]
    assert isinstance(lines[0], AccessFold) or lines[0].kind == StageTransition.Kind.PANEL
    assert all(
        isinstance(line, AccessFold) or line.kind == StageTransition.Kind.PANEL for line in lines
    )

    everything = client.get(url).context["timeline"]
    bogus = client.get(url, {"kind": ["nonsense"]})
    assert bogus.status_code == 200
    assert bogus.context["timeline"] == everything

    empty = client.get(url, {"kind": ["publication"]}).content.decode()
    assert "Nothing to show of these kinds." in empty


def test_an_agency_lead_filters_within_what_they_may_see(client, two_agencies):
    built, police, _school = two_agencies
    client.force_login(built.cast.lead_of(police))
    lines = client.get(built.review.get_absolute_url(), {"kind": ["panel", "access"]}).context[
        "timeline"
    ]
    assert [line.summary for line in lines] == ["Northshire Police put in scope"]


def test_each_line_shows_when_it_happened_and_when_it_was_recorded(client, manager, chair):
    agency = AgencyFactory()
    today = timezone.localdate()
    built = review_at(
        "convened",
        cast=Cast(manager=manager, chair=chair),
        agencies_in_scope=[agency],
        framework=Framework.LCSPR,
        notified_on=today - timedelta(days=8),
        rapid_review={"held_on": today - timedelta(days=6)},
        decision={"decided_on": today - timedelta(days=5)},
        seats=[],
        meeting={"held_on": today - timedelta(days=3)},
    )
    occurred = dict(built.review.transitions.values_list("summary", "occurred_on"))
    assert occurred[f"Referral recorded from {agency}"] == built.review.referred_on
    assert occurred["National bodies notified of the serious incident"] == today - timedelta(8)
    rapid = "Rapid review recorded: carry out a local child safeguarding practice review"
    assert occurred[rapid] == today - timedelta(days=6)
    assert occurred["Threshold decision: Initiate a Local Child Safeguarding Practice Review"] == (
        today - timedelta(days=5)
    )
    assert occurred["Panel meeting"] == today - timedelta(days=3)
    assert occurred["Terms of reference set"] is None

    client.force_login(manager)
    html = client.get(built.review.get_absolute_url()).content.decode()
    day = today - timedelta(days=3)
    assert f'Happened <time datetime="{day:%Y-%m-%d}">{day:%-d %B %Y}</time>, recorded' in html
    assert "Recorded <time" in html


def test_the_services_set_each_lines_kind_and_agency(two_agencies):
    built, police, _school = two_agencies
    kinds = {
        event.summary: (event.kind, event.agency_id) for event in built.review.transitions.all()
    }
    assert kinds["Northshire Police put in scope"] == ("panel", police.pk)
    assert kinds["Access granted to Pat Panel"] == ("access", None)
    assert kinds["Pat Panel seated on the panel (member)"] == ("panel", None)
    assert kinds["Northshire Police's management report submitted"] == ("reports", police.pk)
    assert kinds["Every management report is accepted or excused"] == ("stage", None)


def test_lines_recorded_before_kinds_are_filled_in_from_what_they_say(manager):
    police = AgencyFactory(name="Northshire Police")
    review = ReviewFactory(decided=True, national_bodies_notified_on=date(2026, 5, 1))
    legacy = [
        ("Access granted to Sam Person", ""),
        ("National bodies notified of the serious incident on 1 May 2026", ""),
        ("Panel meeting of 3 May 2026", ""),
        ("Northshire Police put in scope", ""),
        ("Sam Person seated on the panel (member)", ""),
        ("Draft 2 of the overview report sent to the agencies for comments by 9 June 2026", ""),
        ("Report sent to the national bodies on 4 June 2026", ""),
        ("Publication plan approved: publish the full overview report", ""),
        ("Threshold decision: Initiate a Serious Case Review", "panel"),
    ]
    # Lines recorded before the kind existed: the added column's default says "stage".
    for summary, to_stage in legacy:
        StageTransitionFactory(
            review=review,
            summary=summary,
            from_stage="referral" if to_stage else "",
            to_stage=to_stage,
            kind=StageTransition.Kind.STAGE,
        )

    migration = importlib.import_module("reviews.migrations.0019_timeline_kind_occurred_on_agency")
    migration.fill_in(django_apps, None)

    filled = {
        event.summary: (event.kind, event.occurred_on, event.agency_id)
        for event in review.transitions.all()
    }
    assert filled["Referral recorded"] == ("stage", review.referred_on, None)
    assert filled["Access granted to Sam Person"] == ("access", None, None)
    assert filled["National bodies notified of the serious incident on 1 May 2026"] == (
        "referral",
        date(2026, 5, 1),
        None,
    )
    assert filled["Panel meeting of 3 May 2026"] == ("panel", date(2026, 5, 3), None)
    assert filled["Northshire Police put in scope"] == ("panel", None, police.pk)
    assert filled["Sam Person seated on the panel (member)"] == ("panel", None, None)
    assert filled[
        "Draft 2 of the overview report sent to the agencies for comments by 9 June 2026"
    ] == ("overview", None, None)
    assert filled["Report sent to the national bodies on 4 June 2026"] == (
        "publication",
        date(2026, 6, 4),
        None,
    )
    assert filled["Publication plan approved: publish the full overview report"][0] == (
        "publication"
    )
    assert filled["Threshold decision: Initiate a Serious Case Review"] == (
        "stage",
        review.decision.decided_on,
        None,
    )
    history = StageTransition.history.get(summary="Panel meeting of 3 May 2026")
    assert (history.kind, history.occurred_on) == ("panel", date(2026, 5, 3))
