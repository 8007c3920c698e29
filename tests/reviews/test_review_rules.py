"""The review's rules as data and as a state machine: threshold criteria for every
combination of answers, every stage transition, working days and reference numbers."""

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews.frameworks import PROFILES, Framework, Outcome, profile_for
from reviews.models import Review
from reviews.services.referral import referral_create
from reviews.workdays import add_working_days, is_working_day
from tests.factories import AgencyFactory

MANDATORY = ("died_in_custody", "died_in_secure_setting", "suspected_suicide")


def _expected(framework: str, a: dict[str, bool]) -> bool:
    """The threshold as DESIGN.md words it, written independently of the profiles' rules."""
    if framework == Framework.SCR:
        return (
            a["abuse_or_neglect"] and (a["died"] or (a["seriously_harmed"] and a["agency_concern"]))
        ) or any(a[key] for key in MANDATORY)
    if framework == Framework.LCSPR:
        return (a["abuse_or_neglect"] and (a["died"] or a["seriously_harmed"])) or any(
            a[key] for key in MANDATORY
        )
    return (
        a["care_and_support_needs"]
        and a["agency_concern"]
        and (a["died_of_abuse_or_neglect"] or a["serious_abuse_or_neglect"])
    )


@pytest.mark.parametrize("framework", list(Framework))
def test_criteria_met_for_every_combination_of_answers(framework):
    profile = profile_for(framework)
    keys = [criterion.key for criterion in profile.criteria]
    for values in itertools.product([False, True], repeat=len(keys)):
        answers = dict(zip(keys, values, strict=True))
        assert profile.criteria_met(answers) == _expected(framework, answers), answers


def test_mandatory_criteria_are_the_custody_secure_and_suicide_ones():
    for framework in (Framework.SCR, Framework.LCSPR):
        mandatory = {c.key for c in profile_for(framework).criteria if c.mandatory}
        assert mandatory == set(MANDATORY)
    assert not any(c.mandatory for c in profile_for(Framework.SAR).criteria)


def test_outcome_wording_follows_the_framework():
    assert profile_for(Framework.SCR).outcome_label(Outcome.INITIATE) == (
        "Initiate a Serious Case Review"
    )
    assert "Safeguarding Adults Review" in profile_for(Framework.SAR).outcome_label("initiate")
    assert Outcome.CHILD_DEATH_REVIEW_ONLY not in profile_for(Framework.SAR).outcomes
    assert set(PROFILES) == set(Framework)


