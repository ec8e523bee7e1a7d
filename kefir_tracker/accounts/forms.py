from django import forms
from django.contrib.auth.forms import UserCreationForm

from kefir_tracker.accounts.models import User


class SignUpForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username"]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["time_zone", "temperature_unit", "volume_unit"]
        labels = {
            "time_zone": "Time zone",
            "temperature_unit": "Temperature in",
            "volume_unit": "Volumes in",
        }
