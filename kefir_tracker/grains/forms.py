from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from kefir_tracker.batches.forms import MomentField
from kefir_tracker.forms import grams_field
from kefir_tracker.grains.models import MAX_GRAINS_G, Culture, Status, Weighing
from kefir_tracker.grains.services import Portion
from kefir_tracker.submissions.forms import OneTimeKeyField

SPLIT_ROWS = 4
EARLIEST_DATE = date(1900, 1, 1)


def past_date(value):
    """A day that has been: not in the future (the user's today), not before 1900."""
    if value > timezone.localdate():
        raise ValidationError("That date is in the future.")
    if value < EARLIEST_DATE:
        raise ValidationError("That is before 1900: check the year.")
    return value


class CultureForm(forms.ModelForm):
    """Add or edit grains; the parent can only be one of the owner's own cultures.

    The list offers neither these grains nor their splits; a forged choice of
    either is refused by ``Culture.clean`` with a plain message, one from
    another account as not being among the choices.
    """

    class Meta:
        model = Culture
        fields = ["name", "kind", "origin", "source", "acquired_on", "parent", "notes"]
        widgets = {
            "acquired_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"parent": "Split from", "acquired_on": "Acquired on"}

    once = OneTimeKeyField()

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # new grains: added by ``owner``, in their kitchen now
            self.instance.owner = owner
            self.instance.kitchen_id = owner.current_kitchen_id
        # No hidden copy of the default date beside the field: Django gives it the field's
        # aria-describedby, which a hidden input may not have (invalid HTML).
        self.fields["acquired_on"].show_hidden_initial = False
        parent = self.fields["parent"]
        parent.queryset = Culture.objects.with_lineage(owner)
        parent.empty_label = "— none —"
        parent.error_messages["invalid_choice"] = "Choose one of your own grains."
        if self.instance.pk:
            family = set(
                Culture.objects.descendants(self.instance, include_self=True).values_list(
                    "pk", flat=True
                )
            )
            parent.choices = [("", parent.empty_label)] + [
                (choice.pk, parent.label_from_instance(choice))
                for choice in parent.queryset
                if choice.pk not in family and choice.kind == self.instance.kind
            ]

    def clean_name(self):
        # The unique-per-kitchen constraint involves the kitchen, which is not a form
        # field, so ModelForm's own constraint check skips it: say it here.
        name = self.cleaned_data["name"].strip()
        taken = Culture.objects.filter(kitchen_id=self.instance.kitchen_id, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError("You already have grains with this name.")
        return name

    def clean_acquired_on(self):
        return past_date(self.cleaned_data["acquired_on"])


class CultureEditForm(CultureForm):
    """Rename, move in the family tree or add notes; the kind stays (batches depend on it)."""

    class Meta(CultureForm.Meta):
        fields = ["name", "origin", "source", "acquired_on", "parent", "notes"]

    once = None  # saving an edit twice changes nothing


class WeighForm(forms.ModelForm):
    """A weight and when it was weighed (now unless changed), in the person's time zone."""

    weighed_at = MomentField(label="Weighed at", now_if_empty=True)
    once = OneTimeKeyField()

    class Meta:
        model = Weighing
        fields = ["grams", "weighed_at"]
        widgets = {"grams": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"})}
        labels = {"grams": "Weight (g)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weighed_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_weighed_at(self):
        moment = self.cleaned_data["weighed_at"]
        past_date(timezone.localdate(moment))
        return moment


class SplitForm(forms.Form):
    """One to four new cultures (a portion for a friend, or several jars), a name and
    grams each; empty rows are ignored."""

    total_g = grams_field(
        "Weight before the split",
        MAX_GRAINS_G,
        help_text="What is left after the split stays with these grains.",
    )
    once = OneTimeKeyField()

    def __init__(self, *args, culture, **kwargs):
        super().__init__(*args, **kwargs)
        self.culture = culture
        if culture.current_weight_g is not None:
            self.fields["total_g"].initial = culture.current_weight_g
        for row in range(1, SPLIT_ROWS + 1):
            self.fields[f"name_{row}"] = forms.CharField(
                label="Name", max_length=80, required=False
            )
            self.fields[f"grams_{row}"] = grams_field("Weight", MAX_GRAINS_G, required=False)

    def rows(self):
        """Pairs of (name field, grams field) for the template."""
        return [(self[f"name_{row}"], self[f"grams_{row}"]) for row in range(1, SPLIT_ROWS + 1)]

    def clean(self):
        data = super().clean()
        portions = []
        for row in range(1, SPLIT_ROWS + 1):
            name = (data.get(f"name_{row}") or "").strip()
            grams = data.get(f"grams_{row}")
            if not name and grams is None:
                continue
            if not name:
                self.add_error(f"name_{row}", "Give these grains a name.")
            elif grams is None and f"grams_{row}" not in self.errors:
                self.add_error(f"grams_{row}", "How many grams go to them?")
            else:
                portions.append(Portion(name, grams))
        if self.errors:
            return data
        if not portions:
            raise ValidationError("Fill in the new grains: a name and grams.")
        total = data.get("total_g")
        if total is not None and sum(p.grams for p in portions) > total:
            self.add_error(
                "total_g",
                f"The new grains add up to {sum(p.grams for p in portions).normalize():f} g, "
                f"more than the {total.normalize():f} g there are.",
            )
        data["portions"] = portions
        return data


class GiveAwayForm(forms.Form):
    given_to = forms.CharField(
        label="Given to",
        max_length=200,
        error_messages={"required": "Who got them? Write a name."},
    )
    make_gift = forms.BooleanField(
        label="Make a gift link",
        required=False,
        help_text="A link, a code and a QR code: they receive these grains in their own "
        "Kefir Tracker, with where they came from.",
    )
    share_ancestry = forms.BooleanField(
        label="Let them see the ancestors",
        required=False,
        initial=True,
        help_text="Names, generations and origins of the grains these came from; "
        "never your batches, notes or weights.",
    )


class StatusForm(forms.Form):
    """The buttons rest, dry, revive and retire: the status to change to."""

    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Status if s != Status.GIVEN_AWAY]
    )
