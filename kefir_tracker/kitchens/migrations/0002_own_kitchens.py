"""Everyone's grains and batches move into a kitchen of their own, with them as its
owner; what was done to a batch was done by the only person who could see it."""

from django.db import migrations


def into_own_kitchens(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Kitchen = apps.get_model("kitchens", "Kitchen")
    Membership = apps.get_model("kitchens", "Membership")
    Culture = apps.get_model("grains", "Culture")
    Batch = apps.get_model("batches", "Batch")
    TastingNote = apps.get_model("batches", "TastingNote")
    for user in User.objects.filter(current_kitchen__isnull=True).order_by("pk"):
        name = f"{user.first_name or user.username}'s kitchen"[:80]
        kitchen = Kitchen.objects.create(name=name, created_at=user.date_joined)
        Membership.objects.create(
            kitchen=kitchen, user=user, role="owner", joined_at=user.date_joined
        )
        User.objects.filter(pk=user.pk).update(current_kitchen=kitchen)
        Culture.objects.filter(owner=user).update(kitchen=kitchen)
        batches = Batch.objects.filter(owner=user)
        batches.update(kitchen=kitchen)
        batches.filter(strained_at__isnull=False).update(strained_by=user)
        batches.filter(bottled_at__isnull=False).update(bottled_by=user)
        batches.filter(finished_at__isnull=False).update(finished_by=user)
        batches.filter(discarded=True).update(discarded_by=user)
        TastingNote.objects.filter(batch__owner=user).update(author=user)


def out_of_kitchens(apps, schema_editor):
    """Back: the kitchens go, and nothing that was in them (the links are cut first, so
    that deleting a kitchen cascades to nothing)."""
    apps.get_model("grains", "Culture").objects.update(kitchen=None)
    apps.get_model("batches", "Batch").objects.update(kitchen=None)
    apps.get_model("accounts", "User").objects.update(current_kitchen=None)
    apps.get_model("kitchens", "Kitchen").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kitchens", "0001_initial"),
        ("accounts", "0007_current_kitchen"),
        ("grains", "0005_kitchen"),
        ("batches", "0009_kitchen_and_people"),
    ]

    operations = [migrations.RunPython(into_own_kitchens, out_of_kitchens)]
