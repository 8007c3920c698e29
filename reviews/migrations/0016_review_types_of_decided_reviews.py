"""Reviews decided before review types existed get the type their decision made them.

A review whose decision was a partnership review or a single-agency review becomes that type,
takes its type's reference (the next of its prefix in the year it was referred), keeps the old
one as ``former_reference`` (old links lead to it), and its open completion target moves from
the SCR's six months to its type's, keeping any extension or stop already added to it. Each
change is written into the record's history, with no person (the migration made it).

The prefixes and months are copied here as they were when this ran (reviews/frameworks.py may
change later; this migration must not).
"""

from dateutil.relativedelta import relativedelta
from django.db import migrations
from django.utils import timezone

TYPE_OF_OUTCOME = {"partnership_review": "partnership", "single_agency_review": "single_agency"}
PREFIX = {"partnership": "PR", "single_agency": "SAGR"}
LABEL = {"partnership": "partnership review", "single_agency": "single-agency review"}
MONTHS = {"statutory": 6, "partnership": 4, "single_agency": 3}


def _history(apps, model_name: str, record, reason: str) -> None:
    """Write the record as it now is into its history, as simple-history would."""
    Historical = apps.get_model("reviews", f"Historical{model_name}")
    values = {
        field.attname: getattr(record, field.attname)
        for field in Historical._meta.fields
        if not field.name.startswith("history_") and hasattr(record, field.attname)
    }
    Historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=reason,
        history_user=None,
    )


def _reference_take(apps, prefix: str, year: int) -> str:
    ReferenceCounter = apps.get_model("reviews", "ReferenceCounter")
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    counter.last_number += 1
    counter.save()
    _history(apps, "ReferenceCounter", counter, "reference taken: review types")
    return f"{prefix}-{year}-{counter.last_number:03d}"


def _move_target(apps, review, decided_on, months: int, reason: str) -> None:
    """Move the review's open completion target to ``months`` from the decision, keeping the
    days that extensions and stops have added to it."""
    Deadline = apps.get_model("reviews", "Deadline")
    deadline = Deadline.objects.filter(
        review=review, kind="review_complete", state="open"
    ).first()
    if deadline is None:
        return
    original = decided_on + relativedelta(months=months)
    deadline.due_on += original - deadline.original_due_on
    deadline.original_due_on = original
    deadline.save()
    _history(apps, "Deadline", deadline, reason)


def forwards(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    reviews = (
        Review.objects.filter(review_type="statutory", decision__outcome__in=TYPE_OF_OUTCOME)
        .select_related("decision")
        .order_by("referred_on", "id")
    )
    for review in reviews:
        review_type = TYPE_OF_OUTCOME[review.decision.outcome]
        former = review.reference
        review.reference = _reference_take(apps, PREFIX[review_type], review.referred_on.year)
        review.former_reference, review.review_type = former, review_type
        review.save()
        reason = f"Now a {LABEL[review_type]}: reference {review.reference}, formerly {former}"
        _history(apps, "Review", review, reason)
        _move_target(
            apps,
            review,
            review.decision.decided_on,
            MONTHS[review_type],
            f"completion target of a {LABEL[review_type]}: {MONTHS[review_type]} months",
        )


def backwards(apps, schema_editor):
    """Give each typed review back the reference it had, and the SCR's six-month target."""
    Review = apps.get_model("reviews", "Review")
    for review in Review.objects.exclude(former_reference="").select_related("decision"):
        review.reference, review.former_reference = review.former_reference, ""
        review.review_type = "statutory"
        review.save()
        _history(apps, "Review", review, "review types undone")
        _move_target(
            apps,
            review,
            review.decision.decided_on,
            MONTHS["statutory"],
            "review types undone: completion target of 6 months",
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0015_review_types")]

    operations = [migrations.RunPython(forwards, backwards)]
