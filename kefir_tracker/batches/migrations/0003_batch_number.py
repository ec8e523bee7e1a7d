"""Store "batch N of these grains" on each batch, numbered as the pages showed it
until now (in start order per culture), so that it never changes again."""

from django.db import migrations, models


def number_existing_batches(apps, schema_editor):
    Batch = apps.get_model("batches", "Batch")
    numbered, culture_id, n = [], None, 0
    for batch in Batch.objects.order_by("culture_id", "started_at", "id").only(
        "culture_id", "started_at"
    ).iterator(chunk_size=2000):
        n = n + 1 if batch.culture_id == culture_id else 1
        culture_id, batch.number = batch.culture_id, n
        numbered.append(batch)
        if len(numbered) >= 2000:
            Batch.objects.bulk_update(numbered, ["number"])
            numbered = []
    Batch.objects.bulk_update(numbered, ["number"])


class Migration(migrations.Migration):
    dependencies = [("batches", "0002_fermenting_index")]

    operations = [
        migrations.AddField(
            model_name="batch",
            name="number",
            field=models.PositiveIntegerField(null=True, editable=False),
        ),
        migrations.RunPython(number_existing_batches, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="batch",
            name="number",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="batch",
            constraint=models.UniqueConstraint(
                fields=("culture", "number"),
                name="batch_number_unique_per_culture",
                violation_error_message="These grains already have a batch with this number.",
            ),
        ),
        migrations.AddConstraint(
            model_name="batch",
            constraint=models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=1_000_000),
                name="batch_number_positive",
                violation_error_message="A batch number is from 1 to 1,000,000.",
            ),
        ),
    ]
