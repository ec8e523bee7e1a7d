"""Conversions between what is stored (SI: ml, °C) and what a user prefers to see."""

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

ML_PER_CUP = Decimal("236.588")  # US customary cup
# What a set of measuring cups shows; less than a fifth of a cup is shown as a decimal.
CUP_MARKS = {
    Fraction(0): "",
    Fraction(1, 4): "¼",
    Fraction(1, 3): "⅓",
    Fraction(1, 2): "½",
    Fraction(2, 3): "⅔",
    Fraction(3, 4): "¾",
}
SMALLEST_MARKED_CUPS = Decimal("0.2")


def c_to_f(celsius: Decimal) -> Decimal:
    return Decimal(celsius) * 9 / 5 + 32


def f_to_c(fahrenheit: Decimal) -> Decimal:
    return (Decimal(fahrenheit) - 32) * 5 / 9


def ml_to_cups(ml: Decimal) -> Decimal:
    return Decimal(ml) / ML_PER_CUP


def cups_to_ml(cups: Decimal) -> Decimal:
    return Decimal(cups) * ML_PER_CUP


def round_to(value: Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def trim(value: Decimal) -> str:
    """1250.0 -> '1250', 1.50 -> '1.5'."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cup_candidates(cups: Decimal):
    whole = int(cups)
    for base in (whole - 1, whole, whole + 1):
        for mark in CUP_MARKS:
            if base + mark >= 0:
                yield Fraction(base) + mark


def round_cups(ml, rounding=ROUND_HALF_UP) -> Fraction | Decimal:
    """``ml`` in cups as a measuring cup shows it (2, 1½, ⅔); a decimal below a fifth
    of a cup. ROUND_FLOOR / ROUND_CEILING give the nearest mark below / above."""
    cups = Decimal(ml) / ML_PER_CUP
    if cups < SMALLEST_MARKED_CUPS:
        return cups.quantize(Decimal("0.01"), rounding=rounding)
    exact = Fraction(cups)
    candidates = sorted(_cup_candidates(cups))
    if rounding == ROUND_FLOOR:
        return max(c for c in candidates if c <= exact)
    if rounding == ROUND_CEILING:
        return min(c for c in candidates if c >= exact)
    return min(candidates, key=lambda c: (abs(c - exact), -c))  # a tie goes up


def cups_text(amount: Fraction | Decimal) -> str:
    """2 -> '2', 1½ -> '1½', ⅔ -> '⅔', Decimal('0.11') -> '0.11'."""
    if isinstance(amount, Decimal):
        return trim(amount)
    whole = int(amount)
    mark = CUP_MARKS[amount - whole]
    return f"{whole}{mark}" if whole or not mark else mark


_FRACTION = re.compile(r"(?:(\d+)\s+)?(\d+)\s*/\s*(\d+)")


def parse_cups(text: str) -> Decimal | None:
    """'2¼', '2 1/4', '1/2', '2.25' or '2,25' cups as a number; None if it is not one."""
    text = text.strip()
    for fraction, glyph in ((f, g) for f, g in CUP_MARKS.items() if g):
        text = text.replace(glyph, f" {fraction.numerator}/{fraction.denominator}")
    text = text.strip()
    match = _FRACTION.fullmatch(text)
    if match:
        whole, numerator, denominator = (int(part or 0) for part in match.groups())
        if denominator == 0:
            return None
        return Decimal(whole) + Decimal(numerator) / Decimal(denominator)
    try:
        return Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None


def show_temperature(celsius, unit: str) -> str:
    if celsius is None:
        return ""
    if unit == "F":
        return f"{trim(round_to(c_to_f(celsius), 0))} °F"
    return f"{trim(round_to(celsius, 1))} °C"


def show_volume(ml, unit: str) -> str:
    if ml is None:
        return ""
    if unit == "cup":
        cups = round_cups(ml)
        one = cups == 1 or (isinstance(cups, Fraction) and cups < 1)  # "½ cup", "0.11 cups"
        return f"{cups_text(cups)} cup" + ("" if one else "s")
    if ml >= 1000:
        return f"{trim(round_to(Decimal(ml) / 1000, 2))} L"  # "1 l" reads like "11"
    return f"{trim(round_to(ml, 0))} ml"
