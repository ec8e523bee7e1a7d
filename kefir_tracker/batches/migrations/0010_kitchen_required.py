import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("batches", "0009_kitchen_and_people"),
        ("kitchens", "0002_own_kitchens"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="batch", name="batch_history"),
        migrations.RemoveIndex(model_name="batch", name="batch_fermenting"),
        migrations.RemoveIndex(model_name="batch", name="batch_undo"),
        migrations.RemoveIndex(model_name="batch", name="batch_strained"),
        migrations.RemoveIndex(model_name="batch", name="batch_in_bottles"),
        migrations.AlterField(
            model_name="batch",
            name="kitchen",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="batches",
                to="kitchens.kitchen",
            ),
        ),
        migrations.AddIndex(
            model_name="batch",
            index=models.Index(
                fields=["kitchen", "-started_at", "-id"], name="batch_kitchen_history"
            ),
        ),
        migrations.AddIndex(
            model_name="batch",
            index=models.Index(
                condition=models.Q(("discarded", False), ("strained_at__isnull", True)),
                fields=["kitchen", "started_at"],
                name="batch_kitchen_fermenting",
            ),
        ),
        migrations.AddIndex(
            model_name="batch",
            index=models.Index(fields=["kitchen", "last_action_at"], name="batch_kitchen_undo"),
        ),
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
