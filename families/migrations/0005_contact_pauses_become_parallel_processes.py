"""Each pause of contact with a family becomes the parallel process that causes it: criminal
proceedings, with the police's request as its contact, pausing contact with the family, ended
on the day the pause was lifted. The family's records read the running processes from now on
(reviews.selectors.parallel), so the pause has no flag of its own."""

from django.db import migrations
from django.utils import timezone

_REASON = "moved from the pause of contact with the family"


def _as_process(pause) -> dict:
    """A pause's fields (or one of its history rows') as the process's."""
    return {
        "review_id": pause.review_id,
        "kind": "criminal",
        "description": pause.reason,
        "contact_organisation": "Police",
        "contact_name": pause.requested_by,
        "started_on": pause.requested_on,
        "pauses_family_contact": True,
        "ended_on": pause.lifted_on,
        "outcome": "The pause of contact with the family was lifted." if pause.lifted_on else "",
        "created_by_id": pause.created_by_id,
    }


def pauses_to_processes(apps, schema_editor):
    ContactPause = apps.get_model("families", "ContactPause")
    HistoricalContactPause = apps.get_model("families", "HistoricalContactPause")
    ParallelProcess = apps.get_model("reviews", "ParallelProcess")
    HistoricalParallelProcess = apps.get_model("reviews", "HistoricalParallelProcess")
    for pause in ContactPause.objects.order_by("id"):
        rows = list(
            HistoricalContactPause.objects.filter(id=pause.pk).order_by("history_date", "history_id")
        )
        lifted_by = next((row.history_user_id for row in rows[::-1] if row.lifted_on), None)
        process = ParallelProcess.objects.create(
            **_as_process(pause),
            ended_by_id=(lifted_by or pause.created_by_id) if pause.lifted_on else None,
        )
        # A migration's models write no history of their own: the pause's history is copied
        # across, as the process's, then the move itself is recorded.
        for row in rows:
            HistoricalParallelProcess.objects.create(
                **_as_process(row),
                id=process.pk,
                created_at=process.created_at,
                ended_by_id=row.history_user_id if row.lifted_on else None,
                history_date=row.history_date,
                history_type=row.history_type,
                history_change_reason=f"{row.history_change_reason or 'changed'} "
                "(as a pause of contact with the family)",
                history_user_id=row.history_user_id,
            )
        HistoricalParallelProcess.objects.create(
            **{
                f.attname: getattr(process, f.attname)
                for f in ParallelProcess._meta.concrete_fields
            },
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=_REASON,
            history_user_id=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0004_relationships_partner_and_child"),
        ("reviews", "0029_parallel_process_clock_and_timeline"),
    ]

    # Going back leaves the processes (they are the record now) and the pauses as they were.
    operations = [migrations.RunPython(pauses_to_processes, migrations.RunPython.noop)]
