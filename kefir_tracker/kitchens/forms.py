from django import forms

from kefir_tracker.kitchens.models import Kitchen


class RenameForm(forms.ModelForm):
    class Meta:
        model = Kitchen
        fields = ["name"]
        labels = {"name": "Kitchen name"}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the kitchen a name.")
        return name


class DeleteForm(forms.Form):
    name = forms.CharField(label="Type the kitchen's name to confirm", max_length=80)

    def __init__(self, *args, kitchen, **kwargs):
        super().__init__(*args, **kwargs)
        self.kitchen = kitchen
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name != self.kitchen.name:
            raise forms.ValidationError(
                f"That is not this kitchen's name: type {self.kitchen.name} exactly."
            )
        return name


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Invitation code",
        max_length=40,
        help_text="The 12 letters and digits from the person who invited you, like ABCD-EFGH-JKMN.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
