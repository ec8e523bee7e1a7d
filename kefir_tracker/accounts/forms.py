from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator

from kefir_tracker.accounts.models import User


class SignUpForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username"]


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


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["time_zone", "temperature_unit", "volume_unit"]
        labels = {
            "time_zone": "Time zone",
            "temperature_unit": "Temperature in",
            "volume_unit": "Volumes in",
        }
