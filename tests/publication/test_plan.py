"""Stage 7: the publication plan, its notice to the national bodies counted backwards from the
planned date, and the chair's approval."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from publication.models import PublicationPlan
from publication.services import (
    notice_due_on,
    publication_approve,
    publication_notice_record,
    publication_plan_save,
)
from publication.versions import publication_version_make
from reviews.frameworks import Framework
from reviews.models import Deadline, Review
from tests.factories import OverviewAgreementFactory, OverviewVersionFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_publication(manager):
    """A review at publication whose overview report's text was agreed."""
    review = ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION, created_by=manager)
    OverviewAgreementFactory(draft__review=review, version=OverviewVersionFactory(review=review))
    return review


def _plan(review, manager, form=PublicationPlan.Form.FULL, days=60, rationale=""):
    """Save the plan and, unless it is not to publish, make its publication version (which the
    chair approves with it)."""
    plan = publication_plan_save(
        review=review,
        actor=manager,
        form=form,
        planned_on=timezone.localdate() + timedelta(days=days),
        rationale=rationale,
    )
    if form != PublicationPlan.Form.NONE:
        publication_version_make(review=review, actor=manager, title="Child A: report")
    return plan


def _notice(review):
    return review.deadlines.filter(kind=Deadline.Kind.PUBLICATION_NOTICE).first()


@pytest.mark.parametrize(
    ("framework", "planned_on", "due_on"),
    [
        # LCSPR: 7 working days back from Monday 4 January 2027 skip New Year's Day, the
        # Boxing Day substitute (28 December) and Christmas Day.
        (Framework.LCSPR, date(2027, 1, 4), date(2026, 12, 21)),
        # SCR (Working Together 2015): at least one week, in calendar days.
        (Framework.SCR, date(2027, 1, 4), date(2026, 12, 28)),
        (Framework.SAR, date(2027, 1, 4), None),
    ],
)
def test_the_notice_counts_backwards_from_the_planned_date(framework, planned_on, due_on):
    review = ReviewFactory(framework=framework)
    assert notice_due_on(review=review, planned_on=planned_on) == due_on


def test_planning_opens_the_notice_and_moving_the_date_moves_it(at_publication, manager):
    _plan(at_publication, manager, days=60)
    notice = _notice(at_publication)
    planned = timezone.localdate() + timedelta(days=60)
    assert notice.due_on == planned - timedelta(days=7)
    assert notice.state == Deadline.State.OPEN
    _plan(at_publication, manager, days=90)
    notice.refresh_from_db()
    assert notice.due_on == planned + timedelta(days=30) - timedelta(days=7)
    assert at_publication.transitions.filter(summary__startswith="Publication plan").count() == 2


def test_a_date_too_soon_for_the_notice_is_refused(at_publication, manager):
    with pytest.raises(ValidationError) as error:
        _plan(at_publication, manager, days=3)
    assert "7 days" in error.value.message_dict["planned_on"][0]
    assert not PublicationPlan.objects.exists()
    assert _notice(at_publication) is None


@pytest.mark.parametrize("form", [PublicationPlan.Form.SUMMARY, PublicationPlan.Form.NONE])
def test_not_publishing_in_full_needs_a_rationale(at_publication, manager, form):
    with pytest.raises(ValidationError) as error:
        _plan(at_publication, manager, form=form)
    assert "rationale" in error.value.message_dict


def test_deciding_not_to_publish_waives_the_notice(at_publication, manager):
    _plan(at_publication, manager)
    plan = _plan(
        at_publication, manager, form=PublicationPlan.Form.NONE, rationale="Would identify."
    )
    assert plan.planned_on is None
    assert _notice(at_publication).state == Deadline.State.WAIVED


def test_recording_the_notice_meets_it(at_publication, manager):
    _plan(at_publication, manager)
    with pytest.raises(ValidationError) as error:
        publication_notice_record(
            review=at_publication, actor=manager, sent_on=timezone.localdate() + timedelta(days=1)
        )
    assert "sent_on" in error.value.message_dict
    publication_notice_record(review=at_publication, actor=manager, sent_on=timezone.localdate())
    assert _notice(at_publication).state == Deadline.State.MET


def test_a_change_after_approval_withdraws_it(at_publication, manager, chair):
    _plan(at_publication, manager)
    plan = publication_approve(review=at_publication, actor=chair)
    assert plan.is_approved
    assert plan.history.first().history_user == chair
    with pytest.raises(ValidationError, match="already approved"):
        publication_approve(review=at_publication, actor=chair)
    plan = _plan(at_publication, manager, days=80)
    assert not plan.is_approved
    assert plan.history.first().history_change_reason == "plan changed: approval withdrawn"


def test_publication_is_planned_only_at_its_stage(review, manager):
    with pytest.raises(ValidationError, match="action plan is agreed"):
        _plan(review, manager)


def test_the_manager_plans_and_the_chair_approves_through_the_pages(
    client, at_publication, manager, chair
):
    reference = at_publication.reference
    client.force_login(manager)
    url = reverse("publication:plan_edit", args=[reference])
    response = client.post(url, {"form": "summary"})
    content = response.content.decode()
    assert "Explain why the full report will not be published" in content
    assert not PublicationPlan.objects.exists()
    planned = timezone.localdate() + timedelta(days=45)
    response = client.post(
        url,
        {
            "form": "full",
            "planned_on_0": planned.day,
            "planned_on_1": planned.month,
            "planned_on_2": planned.year,
        },
    )
    assert response.status_code == 302
    publication_version_make(review=at_publication, actor=manager, title="Child A: report")
    approve = reverse("publication:approve", args=[reference])
    assert client.post(approve).status_code == 403

    client.force_login(chair)
    page = client.get(reverse("publication:plan", args=[reference])).content.decode()
    assert "Waiting for approval" in page
    assert client.get(url).status_code == 403
    assert client.post(approve).status_code == 302
    assert PublicationPlan.objects.get().approved_by == chair


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_the_notice_is_overdue_on_the_plan_page_when_missed(client, at_publication, manager):
    publication_plan_save(
        review=at_publication,
        actor=manager,
        form=PublicationPlan.Form.FULL,
        planned_on=date(2026, 12, 20),
        rationale="",
    )
    with time_machine.travel(date(2026, 12, 15), tick=False):
        client.force_login(manager)
        page = client.get(reverse("publication:plan", args=[at_publication.reference]))
    assert "Overdue" in page.content.decode()


