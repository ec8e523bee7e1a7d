import uuid

from django import forms
from django.core.exceptions import ValidationError


class OneTimeKeyField(forms.UUIDField):
    """The hidden one-time key of a form (services.once): a fresh one each time the
    form is shown. Optional: a form without one (or with a mangled one) still saves,
    only without the guard against a second copy, so a person is never stuck."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            return None
