from django import forms
from django.utils.html import format_html

from kefir_tracker.labels.sheets import SHEETS, LabelSize, Paper, sheet_for

MAX_COPIES = 10
# A text box with the phone's number keypad: what was typed comes back as typed, even
# when it is no number (an <input type="number"> may not hold that).
WHOLE_NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class LabelsForm(forms.Form):
    """What to print: which jars, on what sheet, from which label on, how many of each.

    Read from the query string (the print page is a GET: it can be reloaded and
    bookmarked). The jars offered are the person's own (``jars``): any other id,
    however written, is refused by name, never looked up.
    """

    batch = forms.MultipleChoiceField(
        label="Jars to label",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "option-list"}),
        error_messages={
            "required": "Choose at least one jar.",
            "invalid_choice": (
                "One of these is no longer fermenting or bottled (or not yours): "
                "choose from the jars listed."
            ),
        },
    )
    paper = forms.ChoiceField(
        label="Paper",
        choices=Paper.choices,
        widget=forms.RadioSelect(attrs={"class": "option-list option-row"}),
        error_messages={
            "required": "Choose the paper: A4 or US Letter.",
            "invalid_choice": "Choose the paper: A4 or US Letter.",
        },
    )
    size = forms.ChoiceField(
        label="Label size",
        choices=LabelSize.choices,
        widget=forms.RadioSelect(attrs={"class": "option-list sizes"}),
        error_messages={
            "required": "Choose small or large labels.",
            "invalid_choice": "Choose small or large labels.",
        },
    )
    skip = forms.IntegerField(
        label="Used labels to skip",
        min_value=0,
        widget=WHOLE_NUMBER,
        help_text="On a sheet already partly used: how many labels are gone, counted from the top left, row by row.",
        error_messages={
            "required": "Write how many labels to skip: 0 for a new sheet.",
            "invalid": "Write the number of used labels, like 0 or 5.",
            "min_value": "Write the number of used labels, like 0 or 5.",
        },
    )
    copies = forms.IntegerField(
        label="Labels per jar",
        min_value=1,
        widget=WHOLE_NUMBER,
        max_value=MAX_COPIES,
        error_messages={
            "required": "Write how many labels each jar gets, from 1 to 10.",
            "invalid": "Write how many labels each jar gets, from 1 to 10.",
            "min_value": "Write how many labels each jar gets, from 1 to 10.",
            "max_value": "Write how many labels each jar gets, from 1 to 10.",
        },
    )

    def __init__(self, data=None, *, jars, choices, paper=Paper.A4):
        """``jars``: the person's jars in use; ``choices``: {batch id: what its box says}."""
        initial = {"batch": [str(jar.pk) for jar in jars], "paper": paper, "size": LabelSize.SMALL}
        super().__init__(data, initial={**initial, "skip": 0, "copies": 1})
        self.jars = {str(jar.pk): jar for jar in jars}
        self.fields["batch"].choices = [(str(jar.pk), choices[jar.pk]) for jar in jars]
        self.fields["size"].choices = [(size.value, size_choice(size)) for size in LabelSize]

    def clean(self):
        cleaned = super().clean()
        paper, size, skip = (cleaned.get(name) for name in ("paper", "size", "skip"))
        if paper and size and skip is not None:
            sheet = sheet_for(paper, size)
            if skip >= sheet.per_sheet:
                self.add_error(
                    "skip",
                    f"A sheet of these has {sheet.per_sheet} labels: skip 0 to "
                    f"{sheet.per_sheet - 1} of them.",
                )
            else:
                cleaned["sheet"] = sheet
        return cleaned

    def chosen(self):
        """The jars chosen, in the order offered (oldest first)."""
        picked = set(self.cleaned_data["batch"])
        return [jar for pk, jar in self.jars.items() if pk in picked]


def size_choice(size: LabelSize):
    """'Small' with what it is on each paper; static/css/labels.css shows the one for the
    paper chosen (all of them where the browser cannot tell)."""
    return format_html(
        '<span>{} <span class="for-a4">· {}</span> <span class="for-letter">· {}</span></span>',
        size.label,
        SHEETS[(Paper.A4, size)].describe(),
        SHEETS[(Paper.LETTER, size)].describe(),
    )
