"""The board's response: the board manager drafts it and records it agreed; the chair reads it
at every step (others read it once agreed: publication.permissions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Board manager": ["view_boardresponse", "change_boardresponse"],
    "Chair": ["view_boardresponse"],
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
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="publication", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0013_board_response"),
        ("reviews", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
