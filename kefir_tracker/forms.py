"""Form pieces shared by every app: one field template with errors next to the field,
and a number field that works in the user's unit and stores SI."""

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from kefir_tracker import units


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


ID_FIELD = forms.IntegerField(min_value=1, max_value=2**63 - 1)


def parse_id(text) -> int | None:
    """An object id from a query string, or None if it is not one. Parsed as a form
    field does: str.isdigit() also accepts "²", which int() refuses."""
    try:
        return ID_FIELD.clean(text)
    except ValidationError:
        return None


def _same(value):
    return Decimal(value)


class DecimalInput(forms.TextInput):
    """A text box with the phone's decimal keypad: no spinner, and "0,5" works too."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class QuantityField(forms.Field):
    """A number typed in ``unit``, cleaned to its SI value (1 decimal place).

    ``to_si``/``from_si`` convert; ``minimum_si`` is inclusive, or None for
    "more than 0"; ``maximum_si`` is inclusive. Messages name the user's unit.
    """

    widget = DecimalInput
    default_error_messages = {"invalid": "Enter a number, like 500 or 1.5."}

    def __init__(
        self,
        *,
        unit,
        maximum_si,
        minimum_si=None,
        to_si=_same,
        from_si=_same,
        places=1,
        **kwargs,
    ):
        self.unit, self.to_si, self.from_si, self.places = unit, to_si, from_si, places
        self.minimum_si, self.maximum_si = minimum_si, maximum_si
        self.what = kwargs.pop("label")
        super().__init__(label=f"{self.what} ({unit})", **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", ".").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite() or abs(number) >= 10**9:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def show(self, si_value, rounding=ROUND_HALF_UP) -> str:
        step = Decimal(1).scaleb(-self.places)
        return units.trim(self.from_si(Decimal(si_value)).quantize(step, rounding=rounding))

    def clean(self, value):
        number = super().clean(value)
        if number is None:
            return None
        what = self.what
        si = units.round_to(self.to_si(number), 1)
        if self.minimum_si is None and si <= 0:
            raise ValidationError(f"{what} must be more than 0 {self.unit}.", code="min_value")
        if self.minimum_si is not None and si < self.minimum_si:
            raise ValidationError(
                f"{what} must be at least {self.show(self.minimum_si, ROUND_CEILING)} {self.unit}.",
                code="min_value",
            )
        if si > self.maximum_si:
            raise ValidationError(
                f"{what} must be at most {self.show(self.maximum_si, ROUND_FLOOR)} {self.unit}.",
                code="max_value",
            )
        return si

    def prepare_value(self, value):
        # Stored values arrive as numbers; what the user typed arrives as text and stays as typed.
        if isinstance(value, Decimal | int | float):
            return self.show(value)
        return value


class CupsField(QuantityField):
    """Cups as a measuring cup shows them (2, 1½, ⅔), like every page: the edit form shows
    what the page shows, and takes 2¼, 2 1/4 or 2.25."""

    default_error_messages = {"invalid": "Enter a number of cups, like 2, 1½ or 1.5."}

    def __init__(self, **kwargs):
        kwargs.update(unit="cups", to_si=units.cups_to_ml, from_si=units.ml_to_cups, places=2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = units.parse_cups(str(value))
        if number is None or not number.is_finite() or abs(number) >= 10**9:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def show(self, si_value, rounding=ROUND_HALF_UP) -> str:
        return units.cups_text(units.round_cups(si_value, rounding))


def grams_field(label, maximum, **kwargs):
    kwargs.setdefault(
        "error_messages", {"invalid": "Write the weight as a number of grams, like 25 or 12.5."}
    )
    return QuantityField(label=label, unit="g", maximum_si=maximum, **kwargs)