def test_people_who_may_not_plan_or_approve_are_refused_and_nothing_changes(
    client, at_publication, manager, chair
):
    reference = at_publication.reference
    planned = timezone.localdate() + timedelta(days=40)
    plan_post = {
        "form": "full",
        "planned_on_0": planned.day,
        "planned_on_1": planned.month,
        "planned_on_2": planned.year,
    }
    client.force_login(chair)
    assert (
        client.post(reverse("publication:plan_edit", args=[reference]), plan_post).status_code
        == 403
    )
    assert not PublicationPlan.objects.exists()
    approve = reverse("publication:approve", args=[reference])
    assert client.get(approve).status_code == 403  # no plan yet to approve
    _plan(at_publication, manager)
    client.force_login(manager)
    assert client.get(approve).status_code == 403
    assert client.post(approve).status_code == 403
    assert not PublicationPlan.objects.get().is_approved


def test_a_future_date_sent_is_refused_on_the_notice_page(client, at_publication, manager):
    _plan(at_publication, manager)
    client.force_login(manager)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("publication:notice", args=[at_publication.reference]),
        {"sent_on_0": tomorrow.day, "sent_on_1": tomorrow.month, "sent_on_2": tomorrow.year},
    )
    assert "Date the report was sent must be today or in the past" in response.content.decode()
    assert PublicationPlan.objects.get().national_bodies_sent_on is None
    assert _notice(at_publication).state == Deadline.State.OPEN


def _version_on(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_the_chair_approves_only_the_plan_as_she_saw_it(client, at_publication, manager, chair):
    """The chair opened the plan (publish in full); the manager then changed it to "do not
    publish"; the chair's click must not approve what she never saw."""
    _plan(at_publication, manager)
    reference = at_publication.reference
    client.force_login(chair)
    page = client.get(reverse("publication:approve", args=[reference])).content.decode()
    assert "Publish the full overview report" in page
    seen = _version_on(page)
    publication_plan_save(
        review=at_publication,
        actor=manager,
        form=PublicationPlan.Form.NONE,
        planned_on=None,
        rationale="The family asked us not to publish.",
    )
    response = client.post(reverse("publication:approve", args=[reference]), {"version": seen})
    html = response.content.decode()
    assert response.status_code == 409
    assert f"changed by {manager}" in html
    assert "nothing was approved" in html
    assert not PublicationPlan.objects.get().is_approved
    # Having now seen the plan as it is, she may approve it.
    fresh = _version_on(html)
    response = client.post(reverse("publication:approve", args=[reference]), {"version": fresh})
    assert response.status_code == 302
    assert PublicationPlan.objects.get().approved_by == chair


def test_approving_first_names_the_form_the_date_and_the_rationale(
    client, at_publication, manager, chair
):
    plan = _plan(
        at_publication,
        manager,
        form=PublicationPlan.Form.SUMMARY,
        days=50,
        rationale="The family asked that only a summary be published.",
    )
    reference = at_publication.reference
    client.force_login(chair)
    plan_page = client.get(reverse("publication:plan", args=[reference])).content.decode()
    url = reverse("publication:approve", args=[reference])
    assert f'href="{url}"' in plan_page
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Publish an executive summary only" in page
    assert f"{plan.planned_on:%-d %B %Y}" in page
    assert "The family asked that only a summary be published." in page
    assert "You cannot undo this" in page
    assert not PublicationPlan.objects.get().is_approved
    response = client.post(url, {"version": _version_on(page)})
    assert response.status_code == 302
    assert PublicationPlan.objects.get().approved_by == chair
    # Once approved, there is nothing left to approve.
    assert client.get(url).status_code == 403


def test_two_tabs_on_the_plan_the_second_save_is_refused_and_kept(client, at_publication, manager):
    _plan(at_publication, manager)
    url = reverse("publication:plan_edit", args=[at_publication.reference])
    client.force_login(manager)
    seen = _version_on(client.get(url).content.decode())
    _plan(at_publication, manager, days=90)  # the other tab saves first
    planned = timezone.localdate() + timedelta(days=45)
    response = client.post(
        url,
        {
            "form": "summary",
            "rationale": "A sibling could be identified from the full report.",
            "planned_on_0": planned.day,
            "planned_on_1": planned.month,
            "planned_on_2": planned.year,
            "version": seen,
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "A sibling could be identified from the full report." in html
    plan = PublicationPlan.objects.get()
    assert plan.form == PublicationPlan.Form.FULL
    assert plan.planned_on == timezone.localdate() + timedelta(days=90)


def test_whoever_last_changed_the_plan_cannot_approve_it(at_publication, chair):
    plan = _plan(at_publication, chair)  # say the chair had edited it (through the shell)
    with pytest.raises(ValidationError, match="another person must approve it"):
        publication_approve(review=at_publication, actor=chair)
    plan.refresh_from_db()
    assert not plan.is_approved
