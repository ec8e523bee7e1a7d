"""What the pages read of one person's data, remembered until that data changes.

Every save or delete of a culture, weighing, batch or tasting note gives its
owner a new ``User.data_version`` (a random number) in the same transaction
(their models save inside one, see ``OwnersData``; deletes always run in
one); the receivers are connected for each model in ``watch``. The authentication
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
    """Base of the models ``watch``ed: a save and its owner's new data version
    commit together, or neither does."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)


def watch(model, owners, link: str) -> None:
    """Every save or delete of a ``model`` changes the version of ``owners(instance)``,
    a Q on User (a lookup through a relation, so no row is fetched to find the owner).

    A save that moves the object to someone else (a new ``link``, the foreign key
    that leads to the owner, changed in the admin) changes the previous owner's
    version too: the stored row is read first. Saves that name their
    ``update_fields`` without ``link`` cannot move it and skip that read.
    """
    uid = f"owner_cache:{model._meta.label}"
    nobody = Q(pk__in=[])

    def before_save(sender, instance, update_fields=None, **kwargs):
        instance._owners_before = nobody
        may_move = update_fields is None or {link, f"{link}_id"} & set(update_fields)
        if instance.pk is None or not may_move:
            return
        stored = sender._base_manager.filter(pk=instance.pk).first()
        if stored is not None:
            instance._owners_before = owners(stored)

    def after_save(sender, instance, **kwargs):
        data_changed(owners(instance) | instance.__dict__.pop("_owners_before", nobody))

    def after_delete(sender, instance, **kwargs):
        data_changed(owners(instance))

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=uid)
