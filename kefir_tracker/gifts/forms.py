from django import forms

from kefir_tracker.gifts.files import MAX_BYTES
from kefir_tracker.grains.models import Culture

NAME_LENGTH = Culture._meta.get_field("name").max_length


class MakeGiftForm(forms.Form):
    share_ancestry = forms.BooleanField(
        label="Let them see the ancestors",
        required=False,
        initial=True,
        help_text="The names, generations and origins of the grains these came from; "
        "never your batches, notes or weights.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="gift-%s", **kwargs)


class AcceptForm(forms.Form):
    name = forms.CharField(
        label="Name them",
        max_length=NAME_LENGTH,
        error_messages={"required": "Give your new grains a name."},
        help_text="As you will call them here; you can rename them later.",
    )
    share_growth = forms.BooleanField(
        label="Let the giver see what I grow from them",
        required=False,
        help_text="The names of the grains you split from these, and how many generations; "
        "never your batches or notes. You can cut the link later.",
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Gift code",
        max_length=40,
        error_messages={"required": "Type the code you were given."},
        help_text="Twelve letters and digits, like ABCD-EFGH-JKMN.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class GiftFileForm(forms.Form):
    file = forms.FileField(
        label="Gift file",
        error_messages={
            "required": "Choose the gift file (it ends in .json).",
            "empty": "This file is empty: it is not a gift file.",
        },
        help_text=f"A file made with “Download as a file” on another Kefir Tracker, "
        f"at most {MAX_BYTES // 1024} KB.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )
    name = forms.CharField(
        label="Name them (optional)",
        max_length=NAME_LENGTH,
        required=False,
        help_text="Leave empty to keep the name in the file.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="file-%s", **kwargs)
