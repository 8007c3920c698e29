"""The board manager keeps the public site (a publication's themes, its removal) and the list
of themes; the chair sees what is published, since when and what was removed."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Board manager": [
        "view_publication",
        "change_publication",
        "view_theme",
        "add_theme",
        "change_theme",
    ],
    "Chair": ["view_publication", "view_theme"],
}


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
                content_type__app_label="publication", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        Group.objects.get(name=role).permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="publication", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0008_seed_themes"),
        ("reviews", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
