"""The publication version: made from the agreed overview text with the map applied, corrected
as new versions, checked for identifiers (workers' names never shown), and the chair's approval
bound to the text."""

import pytest
from django.core.exceptions import ValidationError

from publication.anonymise import MASK, body_to_text, replace_in_html, text_to_body
from publication.checks import approval_is_current, readability, version_check, worker_names
from publication.models import HitResolution, PublicationPlan, PublicationVersion
from publication.services import publication_approve
from publication.versions import (
    hit_resolve,
    publication_version_correct,
    publication_version_make,
    version_writing_form,
)
from reviews.models import Review
from tests.factories import (
    OverviewAgreementFactory,
    OverviewVersionFactory,
    PseudonymEntryFactory,
    ReviewFactory,
)
from tests.publication.conftest import WORKER, plan_save

pytestmark = pytest.mark.django_db


def _make(agreed, manager, title="Leo Farrant: Serious Case Review report"):
    return publication_version_make(review=agreed.review, actor=manager, title=title)


def _without_worker(version, manager):
    """Correct the version so that it no longer names the worker."""
    shown = version_writing_form(version, version.review)
    return publication_version_correct(
        review=version.review,
        actor=manager,
        title=shown["title"],
        summary=shown["summary"],
        body=shown["body"].replace(MASK, "the police officer"),
        version=version.number,
    )


def test_making_applies_the_map_to_the_text_only_in_the_report_order(agreed, manager):
    plan_save(agreed.review, manager)
    version = _make(agreed, manager)
    assert version.number == 1
    assert version.form == PublicationVersion.Form.FULL
    assert version.overview_version == agreed.overview
    assert version.title == "Child A: Serious Case Review report"
    assert version.summary_html == (
        "<p>Child A lived with his mother at the family's home. His health visitor saw him in "
        "March and wrote that all was well.</p>"
    )
    assert version.body_html == (
        "<h2>The case in summary</h2><p>Child A's school, <em>Canary Primary</em>, saw "
        "bruises; Jo Pike visited.</p><h2>Lessons</h2><ul><li>Agencies must share what they "
        "know about Child A &amp; others.</li></ul>"
    )
    assert version.digest == PublicationVersion.digest_of(
        form="full",
        title=version.title,
        summary_html=version.summary_html,
        body_html=version.body_html,
    )
    assert version.history.get().history_user == manager
    assert agreed.review.transitions.filter(summary__startswith="Publication version 1").exists()


def test_a_summary_only_version_has_no_body(agreed, manager):
    plan_save(agreed.review, manager, form="summary", rationale="A sibling could be identified.")
    version = _make(agreed, manager)
    assert version.form == PublicationVersion.Form.SUMMARY
    assert version.body_html == ""


def test_replacing_never_touches_a_tag_and_takes_the_longest_match():
    class Entry:
        def __init__(self, pk, real_value, replacement, kind="person"):
            self.pk, self.real_value, self.replacement = pk, real_value, replacement
            self.kind = kind

    emma = Entry(1, "Emma Stone", "Sister")
    emily = Entry(2, "Emily Mill Stone", "Mother")
    strong = Entry(3, "strong", "X", kind="other")
    html = '<p>Emily Mill Stone met <strong>Emma</strong>. Emma said "no" &lt;em&gt;</p>'
    assert replace_in_html(html, [emma, emily, strong]) == (
        '<p>Mother met <strong>Sister</strong>. Sister said "no" &lt;em&gt;</p>'
    )


def test_the_body_goes_to_the_writing_form_and_back():
    body = "<h2>Lessons</h2><p>One &amp; two.</p><h2>Good practice</h2><ul><li>A</li></ul>"
    assert body_to_text(body) == "# Lessons\n\nOne & two.\n\n# Good practice\n\n- A"
    assert text_to_body(body_to_text(body)) == body


