"""What the threshold decision makes of a review: its type, label, reference and deadlines.

A partnership review (below the threshold) and a single-agency review are not Serious Case
Reviews: they must not carry the SCR's name, its reference or its six-month clock.
"""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reviews.builders import Cast, review_advance, review_at
from reviews.frameworks import TYPES as TYPE_PROFILES
from reviews.frameworks import Framework as F
from reviews.frameworks import Outcome
from reviews.frameworks import Outcome as O
from reviews.frameworks import ReviewType as T
from reviews.models import AccessLog, Deadline, ReferenceCounter, Review, ThresholdDecision
from reviews.services.referral import decision_record
from reviews.services.reports import report_due_default
from tests.factories import AgencyFactory, ReviewFactory

pytestmark = pytest.mark.django_db

migration = import_module("reviews.migrations.0016_review_types_of_decided_reviews")


def _decide(review, chair, outcome, *, decided_on=None):
    return decision_record(
        review=review,
        actor=chair,
        answers={c.key: not c.mandatory for c in review.profile.criteria},
        outcome=outcome,
        decided_on=decided_on or timezone.localdate(),
        rationale="A lighter review will bring the learning sooner.",
        national_bodies_told_on=None,
    )


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        (Outcome.PARTNERSHIP_REVIEW, "Partnership review"),
        (Outcome.SINGLE_AGENCY_REVIEW, "Single-agency review"),
    ],
)
def test_a_review_below_the_threshold_is_not_labelled_a_serious_case_review(
    client, manager, chair, outcome, label
):
    review = ReviewFactory(created_by=manager, referred_on=timezone.localdate() - timedelta(3))
    decided_on = timezone.localdate() - timedelta(days=1)
    decision = _decide(review, chair, outcome, decided_on=decided_on)
    review = decision.review
    review.refresh_from_db()

    assert not review.reference.startswith("SCR-")
    client.force_login(manager)
    page = client.get(review.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<span class="govuk-caption-l">{label}' in html
    assert "Serious Case Review" not in html.split("<h1")[0].split("<main")[-1]
    target = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert target.due_on != decided_on + relativedelta(months=6)


@pytest.fixture
def cast(manager, chair):
    return Cast(manager=manager, chair=chair)


def _decided(cast, framework, outcome, **decision):
    decision = {"outcome": outcome, "rationale": "The board's reasons.", **decision}
    built = review_at(
        "decided",
        cast=cast,
        agencies_in_scope=[AgencyFactory()],
        framework=framework,
        decision=decision,
    )
    return built.review, built.decision


# framework, outcome -> type, label, reference prefix, months to the completion target, panel,
# notice to the national bodies before publication.
TYPES = [
    (F.SCR, O.INITIATE, T.STATUTORY, "Serious Case Review", "SCR", 6, True, (7, "days")),
    (F.SCR, O.PARTNERSHIP_REVIEW, T.PARTNERSHIP, "Partnership review", "PR", 4, True, None),
    (
        F.SCR,
        O.SINGLE_AGENCY_REVIEW,
        T.SINGLE_AGENCY,
        "Single-agency review",
        "SAGR",
        3,
        False,
        None,
    ),
    (
        F.LCSPR,
        O.INITIATE,
        T.STATUTORY,
        "Local Child Safeguarding Practice Review",
        "LCSPR",
        6,
        True,
        (7, "working_days"),
    ),
    (F.LCSPR, O.PARTNERSHIP_REVIEW, T.PARTNERSHIP, "Partnership review", "PR", 4, True, None),
    (
        F.LCSPR,
        O.SINGLE_AGENCY_REVIEW,
        T.SINGLE_AGENCY,
        "Single-agency review",
        "SAGR",
        3,
        False,
        None,
    ),
    (F.SAR, O.INITIATE, T.STATUTORY, "Safeguarding Adults Review", "SAR", 6, True, None),
    (F.SAR, O.PARTNERSHIP_REVIEW, T.PARTNERSHIP, "Partnership review", "PR", 4, True, None),
    (
        F.SAR,
        O.SINGLE_AGENCY_REVIEW,
        T.SINGLE_AGENCY,
        "Single-agency review",
        "SAGR",
        3,
        False,
        None,
    ),
]


@pytest.mark.parametrize(
    ("framework", "outcome", "review_type", "label", "prefix", "months", "panel", "notice"), TYPES
)
def test_each_outcome_gives_its_type_label_reference_and_deadlines(
    cast, framework, outcome, review_type, label, prefix, months, panel, notice
):
    review, decision = _decided(cast, framework, outcome)
    profile = review.type_profile
    assert (review.review_type, profile.label) == (review_type, label)
    assert re.fullmatch(rf"{prefix}-{review.referred_on.year}-\d{{3}}", review.reference)
    target = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert target.due_on == target.original_due_on
    assert target.due_on == decision.decided_on + relativedelta(months=months)
    assert review.has_panel is panel
    assert profile.publication_notice == notice
    assert profile.national_bodies_sent_report is (notice is not None)
    assert report_due_default(review=review) == timezone.localdate() + timedelta(
        weeks=8 if framework == F.SAR else 6
    )
    assert profile.publication


def test_every_framework_has_every_type_and_prefixes_tell_types_apart():
    assert set(TYPE_PROFILES) == {(f, t) for f in F for t in T}
    prefixes = {(p.review_type, p.reference_prefix) for p in TYPE_PROFILES.values()}
    by_prefix = {}
    for review_type, prefix in prefixes:
        by_prefix.setdefault(prefix, set()).add(review_type)
    assert all(len(types) == 1 for types in by_prefix.values())


def test_an_scr_is_unchanged_by_its_decision(client, cast):
    built = review_at("referral", cast=cast, agencies_in_scope=[AgencyFactory()])
    referred_as = built.review.reference
    review, decision = _decided_on(built, O.INITIATE)
    assert (review.reference, review.former_reference) == (referred_as, "")
    assert review.review_type == T.STATUTORY
    target = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert target.due_on == decision.decided_on + relativedelta(months=6)
    assert not review.transitions.filter(summary__startswith="Now a").exists()
    client.force_login(cast.manager)
    html = client.get(review.get_absolute_url()).content.decode()
    assert (
        '<span class="govuk-caption-l">Serious Case Review (Working Together 2015)</span>' in html
    )


def _decided_on(built, outcome):
    review_advance(
        built, "decided", decision={"outcome": outcome, "rationale": "The board's reasons."}
    )
    return built.review, built.decision


def test_a_partnership_review_keeps_its_old_reference_in_history_and_timeline(client, cast):
    built = review_at("referral", cast=cast, agencies_in_scope=[AgencyFactory()])
    old = built.review.reference
    review, _ = _decided_on(built, O.PARTNERSHIP_REVIEW)
    new = review.reference
    assert new.startswith("PR-")
    assert review.former_reference == old
    summary = f"Now a partnership review: reference {new}, formerly {old}"
    event = review.transitions.get(summary=summary)
    assert event.actor == cast.chair
    changed = review.history.get(history_change_reason=summary)
    assert (changed.history_user, changed.reference) == (cast.chair, new)
    assert changed.prev_record.reference == old

    client.force_login(cast.manager)
    page = client.get(review.get_absolute_url()).content.decode()
    assert summary in page
    assert f"Partnership review<br>Referred as {old}</dd>" in page
    listing = client.get(reverse("reviews:list")).content.decode()
    assert new in listing
    assert "Partnership" in listing
    tasks = client.get(reverse("reviews:tasks"), {"reference": old}).content.decode()
    assert "Completion of the review" in tasks


def test_the_decision_form_sends_the_chair_to_the_review_under_its_new_reference(
    client, cast, review
):
    client.force_login(cast.chair)
    data = {c.key: "yes" if not c.mandatory else "no" for c in review.profile.criteria}
    today = timezone.localdate()
    data.update(
        outcome=O.SINGLE_AGENCY_REVIEW,
        rationale="One agency's practice is in question.",
        decided_on_0=today.day,
        decided_on_1=today.month,
        decided_on_2=today.year,
    )
    response = client.post(reverse("reviews:decide", args=[review.reference]), data, follow=True)
    review.refresh_from_db()
    assert review.reference.startswith("SAGR-")
    assert response.redirect_chain == [(review.get_absolute_url(), 302)]
    html = response.content.decode()
    assert f"{review.former_reference} is now single-agency review {review.reference}" in html
    assert '<span class="govuk-caption-l">Single-agency review (Working Together 2015)' in html


@pytest.mark.parametrize("suffix", ["", "clock/", "panel/"])
def test_old_links_lead_those_who_may_see_the_review_to_its_new_reference(client, cast, suffix):
    built = review_at("referral", cast=cast, agencies_in_scope=[AgencyFactory()])
    old = built.review.reference
    review, _ = _decided_on(built, O.PARTNERSHIP_REVIEW)
    client.force_login(cast.manager)
    response = client.get(f"/reviews/{old}/{suffix}?from=email")
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{review.reference}/{suffix}?from=email"
    assert client.get(response["Location"]).status_code == 200


def test_old_links_tell_nobody_else_that_the_review_exists(client, cast, users_by_role):
    built = review_at("referral", cast=cast, agencies_in_scope=[AgencyFactory()])
    old = built.review.reference
    review, _ = _decided_on(built, O.PARTNERSHIP_REVIEW)
    for role in ("outsider", "Agency lead", "Panel member", "Independent author"):
        client.force_login(users_by_role[role])
        response = client.get(f"/reviews/{old}/")
        assert response.status_code == 404
        assert review.reference not in response.content.decode()
    assert AccessLog.objects.filter(object_ref=old, allowed=False).count() == 4


def test_references_of_each_type_are_numbered_apart(cast):
    first, _ = _decided(cast, F.SCR, O.PARTNERSHIP_REVIEW)
    second, _ = _decided(cast, F.LCSPR, O.PARTNERSHIP_REVIEW)
    single, _ = _decided(cast, F.SCR, O.SINGLE_AGENCY_REVIEW)
    year = first.referred_on.year
    assert [first.reference, second.reference, single.reference] == [
        f"PR-{year}-001",
        f"PR-{year}-002",
        f"SAGR-{year}-001",
    ]
    assert ReferenceCounter.objects.get(prefix="SCR", year=year).last_number == 2


def test_a_refused_decision_changes_neither_type_nor_reference(cast, review):
    old = review.reference
    with pytest.raises(ValidationError):
        _decide(
            review, cast.chair, O.PARTNERSHIP_REVIEW, decided_on=review.referred_on - timedelta(1)
        )
    review.refresh_from_db()
    assert (review.reference, review.review_type, review.former_reference) == (old, T.STATUTORY, "")
    assert not ReferenceCounter.objects.filter(prefix="PR").exists()


def _as_before_review_types(review, decision, *, reference, extended_by=0):
    """Put a decided review back as the code before review types left it: the SCR's
    reference, no type, the six-month target (plus any extension)."""
    review.reference, review.former_reference, review.review_type = reference, "", T.STATUTORY
    review.save()
    original = decision.decided_on + relativedelta(months=6)
    target = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    target.original_due_on, target.due_on = original, original + timedelta(days=extended_by)
    target.save()


def test_the_migration_types_reviews_decided_before_review_types(cast):
    partnership, decision = _decided(cast, F.SCR, O.PARTNERSHIP_REVIEW)
    _as_before_review_types(partnership, decision, reference="SCR-2020-007", extended_by=10)
    single, single_decision = _decided(cast, F.SAR, O.SINGLE_AGENCY_REVIEW)
    _as_before_review_types(single, single_decision, reference="SAR-2020-008")
    scr, _ = _decided(cast, F.SCR, O.INITIATE)
    scr_target = scr.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE).due_on

    migration.forwards(django_apps, None)

    partnership.refresh_from_db()
    year = partnership.referred_on.year
    assert (partnership.review_type, partnership.former_reference) == (
        T.PARTNERSHIP,
        "SCR-2020-007",
    )
    assert partnership.reference == f"PR-{year}-002"  # 001 went to the decision above
    target = partnership.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert target.original_due_on == decision.decided_on + relativedelta(months=4)
    assert target.due_on == target.original_due_on + timedelta(days=10)  # the extension stays
    moved = target.history.latest()
    assert moved.history_user is None
    assert moved.history_change_reason == "completion target of a partnership review: 4 months"
    changed = partnership.history.latest()
    assert changed.history_user is None
    assert changed.history_change_reason == (
        f"Now a partnership review: reference {partnership.reference}, formerly SCR-2020-007"
    )
    single.refresh_from_db()
    assert single.reference.startswith("SAGR-")
    assert single.type_profile.label == "Single-agency review"
    scr.refresh_from_db()
    assert (scr.review_type, scr.former_reference) == (T.STATUTORY, "")
    assert scr.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE).due_on == scr_target

    migration.backwards(django_apps, None)
    partnership.refresh_from_db()
    assert (partnership.reference, partnership.review_type) == ("SCR-2020-007", T.STATUTORY)
    target.refresh_from_db()
    assert target.original_due_on == decision.decided_on + relativedelta(months=6)
    assert target.due_on == target.original_due_on + timedelta(days=10)


def test_the_demo_shows_a_partnership_review_and_a_decision_recorded_for_the_chair(settings):
    settings.DEBUG = True
    call_command("demo_data")
    child_c = Review.objects.get(subject_reference="Child C")
    assert child_c.review_type == T.PARTNERSHIP
    assert child_c.reference.startswith("PR-")
    assert child_c.former_reference.startswith("LCSPR-")
    child_g = ThresholdDecision.objects.select_related("decided_by", "recorded_by").get(
        review__subject_reference="Child G"
    )
    assert child_g.decided_by.email == "chair@northshire.example"
    assert child_g.recorded_by.email == "manager@northshire.example"
    assert child_g.communicated_via == ThresholdDecision.Communication.EMAIL
