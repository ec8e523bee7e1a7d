import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_reminder_choices"),
        ("kitchens", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="current_kitchen",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="kitchens.kitchen",
            ),
        ),
    ]