LEGAL = [(a, b) for a, targets in Review.TRANSITIONS.items() for b in targets]
ILLEGAL = [(a, b) for a in Review.Stage for b in Review.Stage if b not in Review.TRANSITIONS[a]]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_every_legal_transition_is_allowed(current, target):
    Review(stage=current).check_transition(target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_message(current, target):
    with pytest.raises(ValidationError) as error:
        Review(stage=current).check_transition(target)
    assert "cannot move to" in error.value.messages[0]


def test_closed_is_final_and_every_open_stage_can_close():
    assert Review.TRANSITIONS[Review.Stage.CLOSED] == set()
    for stage in Review.Stage:
        if stage != Review.Stage.CLOSED:
            assert Review.Stage.CLOSED in Review.TRANSITIONS[stage]


@pytest.mark.parametrize(
    ("jurisdiction", "start", "days", "expected"),
    [
        # Friday 19 Dec 2025 + 4: 22, 23, 24, then past Christmas and Boxing Day to the 29th.
        ("england", date(2025, 12, 19), 4, date(2025, 12, 29)),
        # 2026: Boxing Day is a Saturday, so Monday 28 December is its substitute.
        ("england", date(2026, 12, 24), 1, date(2026, 12, 29)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        ("england", date(2026, 4, 2), 1, date(2026, 4, 7)),
        # Scotland's 2 January holiday; England works that day.
        ("scotland", date(2026, 1, 1), 1, date(2026, 1, 5)),
        ("england", date(2026, 1, 1), 1, date(2026, 1, 2)),
        # Jersey's Liberation Day, Friday 9 May 2025.
        ("jersey", date(2025, 5, 8), 1, date(2025, 5, 12)),
        ("england", date(2025, 5, 8), 1, date(2025, 5, 9)),
        # Backwards: five working days before a publication date.
        ("england", date(2026, 4, 10), -5, date(2026, 4, 1)),
    ],
)
def test_working_days_skip_weekends_and_the_jurisdictions_holidays(
    jurisdiction, start, days, expected
):
    assert add_working_days(start, days, jurisdiction) == expected


def test_unknown_jurisdictions_are_refused():
    with pytest.raises(ValueError, match="atlantis"):
        is_working_day(date(2026, 1, 5), "atlantis")


def _refer(manager, agency, framework=Framework.SCR, referred_on=None, **overrides):
    referred_on = referred_on or timezone.localdate()
    fields = {
        "actor": manager,
        "framework": framework,
        "subject_reference": "Child Q",
        "full_name": "Canary Realname",
        "date_of_birth": None,
        "address": "",
        "age_group": "1_4" if framework != Framework.SAR else "65_plus",
        "harm": Review.Harm.DEATH,
        "abuse_categories": [Review.AbuseCategory.NEGLECT],
        "referring_agency": agency,
        "referrer_name": "Referrer",
        "referrer_contact": "",
        "incident_date": referred_on - timedelta(days=2),
        "referred_on": referred_on,
        "agencies_involved": [agency],
        "circumstances": "Invented.",
    }
    return referral_create(**{**fields, **overrides})


@pytest.mark.django_db
def test_references_are_sequential_per_type_and_year(manager):
    agency = AgencyFactory()
    last_year = date(timezone.localdate().year - 1, 6, 1)
    year = timezone.localdate().year
    refs = [
        _refer(manager, agency).reference,
        _refer(manager, agency).reference,
        _refer(manager, agency, framework=Framework.SAR).reference,
        _refer(manager, agency, referred_on=last_year).reference,
        _refer(manager, agency).reference,
    ]
    assert refs == [
        f"SCR-{year}-001",
        f"SCR-{year}-002",
        f"SAR-{year}-001",
        f"SCR-{year - 1}-001",
        f"SCR-{year}-003",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    # Functions, so that "tomorrow" is worked out when the test runs, not when it is collected
    # (a run that crosses midnight would otherwise test today).
    [
        (
            lambda today: {"referred_on": today + timedelta(days=1), "incident_date": today},
            "referred_on",
        ),
        (lambda today: {"incident_date": today + timedelta(days=1)}, "incident_date"),
        (lambda today: {"age_group": "65_plus"}, "age_group"),
        (lambda today: {"date_of_birth": today}, "date_of_birth"),
    ],
)
def test_a_bad_referral_is_refused_and_writes_nothing(manager, overrides, field):
    agency = AgencyFactory()
    with pytest.raises(ValidationError) as error:
        _refer(manager, agency, **overrides(timezone.localdate()))
    assert field in error.value.message_dict
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_referral_before_its_incident_is_refused(manager):
    with pytest.raises(ValidationError) as error:
        _refer(
            manager,
            AgencyFactory(),
            incident_date=timezone.localdate(),
            referred_on=timezone.localdate() - timedelta(days=1),
        )
    assert "referred_on" in error.value.message_dict


@pytest.mark.django_db
def test_a_referral_is_recorded_with_its_history_and_timeline(manager):
    review = _refer(manager, AgencyFactory(name="Northshire Homes"))
    assert review.stage == Review.Stage.REFERRAL
    assert review.history.latest().history_user == manager
    assert review.subject_identity.history.latest().history_user == manager
    event = review.transitions.get()
    assert (event.to_stage, event.actor) == (Review.Stage.REFERRAL, manager)
    assert event.summary == "Referral recorded from Northshire Homes"
