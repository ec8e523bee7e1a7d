from datetime import timedelta

from django import forms

from kefir_tracker.sharing.models import ShareLink

# What a person chooses -> how long the link works.
EXPIRIES = {"never": None, "7": timedelta(days=7), "30": timedelta(days=30)}


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label="Who is it for? (optional)",
        max_length=ShareLink._meta.get_field("label").max_length,
        required=False,
        help_text="Only you see this, to tell your links apart.",
    )
    expires = forms.ChoiceField(
        label="It stops working",
        choices=[("never", "Never"), ("7", "In 7 days"), ("30", "In 30 days")],
        initial="never",
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        error_messages={"invalid_choice": "Choose how long the link works."},
    )
    include_batches = forms.BooleanField(
        label="Include its batches",
        required=False,
        help_text="When each started, in what, and for how long; never notes or tastings.",
    )

    def __init__(self, *args, **kwargs):
        # Other forms share the grains page: ids of their own.
        super().__init__(*args, auto_id="share-%s", **kwargs)

    @property
    def expires_in(self) -> timedelta | None:
        return EXPIRIES[self.cleaned_data["expires"]]
