"""The pauses of contact with a family, as they were kept before parallel processes, become
criminal proceedings that pause contact, ended when the pause was lifted, their history kept."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from families.selectors import family_pause_in_force
from reviews.models import ParallelProcess
from tests.factories import ReviewFactory, UserFactory

BEFORE = [("families", "0004_relationships_partner_and_child")]
AFTER = [("families", "0006_contact_pause_removed")]


def _migrate(targets=None):
    """Migrate to ``targets`` (the latest migrations when None); the apps as they stand then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_pause_becomes_criminal_proceedings_that_pause_contact(manager):
    review, lifter = ReviewFactory(created_by=manager), UserFactory()
    try:
        old = _migrate(BEFORE)
        pause_model = old.get_model("families", "ContactPause")
        history = old.get_model("families", "HistoricalContactPause")
        fields = {"review_id": review.pk, "created_by_id": manager.pk, "reason": "A trial."}
        running = pause_model.objects.create(
            **fields, requested_on=date(2026, 3, 2), requested_by="DS Invented"
        )
        lifted = pause_model.objects.create(
            **fields,
            requested_on=date(2026, 1, 5),
            requested_by="DC Other",
            lifted_on=date(2026, 2, 1),
        )
        for pause, user, reason in (
            (running, manager, "contact paused at the police's request"),
            (lifted, lifter, "contact pause lifted"),
        ):
            history.objects.create(
                id=pause.pk,
                review_id=review.pk,
                reason=pause.reason,
                requested_on=pause.requested_on,
                requested_by=pause.requested_by,
                lifted_on=pause.lifted_on,
                created_by_id=manager.pk,
                created_at=pause.created_at,
                history_date=timezone.now(),
                history_type="+",
                history_user_id=user.pk,
                history_change_reason=reason,
            )
        _migrate(AFTER)
    finally:
        _migrate()

    now_running, ended = ParallelProcess.objects.filter(review=review).order_by("-started_on")
    assert now_running.kind == ended.kind == ParallelProcess.Kind.CRIMINAL
    assert (now_running.contact_organisation, now_running.contact_name) == ("Police", "DS Invented")
    assert now_running.description == "A trial."
    assert now_running.pauses_family_contact
    assert not now_running.stops_clock
    assert now_running.is_running
    assert (ended.started_on, ended.ended_on, ended.ended_by) == (
        date(2026, 1, 5),
        date(2026, 2, 1),
        lifter,
    )
    assert family_pause_in_force(review=review).processes == [now_running]
    reasons = list(ended.history.values_list("history_change_reason", "history_user"))
    assert reasons == [
        ("moved from the pause of contact with the family", None),
        ("contact pause lifted (as a pause of contact with the family)", lifter.pk),
    ]
