"""The board manager keeps the board's records: a review's audit trail, and the decisions on
reviews past the retention period."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {"Board manager": ["view_audit_trail", "decide_retention"]}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        Group.objects.get(name=role).permissions.add(
            *Permission.objects.filter(
                content_type__app_label="governance", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        Group.objects.get(name=role).permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="governance", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_retention_and_tombstones"),
        ("reviews", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
