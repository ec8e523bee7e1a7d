from django.conf import settings
from django.db.models import Count
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from kefir_tracker.kitchens.models import Kitchen


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def delete_kitchens_only_they_were_in(sender, instance, **kwargs):
    """A deleted account takes the kitchens nobody else is in with it (their grains and
    batches, as before kitchens); a shared kitchen stays with its other members."""
    alone = (
        Kitchen.objects.for_user(instance).annotate(members=Count("memberships")).filter(members=1)
    )
    Kitchen.objects.filter(pk__in=list(alone.values_list("pk", flat=True))).delete()
