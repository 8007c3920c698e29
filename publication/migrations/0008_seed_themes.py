"""The themes national analyses of serious case reviews keep finding (the triennial analyses
for the Department for Education, the NSPCC's learning from case reviews), so a board can tag
its first publication without building the list first. Each is written into the history as
seeded; the board manager adds and renames themes afterwards."""

from django.db import migrations
from django.db.models.functions import Lower
from django.utils import timezone

THEMES = [
    "Assessment",
    "Child sexual abuse",
    "Children with disabilities",
    "Disguised compliance",
    "Domestic abuse",
    "Early help",
    "Emotional abuse",
    "Escalation",
    "Exploitation",
    "Fabricated or induced illness",
    "Information sharing",
    "Men in the household",
    "Neglect",
    "Non-accidental injury in babies",
    "Online abuse",
    "Parental learning disability",
    "Parental mental health",
    "Physical abuse",
    "Professional curiosity",
    "Safer sleeping",
    "Self-harm and suicide",
    "Substance misuse",
    "Supervision of practitioners",
    "Teenagers and young people",
    "The voice of the child",
]


def seed(apps, schema_editor):
    Theme = apps.get_model("publication", "Theme")
    HistoricalTheme = apps.get_model("publication", "HistoricalTheme")
    existing = set(Theme.objects.annotate(key=Lower("name")).values_list("key", flat=True))
    now = timezone.now()
    for name in THEMES:
        if name.lower() in existing:
            continue
        theme = Theme.objects.create(name=name)
        HistoricalTheme.objects.create(
            id=theme.pk,
            name=name,
            history_date=now,
            history_type="+",
            history_change_reason="seeded",
        )


def unseed(apps, schema_editor):
    Theme = apps.get_model("publication", "Theme")
    Theme.objects.filter(name__in=THEMES, publications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("publication", "0007_theme_history")]

    operations = [migrations.RunPython(seed, unseed)]
