"""Publishing the approved version: refused for each check that does not hold at that moment,
then done once; and the gate that says whether a review's publication is done."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from publication.anonymise import MASK
from publication.document_services import public_pdf_kinds
from publication.models import Publication, RenderedDocument
from publication.publishing import publication_publish
from publication.rendering import publication_source
from publication.selectors import publication_done
from publication.services import publication_approve, publication_notice_record
from publication.versions import (
    publication_version_correct,
    publication_version_make,
    version_writing_form,
)
from reviews.models import ParallelProcess
from reviews.services.parallel import parallel_process_end, parallel_process_record
from tests.factories import FamilyMemberFactory, PseudonymEntryFactory, ThemeFactory
from tests.publication.conftest import plan_save

pytestmark = pytest.mark.django_db


def _on(day):
    """Noon on ``day``, local time: the day the board manager publishes."""
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


def _approved(agreed, manager, chair, *, notice=True):
    """Plan, a version without the worker's name, the chair's approval and the notice sent
    today; returns the plan."""
    review = agreed.review
    plan = plan_save(review, manager)
    made = publication_version_make(review=review, actor=manager, title="Child A")
    shown = version_writing_form(made, review)
    publication_version_correct(
        review=review,
        actor=manager,
        title=shown["title"],
        summary=shown["summary"],
        body=shown["body"].replace(MASK, "the police officer"),
        version=made.number,
    )
    publication_approve(review=review, actor=chair)
    if notice:
        publication_notice_record(review=review, actor=manager, sent_on=timezone.localdate())
    plan.refresh_from_db()
    return plan


def _publish(review, manager, themes=()):
    return publication_publish(review=review, actor=manager, themes=list(themes))


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("approval", "The chair has not approved the plan"),
        ("family", "shown the report before publication"),
        ("notice", "Record the report sent to the national bodies"),
        ("late_notice", "move the planned publication date"),
        ("date", "has not come yet"),
        ("hit", "1 hit of the identifier check is not resolved"),
    ],
)
def test_publishing_is_refused_for_each_check_that_does_not_hold(
    agreed, manager, chair, missing, message
):
    review = agreed.review
    plan = _approved(agreed, manager, chair, notice=missing not in ("notice", "late_notice"))
    if missing == "approval":
        publication_version_make(review=review, actor=manager, title="Child A")
    elif missing == "family":
        FamilyMemberFactory(review=review, name="Alex Example")
    elif missing == "hit":
        PseudonymEntryFactory(review=review, real_value="Canary Primary", replacement="a school")
    day = plan.planned_on - timedelta(days=1) if missing == "date" else plan.planned_on
    with _on(day):
        if missing == "late_notice":
            publication_notice_record(review=review, actor=manager, sent_on=day)
        with pytest.raises(ValidationError) as refused:
            _publish(review, manager)
    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert not Publication.objects.exists()
    assert publication_done(review) == ["The report has not been published"]


def test_publishing_once_every_check_holds_and_only_once(agreed, manager, chair):
    review = agreed.review
    plan = _approved(agreed, manager, chair)
    neglect = ThemeFactory(name="Neglect")
    with _on(plan.planned_on):
        publication = _publish(review, manager, themes=[neglect])
        with pytest.raises(ValidationError, match="published already"):
            _publish(review, manager)
    assert publication.version == plan.approved_version
    assert publication.listed_until == plan.planned_on + relativedelta(months=12)
    assert list(publication.themes.all()) == [neglect]
    assert {row.history_user for row in publication.history.all()} == {manager}
    assert review.transitions.filter(summary__startswith="Report published").exists()
    review.refresh_from_db()
    assert review.stage == review.Stage.PUBLICATION
    assert publication_done(review) == []
    # Its public PDFs are asked for at once, so the first reader does not wait.
    kinds = public_pdf_kinds(publication.version)
    keys = {publication_source(version=publication.version, kind=kind).key for kind in kinds}
    asked = RenderedDocument.objects.filter(review=review, source_key__in=keys)
    assert set(asked.values_list("kind", flat=True)) == set(kinds)


def test_a_process_holding_publication_refuses_it_until_the_process_ends(
    client, agreed, manager, chair
):
    review = agreed.review
    plan = _approved(agreed, manager, chair)
    inquest = parallel_process_record(
        review=review,
        actor=manager,
        kind=ParallelProcess.Kind.INQUEST,
        contact_organisation="Northshire Coroner's Office",
        contact_name="Coroner's officer",
        started_on=timezone.localdate(),
        holds_publication=True,
    )
    held = f"The report is held while an inquest runs, since {timezone.localdate():%-d %B %Y}"
    with _on(plan.planned_on):
        client.force_login(manager)  # on the day: a session from a month before has expired
        with pytest.raises(ValidationError) as refused:
            _publish(review, manager)
        assert held in refused.value.messages
        for name in ("publication:publish", "publication:plan"):
            page = client.get(reverse(name, args=[review.reference])).content.decode()
            assert held in page, name
        parallel_process_end(
            process=inquest, actor=manager, ended_on=plan.planned_on, outcome="Concluded."
        )
        assert (
            "The report is held"
            not in client.get(reverse("publication:plan", args=[review.reference])).content.decode()
        )
        publication = _publish(review, manager)
    assert publication.version == plan.approved_version


def test_a_plan_not_to_publish_is_done_once_approved(agreed, manager, chair):
    review = agreed.review
    plan_save(review, manager, form="none", rationale="The family asked us not to.")
    assert publication_done(review) == [
        "The chair has not approved the decision not to publish the report"
    ]
    plan = publication_approve(review=review, actor=chair)
    assert plan.approved_version is None
    assert publication_done(review) == []
    with pytest.raises(ValidationError, match="not to publish"):
        _publish(review, manager)
