"""Bad input, by the kind of field it is typed into, and how to tell "refused" from "saved".

A form's fields are classified by their Django field class, so a field added
later is tried with the values for its kind without anyone listing it here.
"""

from django import forms

from kefir_tracker.accounts.forms import BrowserFilledField
from kefir_tracker.accounts.models import User
from kefir_tracker.batches.forms import PressedAtField
from kefir_tracker.batches.models import Batch, TastingNote
from kefir_tracker.gifts.models import ReceivedLineage
from kefir_tracker.grains.models import Culture, Weighing
from kefir_tracker.submissions.forms import OneTimeKeyField

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
EMOJI = "Kefir 🥛🍶 with 👍🏽 and 🇩🇪"
RTL = "كفير الحليب من جدتي"  # Arabic: "milk kefir from my grandmother"
HUGE_TEXT = "kefir " * 17_000  # 100 KB

# Values every kind of field is tried with.
TEXTS = ["", "   ", SCRIPT, IMG, EMOJI, RTL, "\u202eevil", HUGE_TEXT, "nul\x00byte"]
NUMBERS = [
    "",
    "-1",
    "0",
    "1e308",
    str(10**30),
    "abc",
    "NaN",
    "Infinity",
    "0x10",
    "１２",  # full-width digits
    SCRIPT,
]
CHOICES = ["", "bogus", "-1", str(10**30), "²", "9223372036854775808", SCRIPT, EMOJI]
MOMENTS = [
    "",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30T10:00",
    "2026-13-01T00:00",
    "yesterday",
    SCRIPT,
]
DATES = ["", "0001-01-01", "9999-12-31", "2026-02-30", "31/12/2025", SCRIPT]

# Values that no field of that kind may accept.
REFUSED = {
    "number": {
        "-1",
        "1e308",
        "-1e308",
        str(10**30),
        "abc",
        "NaN",
        "Infinity",
        "0x10",
        "1,5,5",
        SCRIPT,
    },
    "choice": {"bogus", "-1", str(10**30), "1e308", "²", "9223372036854775808", SCRIPT, EMOJI},
    "moment": {
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        "2026-02-30T10:00",
        "2026-13-01T00:00",
        "yesterday",
        "1e308",
        "-1",
        SCRIPT,
    },
    "date": {"0001-01-01", "9999-12-31", "2026-02-30", "31/12/2025", "abc", "1e308", SCRIPT},
    "text": {"nul\x00byte"},
}
VALUES = {"text": TEXTS, "number": NUMBERS, "choice": CHOICES, "moment": MOMENTS, "date": DATES}


def kind_of(field: forms.Field) -> str | None:
    """The kind of bad input a form field gets; None for a file upload, a one-time key, the
    time a kept form was pressed and a browser-filled field (each tried separately: a
    mangled key or time is ignored, a browser-filled one falls back to a default), and a
    checkbox (ticked or not)."""
    if isinstance(field, forms.FileField | OneTimeKeyField | PressedAtField | BrowserFilledField):
        return None
    if isinstance(field, forms.BooleanField):
        return None
    if isinstance(field, forms.DateTimeField):
        return "moment"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "choice"
    if isinstance(field, forms.CharField):
        return "text"
    return "number"


def must_refuse(field: forms.Field, value: str) -> bool:
    kind = kind_of(field)
    if value.strip() == "" and field.required:
        return True
    if (
        value == "-1"
        and getattr(field, "minimum_si", 0) is not None
        and getattr(field, "minimum_si", 0) < 0
    ):
        return False  # a room temperature may be below freezing
    if (
        kind == "text"
        and getattr(field, "max_length", None)
        and len(value.strip()) > field.max_length
    ):
        return True
    return value in REFUSED[kind]


# ---- the database, before and after ----

MODELS = [User, Culture, Weighing, Batch, TastingNote, ReceivedLineage]


def snapshot() -> dict:
    """Every stored row of the app's data, to compare before and after a refused post."""
    return {
        model.__name__: list(model.objects.order_by("pk").values(*compared_fields(model)))
        for model in MODELS
    }


def compared_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def invalid_rows() -> list[str]:
    """Stored objects that break a rule (``full_clean``), described; empty when all is well."""
    problems = []
    for model in MODELS:
        for obj in model.objects.all():
            try:
                obj.full_clean(exclude=["password"] if model is User else None)
            except Exception as error:
                problems.append(f"{model.__name__} {obj.pk}: {error}")
    return problems


ERROR_MARKERS = (b'class="errorlist', b"form-errors", b"message-error")


def shows_an_error(response) -> bool:
    return response.status_code == 400 or any(m in response.content for m in ERROR_MARKERS)