@pytest.mark.parametrize("missing", ["plan", "not_published", "agreed_text"])
def test_making_is_refused_without_what_it_is_made_from(agreed, manager, missing):
    review = agreed.review
    if missing == "not_published":
        plan_save(review, manager, form="none", rationale="The family asked us not to.")
    elif missing == "agreed_text":
        plan_save(review, manager)
        OverviewAgreementFactory(draft__review=review, version=None)
    with pytest.raises(ValidationError):
        _make(agreed, manager)
    assert not PublicationVersion.objects.exists()


def test_the_check_lists_workers_without_their_names_and_blocks_approval(agreed, manager, chair):
    plan_save(agreed.review, manager)
    version = _make(agreed, manager)
    check = version_check(version)
    (hit,) = check.unresolved
    assert hit.worker.label == "interview 1, Northshire Police"
    assert hit.entry is None
    assert hit.matched == MASK
    assert WORKER not in f"{hit.before}{hit.after}{hit.key}"
    assert "Pike" not in f"{hit.before}{hit.after}"
    with pytest.raises(ValidationError, match="1 hit of the identifier check is not resolved"):
        publication_approve(review=agreed.review, actor=chair)


def test_a_correction_then_a_mark_allow_the_approval(agreed, manager, chair):
    review = agreed.review
    plan_save(review, manager)
    version = _without_worker(_make(agreed, manager), manager)
    assert version.number == 2
    assert "the police officer visited" in version.body_html
    assert version_check(version).unresolved == []
    # The map grows: the school is now a hit, until marked not identifying.
    school = PseudonymEntryFactory(review=review, real_value="Canary Primary", replacement="X")
    (hit,) = version_check(version).unresolved
    assert hit.entry == school
    with pytest.raises(ValidationError, match="1 hit"):
        publication_approve(review=review, actor=chair)
    with pytest.raises(ValidationError) as refused:
        hit_resolve(review=review, actor=manager, number=2, key=hit.key, reason=" ")
    assert "reason" in refused.value.message_dict
    resolution = hit_resolve(
        review=review, actor=manager, number=2, key=hit.key, reason="Every town has one."
    )
    assert resolution.history.get().history_user == manager
    plan = publication_approve(review=review, actor=chair)
    assert plan.approved_version == version
    assert plan.approval_digest == plan.approval_digest_of(version)
    assert approval_is_current(plan)


def test_marking_is_refused_on_an_older_version_or_twice(agreed, manager):
    review = agreed.review
    plan_save(review, manager)
    first = _make(agreed, manager)
    (hit,) = version_check(first).unresolved
    hit_resolve(review=review, actor=manager, number=1, key=hit.key, reason="Common name.")
    with pytest.raises(ValidationError, match="already"):
        hit_resolve(review=review, actor=manager, number=1, key=hit.key, reason="Again.")
    _make(agreed, manager)
    with pytest.raises(ValidationError, match="newer"):
        hit_resolve(review=review, actor=manager, number=1, key=hit.key, reason="Again.")


def test_identical_hits_carry_over_to_a_new_version_and_changed_ones_do_not(agreed, manager):
    review = agreed.review
    plan_save(review, manager)
    first = _make(agreed, manager)
    (hit,) = version_check(first).unresolved
    hit_resolve(review=review, actor=manager, number=1, key=hit.key, reason="Common name.")
    shown = version_writing_form(first, review)
    second = publication_version_correct(
        review=review,
        actor=manager,
        title="A new title",
        summary=shown["summary"],
        body=shown["body"].replace(MASK, WORKER),
        version=1,
    )
    check = version_check(second)
    ((_, carried),) = check.hits
    assert carried.carried_from == first
    assert carried.reason == "Common name."
    assert check.carried == [carried]
    third = publication_version_correct(
        review=review,
        actor=manager,
        title="A new title",
        summary=shown["summary"],
        body=shown["body"].replace(f"; {MASK} visited", f". Then {WORKER} visited"),
        version=2,
    )
    assert len(version_check(third).unresolved) == 1
    assert HitResolution.objects.filter(version=third).count() == 0


