import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def person(verbose_name):
    return models.ForeignKey(
        blank=True,
        editable=False,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("batches", "0008_today_indexes"),
        ("grains", "0005_kitchen"),
        ("kitchens", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Empty until kitchens.0002 puts every batch into its owner's kitchen.
        migrations.AddField(
            model_name="batch",
            name="kitchen",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="batches",
                to="kitchens.kitchen",
            ),
        ),
        migrations.AddField(model_name="batch", name="strained_by", field=person("strained by")),
        migrations.AddField(model_name="batch", name="bottled_by", field=person("bottled by")),
        migrations.AddField(
            model_name="batch", name="finished_by", field=person("second ferment finished by")
        ),
        migrations.AddField(model_name="batch", name="discarded_by", field=person("discarded by")),
        migrations.AddField(model_name="tastingnote", name="author", field=person("tasted by")),
        migrations.AlterField(
            model_name="batch",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="batches",
                to=settings.AUTH_USER_MODEL,
                verbose_name="started by",
            ),
        ),
    ]
