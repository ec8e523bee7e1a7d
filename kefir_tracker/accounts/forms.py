from datetime import time

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    UserCreationForm,
    UsernameField,
)
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from kefir_tracker.accounts.models import (
    ClockHours,
    DateOrder,
    User,
    canonical_time_zone,
    time_zone_groups,
)


class BrowserFilledField(forms.Field):
    """A hidden field that a script fills from the browser. Nobody could correct it,
    so it is never an error: what cannot be used counts as no answer (empty)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return "" if value in self.empty_values else str(value).strip()


def _hidden_preference():
    return BrowserFilledField()


class SignUpForm(UserCreationForm):
    """Django's sign-up; static/js/sign-up.js fills the hidden fields from the browser
    (its time zone, clock and date order). Without it, or with nonsense in them, the
    defaults stay: nobody could correct a hidden field."""

    time_zone = _hidden_preference()
    clock_hours = _hidden_preference()
    date_order = _hidden_preference()

    def validate_password_for_user(self, user, password_field_name="password1"):
        """What is wrong with the password (too short, too common…) under the password,
        not under its confirmation, where Django puts it."""
        super().validate_password_for_user(user, password_field_name)

    class Meta:
        model = User
        fields = ["username", "time_zone", "clock_hours", "date_order"]
        field_classes = {"username": UsernameField}  # no capital letter from the phone

    def _or_default(self, name, value):
        return value if value else User._meta.get_field(name).get_default()

    def clean_time_zone(self):
        return self._or_default("time_zone", canonical_time_zone(self.cleaned_data["time_zone"]))

    def clean_clock_hours(self):
        value = self.cleaned_data["clock_hours"]
        return self._or_default("clock_hours", value if value in ClockHours.values else None)

    def clean_date_order(self):
        value = self.cleaned_data["date_order"]
        return self._or_default("date_order", value if value in DateOrder.values else None)


class FirstRunForm(SignUpForm):
    """The owner's account, made on the first-run page of a brand-new installation."""

    demo = forms.BooleanField(
        required=False,
        label="Fill my account with a demo year to look around",
        help_text=(
            "Three lineages of grains and about 300 batches, tastings and weighings. "
            "Leave it off to start with your own grains."
        ),
    )

    def __init__(self, *args, offer_demo=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not offer_demo:
            del self.fields["demo"]

    def save(self, commit=True):
        user = super().save(commit=False)
        # The owner looks after the installation: the admin, other people's passwords.
        user.is_staff = user.is_superuser = True
        if commit:
            user.save()
        return user


class NewPasswordForm(PasswordChangeForm):
    def validate_password_for_user(self, user, password_field_name="new_password1"):
        """As in SignUpForm: the password's faults under the new password."""
        super().validate_password_for_user(user, "new_password1")


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length checked before signing in is tried.

    Django only sets the length on the input; a longer name cannot belong to
    anyone, and the failed attempt it made would not fit django-axes's log
    (a 500 on PostgreSQL).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


def username_any_case(request, credentials):
    """The name django-axes counts failed sign-ins under: "Olga" and "olga" are one person."""
    return (credentials or {}).get("username", "").lower()


class LongSelect(forms.Select):
    """A <select> of hundreds of options (the time zones), flat or in groups, built in
    one pass: Django's per-option widget templates took ~100 ms for the ~600 zones.
    Only the first option of a value is selected (a common zone is also in "All")."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = [str(value) if value is not None else ""]

        def options(choices):
            rows = []
            for key, label in choices:
                selected = str(key) == chosen[0]
                if selected:
                    chosen[0] = None
                rows.append((key, " selected" if selected else "", label))
            return format_html_join("", '<option value="{}"{}>{}</option>', rows)

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', key, options(label)))
            else:
                parts.append(options([(key, label)]))
        options = format_html_join("", "{}", ((part,) for part in parts))
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return format_html("<select{}>{}</select>", attributes, options)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["time_zone", "clock_hours", "date_order", "temperature_unit", "volume_unit"]
        widgets = {"time_zone": LongSelect}
        labels = {
            "time_zone": "Time zone",
            "clock_hours": "Clock",
            "date_order": "Dates",
            "temperature_unit": "Temperature in",
            "volume_unit": "Volumes in",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The places people live in; a zone already stored under an old name stays.
        self.fields["time_zone"].choices = time_zone_groups(self.instance.time_zone)


class TimeOfDayInput(forms.TimeInput):
    """The phone's own time picker; it sends 24-hour "07:30" whatever clock it shows.
    What is not a time (only a hand-made post sends one) is shown empty, as a browser
    would: a time input cannot hold "25:00"."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = time.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class ReminderChoicesForm(forms.ModelForm):
    """What the calendar feed (and push) remind the person of, and the quiet hours in
    their time zone: a reminder due then comes when the quiet hours end."""

    class Meta:
        model = User
        fields = [
            "remind_ready",
            "remind_second_ferment",
            "remind_grains",
            "quiet_from",
            "quiet_until",
        ]
        labels = {
            "remind_ready": "Batches ready to strain",
            "remind_second_ferment": "Second ferments, and burping the bottles",
            "remind_grains": "Grains due fresh milk or sugar water",
            "quiet_from": "From",
            "quiet_until": "Until",
        }
        widgets = {"quiet_from": TimeOfDayInput, "quiet_until": TimeOfDayInput}
        error_messages = {
            "quiet_from": {"invalid": "Enter a time, like 22:00."},
            "quiet_until": {"invalid": "Enter a time, like 07:00."},
        }

    def clean(self):
        fields = super().clean()
        start, end = fields.get("quiet_from"), fields.get("quiet_until")
        if "quiet_from" in self.errors or "quiet_until" in self.errors:
            return fields
        if start is not None and end is None:
            self.add_error("quiet_until", "Give the end too, or leave both empty.")
        elif end is not None and start is None:
            self.add_error("quiet_from", "Give the start too, or leave both empty.")
        elif start is not None and start == end:
            self.add_error(
                "quiet_until",
                "They would end as they begin: change one, or leave both empty.",
            )
        return fields
