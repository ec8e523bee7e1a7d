import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grains", "0005_kitchen"),
        ("kitchens", "0002_own_kitchens"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="culture", name="culture_name_unique_per_owner"),
        migrations.AlterField(
            model_name="culture",
            name="kitchen",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="cultures",
                to="kitchens.kitchen",
            ),
        ),
        migrations.AddConstraint(
            model_name="culture",
            constraint=models.UniqueConstraint(
                models.F("kitchen"),
                django.db.models.functions.text.Lower("name"),
                name="culture_name_unique_per_kitchen",
                violation_error_message="You already have grains with this name.",
            ),
        ),
    ]
