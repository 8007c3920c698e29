"""Report requests made before the outbox were emailed to their agency's leads of the day by a
task: record those emails as sent, so that the outbox's catch-up (which emails a request to
leads who have not had it) does not send them again. Leads who were not emailed then, because
they were not leads yet, get the request from the catch-up."""

from django.db import migrations

KIND = "reviews.report_requested"


def record(apps, schema_editor):
    ReportRequest = apps.get_model("reviews", "ReportRequest")
    User = apps.get_model("agencies", "User")
    Email = apps.get_model("outbox", "Email")
    rows = []
    for report in ReportRequest.objects.filter(status="requested").iterator():
        leads = User.objects.filter(
            is_active=True,
            groups__name="Agency lead",
            agency_id=report.agency_id,
            date_joined__lte=report.requested_at,
        ).distinct()
        rows += [
            Email(
                kind=KIND,
                recipient=lead,
                key=f"report:{report.pk}",
                context={"report": report.pk},
                status="sent",
                sent_at=report.requested_at,
                last_error="",
            )
            for lead in leads
        ]
    Email.objects.bulk_create(rows, ignore_conflicts=True)


def forget(apps, schema_editor):
    apps.get_model("outbox", "Email").objects.filter(kind=KIND, attempts=0, status="sent").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0013_form_submissions_once"),
        ("outbox", "0001_email"),
        ("agencies", "0007_history_reason_text"),
    ]

    operations = [migrations.RunPython(record, forget)]
