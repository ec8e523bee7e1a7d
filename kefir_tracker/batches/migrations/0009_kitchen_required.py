import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("batches", "0008_kitchen_and_people"),
        ("kitchens", "0002_own_kitchens"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="batch", name="batch_history"),
        migrations.RemoveIndex(model_name="batch", name="batch_fermenting"),
        migrations.RemoveIndex(model_name="batch", name="batch_undo"),
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
    ]
