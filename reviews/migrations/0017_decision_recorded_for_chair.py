"""The board manager may record the chair's threshold decision on the chair's behalf.

A decision says who recorded it (``recorded_by``) beside the chair who made it, and, when they
differ, how the chair made it known (``communicated_via``). Every decision recorded before was
recorded by its chair. Board managers get the new permission.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import F

COMMUNICATION = [
    ("email", "By email"),
    ("meeting", "In a meeting"),
    ("call", "By telephone or video call"),
    ("letter", "By letter"),
]


def recorded_by_the_chair(apps, schema_editor):
    apps.get_model("reviews", "ThresholdDecision").objects.update(recorded_by=F("decided_by"))


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="Board manager").permissions.add(
        Permission.objects.get(
            content_type__app_label="reviews", codename="record_decision_for_chair"
        )
    )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.get(name="Board manager")
    group.permissions.remove(*group.permissions.filter(codename="record_decision_for_chair"))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0016_review_types_of_decided_reviews"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="review",
            options={
                "ordering": ["-referred_on", "-id"],
                "permissions": [
                    ("record_decision", "Can record a threshold decision"),
                    (
                        "record_decision_for_chair",
                        "Can record a chair's threshold decision on the chair's behalf",
                    ),
                    ("view_subject_identity", "Can see the real identity of a review's subject"),
                    ("view_panel", "Can see a review's panel, terms of reference and meetings"),
                    (
                        "manage_panel",
                        "Can seat panel members, set terms of reference and record meetings",
                    ),
                    ("appoint_author", "Can appoint the independent overview author"),
                ],
            },
        ),
        migrations.AddField(
            model_name="historicalthresholddecision",
            name="communicated_via",
            field=models.CharField(blank=True, choices=COMMUNICATION, max_length=16),
        ),
        migrations.AddField(
            model_name="historicalthresholddecision",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="thresholddecision",
            name="communicated_via",
            field=models.CharField(blank=True, choices=COMMUNICATION, max_length=16),
        ),
        migrations.AddField(
            model_name="thresholddecision",
            name="recorded_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(recorded_by_the_chair, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="thresholddecision",
            name="recorded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="thresholddecision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("communicated_via", ""), ("recorded_by", models.F("decided_by"))),
                    models.Q(
                        models.Q(("recorded_by", models.F("decided_by")), _negated=True),
                        models.Q(("communicated_via", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="decision_recorded_for_chair_says_how",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
