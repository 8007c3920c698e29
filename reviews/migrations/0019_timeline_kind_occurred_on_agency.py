"""The timeline's lines gain a kind (to filter by), the day the thing happened (as the person
recording it gave it) and the one agency an event is about (so that other agencies' leads do
not see it).

Lines recorded before are filled in from what they say: every summary the services have
written is recognised. A stage change is a milestone; the decision's and the referral's dates
come from those records, a notification's or a rapid review's from the review, a meeting's or a
notice's from the summary, and an agency put in or taken out of scope is found by its name.
The same values go into the history rows of each line (the columns are new: nothing recorded
before is changed).
"""

from datetime import datetime

from django.db import migrations, models
from django.db.models.deletion import PROTECT

_EVENTS = (
    # (how the summary starts or ends, kind)
    ("Access granted to ", "access"),
    ("Access withdrawn from ", "access"),
    ("National bodies notified", "referral"),
    ("Rapid review recorded", "referral"),
    ("Panel meeting of ", "panel"),
    ("Terms of reference ", "panel"),
    ("Draft ", "overview"),
    ("Comments on draft ", "overview"),
    ("Publication plan", "publication"),
    ("Report sent to the national bodies", "publication"),
)
def _day_at_end(summary: str):
    """The date a summary ends with ("… on 3 May 2026", "… of 3 May 2026"), if it parses."""
    words = summary.split()
    try:
        return datetime.strptime(" ".join(words[-3:]), "%d %B %Y").date()
    except ValueError:
        return None


class _Derive:
    """Works out kind, occurred_on and agency for a line, looking up what it needs once."""

    def __init__(self, apps):
        self.Review = apps.get_model("reviews", "Review")
        self.Decision = apps.get_model("reviews", "ThresholdDecision")
        self.RapidReview = apps.get_model("reviews", "RapidReview")
        self.agencies = {a.name: a.pk for a in apps.get_model("agencies", "Agency").objects.all()}

    def review_value(self, review_id, field):
        return self.Review.objects.filter(pk=review_id).values_list(field, flat=True).first()

    def __call__(self, row) -> dict:
        summary = row.summary
        if row.to_stage:
            occurred_on = None
            if row.to_stage == "referral" and not row.from_stage:
                occurred_on = self.review_value(row.review_id, "referred_on")
            elif row.from_stage == "referral":
                occurred_on = (
                    self.Decision.objects.filter(review_id=row.review_id)
                    .values_list("decided_on", flat=True)
                    .first()
                )
            return {"kind": "stage", "occurred_on": occurred_on, "agency_id": None}
        for start, kind in _EVENTS:
            if summary.startswith(start):
                return {"kind": kind, "occurred_on": self._day(row, start), "agency_id": None}
        agency_id = None
        for ending in (" put in scope", " taken out of scope"):
            if summary.endswith(ending):
                agency_id = self.agencies.get(summary[: -len(ending)])
        # Every other event the services wrote is the panel's: a person seated, not seated or
        # removed, the author appointed, an agency put in or taken out of scope.
        return {"kind": "panel", "occurred_on": None, "agency_id": agency_id}

    def _day(self, row, start):
        if start == "National bodies notified":
            return self.review_value(row.review_id, "national_bodies_notified_on")
        if start == "Rapid review recorded":
            return (
                self.RapidReview.objects.filter(review_id=row.review_id)
                .values_list("held_on", flat=True)
                .first()
            )
        if start in ("Panel meeting of ", "Report sent to the national bodies"):
            return _day_at_end(row.summary)
        return None


def fill_in(apps, schema_editor):
    derive = _Derive(apps)
    for name in ("StageTransition", "HistoricalStageTransition"):
        model = apps.get_model("reviews", name)
        rows = list(model.objects.all())
        for row in rows:
            for field, value in derive(row).items():
                setattr(row, field, value)
        model.objects.bulk_update(rows, ["kind", "occurred_on", "agency_id"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0007_history_reason_text"),
        ("reviews", "0018_handoff_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalstagetransition",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="agencies.agency",
            ),
        ),
        migrations.AddField(
            model_name="historicalstagetransition",
            name="kind",
            field=models.CharField(
                choices=[
                    ("stage", "Stage changes"),
                    ("referral", "Referral, notification and rapid review"),
                    ("panel", "Panel, author and terms of reference"),
                    ("access", "Access changes"),
                    ("reports", "Management reports"),
                    ("overview", "Overview report"),
                    ("publication", "Publication"),
                ],
                default="stage",
                max_length=16,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalstagetransition",
            name="occurred_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="stagetransition",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=PROTECT,
                related_name="+",
                to="agencies.agency",
            ),
        ),
        migrations.AddField(
            model_name="stagetransition",
            name="kind",
            field=models.CharField(
                choices=[
                    ("stage", "Stage changes"),
                    ("referral", "Referral, notification and rapid review"),
                    ("panel", "Panel, author and terms of reference"),
                    ("access", "Access changes"),
                    ("reports", "Management reports"),
                    ("overview", "Overview report"),
                    ("publication", "Publication"),
                ],
                default="stage",
                max_length=16,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="stagetransition",
            name="occurred_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
