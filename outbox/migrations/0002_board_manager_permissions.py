"""Board managers see the outbox and send failed emails again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["view_email", "change_email"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("outbox")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    # get_or_create: the role groups are made by reviews' 0002_roles, which may run after this.
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Board manager")
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="outbox", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Board manager").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="outbox", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("outbox", "0001_email"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
