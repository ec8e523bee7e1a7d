"""How much grains, milk and sugar go together, by the kefir guides.

Quantities outside the hard limits are refused by the models; these ranges
only make the start form ask "are you sure?" about amounts far from what the
guides give, since a typo (0.5 ml of milk, 60 g of grains in 50 ml) is far
more likely than a jar like that.
"""

from decimal import Decimal

from kefir_tracker.grains.models import Kind
from kefir_tracker.units import trim

# Milk kefir: roughly 1 g of grains to 5-60 ml of milk.
MILK_ML_PER_GRAM = (5, 60)
# Water kefir: about 30-60 g of grains and 50-55 g of sugar per litre. Asked
# about only beyond half or twice those: recipes vary more than for milk.
WATER_GRAINS_PER_LITRE = (30, 60)
WATER_SUGAR_PER_LITRE = (50, 55)
WATER_LEEWAY = 2


def _outside(value, low, high, leeway=1) -> bool:
    return value < Decimal(low) / leeway or value > Decimal(high) * leeway


def ratio_warnings(kind, volume_ml, grains_g, sugar_g=None) -> dict[str, str]:
    """{field: what looks wrong} for amounts far outside the guides; empty when fine."""
    if not volume_ml or not grains_g:
        return {}
    volume_ml, grains_g = Decimal(volume_ml), Decimal(grains_g)
    warnings = {}
    if kind == Kind.MILK:
        per_gram = volume_ml / grains_g
        low, high = MILK_ML_PER_GRAM
        if _outside(per_gram, low, high):
            warnings["volume_ml"] = (
                f"That is 1 g of grains to {per_gram:.3g} ml of milk; guides give 1 g to "
                f"{low}–{high} ml ({trim(grains_g * low)}–{trim(grains_g * high)} ml "
                f"for {trim(grains_g)} g)."
            )
        return warnings
    litres = volume_ml / 1000
    low, high = WATER_GRAINS_PER_LITRE
    if _outside(grains_g / litres, low, high, WATER_LEEWAY):
        warnings["grains_in_g"] = (
            f"That is {grains_g / litres:.3g} g of grains per litre; "
            f"guides give {low}–{high} g per litre."
        )
    low, high = WATER_SUGAR_PER_LITRE
    if sugar_g and _outside(Decimal(sugar_g) / litres, low, high, WATER_LEEWAY):
        warnings["sugar_g"] = (
            f"That is {Decimal(sugar_g) / litres:.3g} g of sugar per litre; "
            f"guides give {low}–{high} g per litre."
        )
    return warnings


def grains_per_litre_range(kind) -> tuple[Decimal, Decimal]:
    """The guides' fewest and most grams of grains per litre of base (the ratio coach
    keeps its answers within them)."""
    if kind == Kind.MILK:
        fewest_ml, most_ml = MILK_ML_PER_GRAM
        return Decimal(1000) / most_ml, Decimal(1000) / fewest_ml
    low, high = WATER_GRAINS_PER_LITRE
    return Decimal(low), Decimal(high)


def sugar_for(volume_ml) -> Decimal:
    """The guides' sugar for ``volume_ml`` of sugar water: the middle of their range."""
    low, high = WATER_SUGAR_PER_LITRE
    return Decimal(volume_ml) / 1000 * (Decimal(low) + Decimal(high)) / 2
