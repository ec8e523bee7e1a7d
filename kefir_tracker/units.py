"""Conversions between what is stored (SI: ml, °C) and what a user prefers to see."""

from decimal import ROUND_HALF_UP, Decimal

ML_PER_CUP = Decimal("236.588")  # US customary cup


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
        cups = round_to(ml_to_cups(ml), 2)
        return f"{trim(cups)} cup" + ("" if cups == 1 else "s")
    if ml >= 1000:
        return f"{trim(round_to(Decimal(ml) / 1000, 2))} L"  # "1 l" reads like "11"
    return f"{trim(round_to(ml, 0))} ml"
