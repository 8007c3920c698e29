"""Create the role groups and give each its global permissions (DESIGN.md §2).

Object permissions (panel seats, authors, agencies in scope) are granted by services later;
here are only the permissions a role holds over every review.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Board manager": [
        "reviews.add_review",
        "reviews.change_review",
        "reviews.view_review",
        "reviews.view_subject_identity",
        "agencies.view_agency",
    ],
    "Chair": [
        "reviews.view_review",
        "reviews.record_decision",
        "reviews.view_subject_identity",
        "agencies.view_agency",
    ],
    "Independent author": [],
    "Panel member": [],
    "Agency lead": [],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("agencies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
