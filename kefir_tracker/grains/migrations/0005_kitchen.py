import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grains", "0004_status_changes"),
        ("kitchens", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Empty until kitchens.0002 puts every culture into its owner's kitchen.
        migrations.AddField(
            model_name="culture",
            name="kitchen",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="cultures",
                to="kitchens.kitchen",
            ),
        ),
        migrations.AlterField(
            model_name="culture",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="cultures",
                to=settings.AUTH_USER_MODEL,
                verbose_name="added by",
            ),
        ),
    ]
