from django import forms

from kefir_tracker.grains.models import Culture


class CultureForm(forms.ModelForm):
    """Add or edit grains; the parent can only be one of the owner's own cultures."""

    class Meta:
        model = Culture
        fields = ["name", "kind", "origin", "source", "acquired_on", "parent", "notes"]
        widgets = {
            "acquired_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"parent": "Split from", "acquired_on": "Acquired on"}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.fields["parent"].queryset = Culture.objects.for_user(owner)
        self.fields["parent"].empty_label = "— none —"