def test_correcting_refuses_a_stale_form_and_a_form_that_changes_nothing(agreed, manager):
    review = agreed.review
    plan_save(review, manager)
    first = _make(agreed, manager)
    _without_worker(first, manager)
    shown = version_writing_form(first, review)
    with pytest.raises(ValidationError) as stale:
        publication_version_correct(
            review=review, actor=manager, title="Other", summary=shown["summary"], version=1
        )
    assert stale.value.code == "conflict"
    latest = PublicationVersion.objects.get(number=2)
    same = version_writing_form(latest, review)
    with pytest.raises(ValidationError, match="not changed anything"):
        publication_version_correct(review=review, actor=manager, version=2, **same)
    assert PublicationVersion.objects.count() == 2


def test_the_writing_form_keeps_formatting_of_parts_left_alone(agreed, manager):
    review = agreed.review
    plan_save(review, manager)
    first = _without_worker(_make(agreed, manager), manager)
    shown = version_writing_form(first, review)
    second = publication_version_correct(
        review=review,
        actor=manager,
        title=shown["title"],
        summary="A new summary.",
        body=shown["body"],
        version=first.number,
    )
    assert second.summary_html == "<p>A new summary.</p>"
    assert second.body_html == first.body_html  # <em> kept
    assert second.history.get().history_change_reason == "corrected from version 2"


def test_a_new_version_withdraws_the_approval(agreed, manager, chair):
    review = agreed.review
    plan_save(review, manager)
    version = _without_worker(_make(agreed, manager), manager)
    publication_approve(review=review, actor=chair)
    newer = _make(agreed, manager)
    plan = PublicationPlan.objects.get()
    assert not plan.is_approved
    assert plan.approved_version is None
    assert plan.approval_withdrawn_reason == (
        f"a new publication version (version {newer.number}) was made"
    )
    assert version.number < newer.number
    assert plan.history.first().history_change_reason.startswith("approval withdrawn")


def test_a_plan_change_withdraws_the_approval_and_a_stale_digest_is_not_current(
    agreed, manager, chair
):
    review = agreed.review
    plan_save(review, manager)
    _without_worker(_make(agreed, manager), manager)
    plan = publication_approve(review=review, actor=chair)
    plan.planned_on = plan.planned_on.replace(day=1) if plan.planned_on.day != 1 else None
    assert not approval_is_current(plan)  # the digest no longer matches the plan
    plan = plan_save(review, manager, days=40)
    assert not plan.is_approved
    assert plan.approval_withdrawn_reason == f"the plan was changed by {manager}"


def test_approval_is_refused_for_a_version_not_of_the_agreed_text(agreed, manager, chair):
    review = agreed.review
    plan_save(review, manager)
    _without_worker(_make(agreed, manager), manager)
    OverviewAgreementFactory(draft__review=review, version=OverviewVersionFactory(review=review))
    with pytest.raises(ValidationError, match="not made from the overview report as agreed"):
        publication_approve(review=review, actor=chair)


def test_readability_scores_the_summary_against_the_target(agreed, manager, settings):
    settings.SCR_READABILITY_TARGET = 95
    plan_save(agreed.review, manager)
    score = readability(_make(agreed, manager))
    assert score.target == 95
    assert 0 < score.score < 95
    assert not score.meets_target
    assert score.words_per_sentence == 11.5


def test_making_is_refused_outside_the_publication_stage(manager):
    review = ReviewFactory(decided=True, stage=Review.Stage.ACTION_PLAN, created_by=manager)
    with pytest.raises(ValidationError, match="publication stage"):
        publication_version_make(review=review, actor=manager, title="T")


def test_the_workers_names_are_the_interviewed_and_the_referrals(agreed):
    review = agreed.review
    review.lead_consulted_name = "Designated Safeguarding Lead"
    review.save()
    agency = review.referring_agency.name
    assert [(w.real_value, w.kind, w.label) for w in worker_names(review=review)] == [
        (WORKER, "person", "interview 1, Northshire Police"),
        ("Duty desk", "other", f"the referrer, {agency}"),
        (
            "Designated Safeguarding Lead",
            "other",
            f"the safeguarding lead the referrer consulted, {agency}",
        ),
    ]
