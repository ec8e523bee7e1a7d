"""What people do with kitchens: invite, join, switch, leave, remove, rename, delete.

Each function checks who may do it (``PermissionDenied`` for a member asking what
only an owner may do) and validates before it writes, in one transaction.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kefir_tracker.kitchens.models import (
    INVITATION_LASTS,
    Invitation,
    Kitchen,
    Membership,
    Role,
    make_own_kitchen,
)
from kefir_tracker.tokens import new_code, token_hash

ONLY_OWNERS = "Only an owner of this kitchen can do that."


def current_membership(user) -> Membership | None:
    """``user``'s membership of the kitchen they are in now, with the kitchen."""
    return (
        Membership.objects.filter(user=user, kitchen_id=user.current_kitchen_id)
        .select_related("kitchen")
        .first()
    )


def owner_membership(user) -> Membership:
    membership = current_membership(user)
    if membership is None or not membership.is_owner:
        raise PermissionDenied(ONLY_OWNERS)
    return membership


def _move_to(user, kitchen) -> None:
    user.current_kitchen = kitchen
    get_user_model().objects.filter(pk=user.pk).update(current_kitchen=kitchen)


def switch(user, kitchen_id) -> Kitchen:
    """Make one of ``user``'s kitchens the one they are in now."""
    kitchen = Kitchen.objects.for_user(user).filter(pk=kitchen_id).first()
    if kitchen is None:
        raise Kitchen.DoesNotExist
    _move_to(user, kitchen)
    return kitchen


def _settle(user) -> None:
    """After ``user`` left (or lost) the kitchen they were in: into another of theirs,
    or a new one of their own when none is left (everyone has a kitchen)."""
    other = Membership.objects.filter(user=user).order_by("joined_at", "pk").first()
    if other is None:
        make_own_kitchen(user)
    else:
        _move_to(user, other.kitchen)


@transaction.atomic
def invite(user) -> tuple[Invitation, str]:
    """A new invitation into ``user``'s current kitchen; the code exists in full only here."""
    membership = owner_membership(user)
    code = new_code()
    now = timezone.now()
    invitation = Invitation.objects.create(
        kitchen=membership.kitchen,
        created_by=user,
        token_hash=token_hash(code),
        created_at=now,
        expires_at=now + INVITATION_LASTS,
    )
    return invitation, code


@transaction.atomic
def revoke(user, invitation_id) -> None:
    owner_membership(user)
    deleted, _ = Invitation.objects.for_user(user).open().filter(pk=invitation_id).delete()
    if not deleted:
        raise Invitation.DoesNotExist


@transaction.atomic
def accept(user, code) -> tuple[Kitchen, bool]:
    """Join the kitchen ``code`` invites into, and be in it now; (kitchen, joined) —
    joined is False for someone already a member, whose invitation stays unused."""
    invitation = Invitation.objects.opened_by(code).select_for_update(of=("self",)).first()
    if invitation is None:
        raise Invitation.DoesNotExist
    kitchen = invitation.kitchen
    joined = not Membership.objects.filter(kitchen=kitchen, user=user).exists()
    if joined:
        Membership.objects.create(kitchen=kitchen, user=user, role=Role.MEMBER)
        invitation.used_at = timezone.now()
        invitation.used_by = user
        invitation.save(update_fields=["used_at", "used_by"])
    _move_to(user, kitchen)
    return kitchen, joined


def _is_last_owner(membership) -> bool:
    owners = Membership.objects.filter(kitchen_id=membership.kitchen_id, role=Role.OWNER)
    return membership.is_owner and not owners.exclude(pk=membership.pk).exists()


@transaction.atomic
def remove_member(user, membership_id) -> Membership:
    """An owner takes someone out of the kitchen; they lose access at once."""
    mine = owner_membership(user)
    membership = (
        Membership.objects.filter(kitchen=mine.kitchen, pk=membership_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Membership.DoesNotExist
    if _is_last_owner(membership):
        raise ValidationError("You are this kitchen's only owner, so you cannot leave it.")
    membership.delete()
    removed = membership.user
    if removed.current_kitchen_id == mine.kitchen_id:
        _settle(removed)
    return membership


@transaction.atomic
def leave(user) -> Kitchen:
    """Leave the kitchen ``user`` is in now; they move to another of theirs."""
    membership = current_membership(user)
    if membership is None:
        raise Membership.DoesNotExist
    if _is_last_owner(membership):
        raise ValidationError(
            "You are this kitchen's only owner, so you cannot leave it; delete it instead."
        )
    membership.delete()
    _settle(user)
    return membership.kitchen


@transaction.atomic
def rename(user, name: str) -> Kitchen:
    kitchen = owner_membership(user).kitchen
    kitchen.name = name
    kitchen.full_clean()
    kitchen.save(update_fields=["name"])
    return kitchen


@transaction.atomic
def delete_kitchen(user, typed_name: str) -> Kitchen:
    """Delete the kitchen ``user`` is in now, with all its grains and batches; its
    name must be typed to confirm, and it may not be the person's last kitchen."""
    kitchen = owner_membership(user).kitchen
    if typed_name.strip() != kitchen.name:
        raise ValidationError({"name": f"Type the kitchen's name, {kitchen.name}, to delete it."})
    if not Kitchen.objects.for_user(user).exclude(pk=kitchen.pk).exists():
        raise ValidationError("This is your only kitchen, so it cannot be deleted.")
    kitchen_id = kitchen.pk
    members = [m.user for m in kitchen.memberships.select_related("user")]
    kitchen.delete()
    for member in members:
        if member.current_kitchen_id == kitchen_id:
            _settle(member)
    return kitchen
