"""One colony ferments one batch at a time. Grains that were logged as fermenting
two or more batches at once had, in the kitchen, moved on to the next: each such
batch is taken as strained when the next batch of the same grains started."""

from django.db import migrations, models


def strain_when_the_next_started(apps, schema_editor):
    Batch = apps.get_model("batches", "Batch")
    fermenting = Batch.objects.filter(strained_at__isnull=True, discarded=False)
    doubled = (
        fermenting.values("culture").annotate(n=models.Count("id")).filter(n__gt=1).values("culture")
    )
    for culture_id in doubled.values_list("culture", flat=True):
        batches = list(fermenting.filter(culture_id=culture_id).order_by("started_at", "id"))
        for batch, following in zip(batches, batches[1:]):
            batch.strained_at = max(following.started_at, batch.started_at)
            batch.save(update_fields=["strained_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("batches", "0004_discarded_at"),
    ]

    operations = [
        migrations.RunPython(strain_when_the_next_started, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="batch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("discarded", False), ("strained_at__isnull", True)),
                fields=("culture",),
                name="batch_one_fermenting_per_culture",
                violation_error_message="These grains are already fermenting a batch.",
            ),
        ),
    ]
