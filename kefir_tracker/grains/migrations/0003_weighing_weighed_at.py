"""Weighings get a time: ``weighed_on`` (a day) becomes ``weighed_at`` (a moment).

A day weighed before this had no time, so it becomes noon of that day in the
owner's time zone (never later than now), the time an old export's date-only
weighing is given when imported.
"""

import zoneinfo
from datetime import datetime, time

import django.utils.timezone
from django.db import migrations, models

NOON = time(12)


def noon_in_owners_zone(apps, schema_editor):
    Weighing = apps.get_model("grains", "Weighing")
    now = django.utils.timezone.now()
    zones = {}
    changed = []
    for weighing in Weighing.objects.select_related("culture__owner").iterator(chunk_size=2000):
        name = weighing.culture.owner.time_zone
        zone = zones.setdefault(name, zoneinfo.ZoneInfo(name))
        weighing.weighed_at = min(datetime.combine(weighing.weighed_on, NOON, zone), now)
        changed.append(weighing)
        if len(changed) >= 2000:
            Weighing.objects.bulk_update(changed, ["weighed_at"])
            changed = []
    Weighing.objects.bulk_update(changed, ["weighed_at"])


def day_again(apps, schema_editor):
    Weighing = apps.get_model("grains", "Weighing")
    changed = []
    for weighing in Weighing.objects.select_related("culture__owner").iterator(chunk_size=2000):
        zone = zoneinfo.ZoneInfo(weighing.culture.owner.time_zone)
        weighing.weighed_on = weighing.weighed_at.astimezone(zone).date()
        changed.append(weighing)
    Weighing.objects.bulk_update(changed, ["weighed_on"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("grains", "0002_rest_milk_changed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="weighing",
            name="weighed_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AlterField(
            model_name="weighing",
            name="weighed_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(noon_in_owners_zone, day_again, elidable=True),
        migrations.RemoveIndex(model_name="weighing", name="weighing_culture_date"),
        migrations.RemoveField(model_name="weighing", name="weighed_on"),
        migrations.AlterField(
            model_name="weighing",
            name="weighed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterModelOptions(
            name="weighing",
            options={"ordering": ["-weighed_at", "-id"]},
        ),
        migrations.AddIndex(
            model_name="weighing",
            index=models.Index(fields=["culture", "weighed_at"], name="weighing_culture_time"),
        ),
    ]
