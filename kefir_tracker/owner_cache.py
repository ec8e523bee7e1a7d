"""What the pages read of one person's data, remembered until that data changes.

Every save or delete of a culture, weighing, batch or tasting note (the
subclasses of ``OwnersData``) gives its owner a new ``User.data_version`` (a
random number) in the same transaction. The authentication
middleware loads the signed-in user, and so the version, fresh from the
database on every request. A read remembered under (owner, version, what was
asked) is therefore exactly what the database held at that version: never
stale, and never someone else's, since the owner's id is part of the key.

Only GET and HEAD requests use it: a POST has just changed data it may show.
Each worker process keeps its own copy in memory (the "reads" cache); a
worker that has not seen a version reads the database once.

Writes that bypass model signals (``QuerySet.update()``, ``bulk_create()``)
must call ``data_changed`` themselves.
"""

import hashlib
import secrets

from django.core.cache import caches
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

TIMEOUT = 24 * 3600
_MISSING = object()


def new_version() -> int:
    return secrets.randbits(62)


def remember(request, name: str, parts: tuple, compute):
    """``compute()``, or what it returned for the same signed-in person, data
    version, ``name`` and ``parts`` (everything else the answer depends on:
    filters, page, the date of a time window)."""
    user = request.user
    if request.method not in ("GET", "HEAD") or not user.is_authenticated:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{user.pk}:{user.data_version}:{digest}"
    cache = caches["reads"]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def data_changed(owners: Q) -> None:
    """Give the users matched by ``owners`` a new data version."""
    from kefir_tracker.accounts.models import User

    User.objects.filter(owners).update(data_version=new_version())


class OwnersData(models.Model):
    """Base of the models whose every save or delete gives their owner a new data
    version. Each says which foreign key leads to the owner (``owner_link``) and
    which users own a row (``owners_of``, a Q on User through that relation, so no
    row is fetched to find the owner). A save and the new version commit together,
    or neither does; deletes always run in a transaction.
    """

    owner_link: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)

    def owners_of(self) -> Q:
        raise NotImplementedError


NOBODY = Q(pk__in=[])

# Connected for every model (saves of sessions and the like stop at the isinstance
# test), so that no subclass of OwnersData can be left out.


@receiver(pre_save)
def _before_save(sender, instance, update_fields=None, **kwargs):
    """A save that moves the row to someone else (a new ``owner_link`` in the admin)
    changes the previous owner's version too, so the stored row is read first; saves
    naming ``update_fields`` without that link cannot move it and skip the read."""
    if not isinstance(instance, OwnersData):
        return
    instance._owners_before = NOBODY
    link = instance.owner_link
    may_move = update_fields is None or {link, f"{link}_id"} & set(update_fields)
    if instance.pk is not None and may_move:
        stored = sender._base_manager.filter(pk=instance.pk).first()
        if stored is not None:
            instance._owners_before = stored.owners_of()


@receiver(post_save)
def _after_save(sender, instance, **kwargs):
    if isinstance(instance, OwnersData):
        data_changed(instance.owners_of() | instance.__dict__.pop("_owners_before", NOBODY))


@receiver(post_delete)
def _after_delete(sender, instance, **kwargs):
    if isinstance(instance, OwnersData):
        data_changed(instance.owners_of())
