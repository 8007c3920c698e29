"""Board managers manage agencies and people (issue: panel convening, agencies and access)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "agencies.add_agency",
    "agencies.change_agency",
    "agencies.view_agency",
    "agencies.add_user",
    "agencies.change_user",
    "agencies.view_user",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.get(name="Board manager")
    Permission = apps.get_model("auth", "Permission")
    for perm in PERMISSIONS:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.get(name="Board manager")
    codenames = [perm.split(".")[1] for perm in PERMISSIONS if perm != "agencies.view_agency"]
    group.permissions.remove(*group.permissions.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_agency_leads_group"),
        ("reviews", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
