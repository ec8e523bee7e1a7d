"""Making, accepting and cutting gifts, and the gift file that carries one to another
installation. Each change validates before it writes, in one transaction."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kefir_tracker.gifts.models import (
    OPEN_FOR,
    Gift,
    ReceivedLineage,
)
from kefir_tracker.grains.lineage import depth_first
from kefir_tracker.grains.models import Culture, Origin, Status
from kefir_tracker.tokens import new_code, new_token, token_hash

MAX_ANCESTORS = 50  # the first known grains and the nearest generations; the rest are counted
GROWTH_SHOWN = 20


class GiftUnavailable(Exception):
    """The gift was accepted, cut or expired meanwhile (or never was)."""


@dataclass(frozen=True)
class NewGift:
    gift: Gift
    token: str  # both exist in full only now, to be shown to the giver once
    code: str


def make_gift(giver, culture: Culture, *, share_ancestry: bool) -> NewGift:
    """A link and a code for ``culture``, grains ``giver`` has given away."""
    if culture.status != Status.GIVEN_AWAY:
        raise ValidationError(f"Give {culture.name} away first, then make a gift link for them.")
    token, code = new_token(), new_code()
    now = timezone.now()
    gift = Gift.objects.create(
        giver=giver,
        culture=culture,
        token_hash=token_hash(token),
        code_hash=token_hash(code),
        share_ancestry=share_ancestry,
        created_at=now,
        expires_at=now + OPEN_FOR,
    )
    return NewGift(gift, token, code)


def ancestry_snapshot(culture: Culture) -> tuple[int, list[dict]]:
    """``culture``'s generation and its ancestors as they are now (names, generations,
    origins), the first known grains first, at most MAX_ANCESTORS of them. Two queries."""
    chain = Culture.objects.ancestry(culture.kitchen_id, culture.pk)
    generation = max(len(chain) - 1, 0)
    above = chain[:0:-1]  # root first
    if len(above) > MAX_ANCESTORS:
        above = [above[0], *above[-(MAX_ANCESTORS - 1) :]]
    depths = {pk: len(chain) - 1 - chain.index(pk) for pk in above}
    found = Culture.objects.filter(pk__in=above).in_bulk()
    ancestors = [
        {"name": c.name, "generation": depths[pk], "origin": c.origin_description[:200]}
        for pk in above
        if (c := found.get(pk)) is not None
    ]
    return generation, ancestors


def _name_is_free(owner, name: str) -> None:
    if Culture.objects.for_user(owner).filter(name__iexact=name).exists():
        raise ValidationError({"name": f"You already have grains called {name}. Name them anew."})


@transaction.atomic
def receive_grains(owner, *, name, kind, given_by, given_name, given_generation, ancestors, via):
    """New grains in ``owner``'s account from a gift (the one way a gift makes grains):
    origin "gift", given by ``given_by``, acquired today, with the frozen snapshot of
    their ancestors (empty when the giver kept them to themselves)."""
    name = name.strip()
    _name_is_free(owner, name)
    culture = Culture(
        owner=owner,
        name=name,
        kind=kind,
        origin=Origin.GIFT,
        source=given_by,
        acquired_on=timezone.localdate(),
    )
    culture.full_clean()
    culture.save()
    ReceivedLineage.objects.create(
        culture=culture,
        via=via,
        given_by=given_by,
        given_name=given_name,
        given_generation=given_generation,
        ancestors=ancestors,
    )
    return culture


@transaction.atomic
def accept_gift(gift: Gift, recipient, *, name: str, share_growth: bool) -> Culture:
    """Accept ``gift`` (an open one, from someone else) as ``recipient``: their new grains.
    Only one accept wins a race: the gift is claimed by a conditional update first.
    Raises GiftUnavailable when it no longer opens, ValidationError for a taken name."""
    if gift.giver_id == recipient.pk:
        raise ValidationError("This is your own gift: send the link to whoever gets the grains.")
    _name_is_free(recipient, name.strip())
    now = timezone.now()
    claimed = Gift.objects.open(now).filter(pk=gift.pk)
    if not claimed.update(accepted_at=now, recipient=recipient, share_growth=share_growth):
        raise GiftUnavailable
    given = gift.culture
    generation, ancestors = ancestry_snapshot(given)
    culture = receive_grains(
        recipient,
        name=name,
        kind=given.kind,
        given_by=gift.giver.shown_name,
        given_name=given.name,
        given_generation=generation,
        ancestors=ancestors if gift.share_ancestry else [],
        via=ReceivedLineage.Via.LINK,
    )
    Gift.objects.filter(pk=gift.pk).update(received_culture=culture)
    return culture


def cut(gift: Gift, user) -> bool:
    """Cut the link between both sides' grains for good; whether it was still there."""
    now = timezone.now()
    return bool(
        Gift.objects.filter(pk=gift.pk, cut_at__isnull=True).update(cut_at=now, cut_by=user)
    )


@dataclass(frozen=True)
class Growth:
    """What the recipient grew from a gift, as the giver may see it: names only."""

    rows: list[tuple[str, int]]  # (name, levels below the gift), depth first
    more: int

    @property
    def generations(self) -> int:
        return max((level for _, level in self.rows), default=0)


def growth_of(gift: Gift) -> Growth | None:
    """The splits the recipient made from the gift, read live from their tree; None when
    the giver may not see them (not accepted, cut, not allowed, or the grains are gone)."""
    received = gift.received_culture
    if not gift.is_accepted or gift.is_cut or not gift.share_growth or received is None:
        return None
    rows = Culture.objects.descendant_rows(received.kitchen_id, received.pk)
    shown = depth_first(rows, received.pk, GROWTH_SHOWN)
    names = {pk: name for pk, _parent, name in rows}
    return Growth([(names[pk], level) for pk, level in shown], len(rows) - len(shown))
