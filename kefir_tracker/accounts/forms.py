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

from kefir_tracker.accounts.models import User


class SignUpForm(UserCreationForm):
    def validate_password_for_user(self, user, password_field_name="password1"):
        """What is wrong with the password (too short, too common…) under the password,
        not under its confirmation, where Django puts it."""
        super().validate_password_for_user(user, password_field_name)

    class Meta:
        model = User
        fields = ["username"]
        field_classes = {"username": UsernameField}  # no capital letter from the phone


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
    """A <select> of hundreds of flat options (the time zones), built in one pass:
    Django's per-option widget templates took ~100 ms for the ~600 zones."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = str(value) if value is not None else ""
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return format_html("<select{}>{}</select>", attributes, options)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["time_zone", "temperature_unit", "volume_unit"]
        widgets = {"time_zone": LongSelect}
        labels = {
            "time_zone": "Time zone",
            "temperature_unit": "Temperature in",
            "volume_unit": "Volumes in",
        }
