from django.db import migrations, models


class Migration(migrations.Migration):
    """Today's two indexes (0008_today_indexes) go by kitchen, as the others did in
    0009_kitchen_required; also where the two lines of migrations meet."""

    dependencies = [
        ("batches", "0008_today_indexes"),
        ("batches", "0009_kitchen_required"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="batch", name="batch_strained"),
        migrations.RemoveIndex(model_name="batch", name="batch_in_bottles"),
        migrations.AddIndex(
            model_name="batch",
            index=models.Index(
                condition=models.Q(
                    ("bottled_at__isnull", True),
                    ("discarded", False),
                    ("strained_at__isnull", False),
                ),
                fields=["kitchen", "strained_at"],
                name="batch_kitchen_strained",
            ),
        ),
        migrations.AddIndex(
            model_name="batch",
            index=models.Index(
                condition=models.Q(
                    ("bottled_at__isnull", False),
                    ("discarded", False),
                    ("finished_at__isnull", True),
                ),
                fields=["kitchen", "bottled_at"],
                name="batch_kitchen_in_bottles",
            ),
        ),
    ]
