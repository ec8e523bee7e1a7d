"""The gift card on the grains page, built for grains.views (which this must not import)."""

from dataclasses import dataclass

from django.urls import reverse

from kefir_tracker.gifts import services
from kefir_tracker.gifts.forms import MakeGiftForm
from kefir_tracker.gifts.models import Gift, ReceivedLineage
from kefir_tracker.grains.models import Origin, Status
from kefir_tracker.labels.services import qr_svg
from kefir_tracker.tokens import spaced, token_hash

# The link and code of a gift just made, kept in the session from the post that made it
# to the grains page, which shows them once and forgets them.
NEW_GIFT = "gifts.new_gift"


def gift_url(request, token) -> str:
    return request.build_absolute_uri(reverse("gifts:open", args=[token]))


@dataclass
class GivenGift:
    gift: Gift
    growth: services.Growth | None


@dataclass
class GiftSection:
    """What the grains page shows of gifts: the giver's side, the recipient's, or none."""

    given: list[GivenGift]
    can_make: bool
    form: MakeGiftForm
    new_link: str | None = None
    new_code: str | None = None
    new_qr: str | None = None
    new_gift: Gift | None = None
    received: ReceivedLineage | None = None
    received_gift: Gift | None = None


def gift_section(request, culture) -> GiftSection | None:
    """The gifts of the signed-in person's ``culture``: a query or two, and none at all for
    grains that were neither given away nor received."""
    if culture.status != Status.GIVEN_AWAY and culture.origin != Origin.GIFT:
        return None
    gifts = list(
        Gift.objects.filter(culture=culture).select_related("recipient", "received_culture")
    )
    given = [GivenGift(gift, services.growth_of(gift)) for gift in gifts]
    section = GiftSection(
        given=given,
        can_make=culture.status == Status.GIVEN_AWAY
        and not any(g.is_open() or (g.is_accepted and not g.is_cut) for g in gifts),
        form=MakeGiftForm(),
    )
    new = request.session.pop(NEW_GIFT, None)
    if new:
        section.new_gift = next(
            (g for g in gifts if g.token_hash == token_hash(new["token"]) and g.is_open()), None
        )
        if section.new_gift:
            section.new_link = gift_url(request, new["token"])
            section.new_code = spaced(new["code"])
            section.new_qr = qr_svg(section.new_link)
    if culture.origin == Origin.GIFT:
        section.received = ReceivedLineage.objects.filter(culture=culture).first()
        if section.received and section.received.via == ReceivedLineage.Via.LINK:
            section.received_gift = (
                Gift.objects.filter(received_culture=culture).select_related("giver").first()
            )
    return section


def remember_new_gift(request, new: services.NewGift) -> None:
    request.session[NEW_GIFT] = {"token": new.token, "code": new.code}
