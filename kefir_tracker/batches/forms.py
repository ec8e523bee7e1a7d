"""Batch forms in the user's own units (ml or cups, °C or °F), stored in SI.

Quantities are kefir_tracker.forms.QuantityField in the user's unit; a
MomentField is a datetime-local input in the user's time zone (activated per
request) that may not lie in the future, and where allowed, an empty value
means "now". A time repeated when the clocks go back is its first occurrence
(the form says so, in ``form.time_notes``), unless it is the stored time unchanged;
a time the clocks skipped is refused with the skipped stretch named.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.fields import BaseTemporalField
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kefir_tracker import dates, units
from kefir_tracker.batches.models import (
    MAX_ROOM_C,
    MAX_SUGAR_G,
    MAX_VOLUME_ML,
    MIN_ROOM_C,
    Base,
    Batch,
    BatchStatus,
)
from kefir_tracker.batches.pagination import Cursor, InvalidCursor
from kefir_tracker.batches.ratios import ratio_warnings
from kefir_tracker.forms import CupsField, QuantityField, grams_field, parse_id
from kefir_tracker.grains.models import MAX_GRAINS_G, Culture, Kind
from kefir_tracker.submissions.forms import OneTimeKeyField

FUTURE_TOLERANCE = timedelta(minutes=5)
# A form kept on the phone while offline is sent when the connection comes back;
# one pressed longer ago than this is more likely a phone left in a drawer with a
# wrong clock than a batch anyone still remembers the time of.
PRESSED_AT_OLDEST = timedelta(days=30)


def volume_field(user, **kwargs):
    if user.volume_unit == "cup":
        return CupsField(label="Volume", maximum_si=MAX_VOLUME_ML, **kwargs)
    return QuantityField(label="Volume", unit="ml", maximum_si=MAX_VOLUME_ML, **kwargs)


def temperature_field(user, **kwargs):
    kwargs.setdefault("label", "Room temperature")
    kwargs.setdefault("required", False)
    limits = {"minimum_si": MIN_ROOM_C, "maximum_si": MAX_ROOM_C}
    if user.temperature_unit == "F":
        # Whole degrees, as pages show them: "70", not "69.8".
        return QuantityField(
            unit="°F", to_si=units.f_to_c, from_si=units.c_to_f, places=0, **limits, **kwargs
        )
    return QuantityField(unit="°C", **limits, **kwargs)


class MomentField(forms.DateTimeField):
    """A date and time in the user's zone, not in the future; empty means now if ``now_if_empty``."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def __init__(self, *, now_if_empty=False, **kwargs):
        self.now_if_empty = now_if_empty
        kwargs.setdefault("required", False)
        if now_if_empty:
            kwargs.setdefault("help_text", "Leave empty for now.")
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Enter a date and time, like 2026-03-01 22:00."
        self.repeated_wall_time = None  # set by to_python: fields are copied per form

    def to_python(self, value):
        """Django's parsing, with the wall time resolved across clock changes
        (Django refuses both kinds as "ambiguous or may not exist")."""
        self.repeated_wall_time = None
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            wall = value
        else:
            try:
                wall = parse_datetime(str(value).strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            if wall is None:
                wall = BaseTemporalField.to_python(self, value)
        if timezone.is_aware(wall):
            return wall
        zone = timezone.get_current_timezone()
        try:
            moment, repeated = dates.resolve(wall, zone)
        except dates.SkippedTime as skipped:
            raise ValidationError(skipped.message(), code="skipped_time") from None
        if repeated:
            self.repeated_wall_time = wall
        return moment

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return timezone.now() if self.now_if_empty else None
        if moment > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError("That time is in the future.", code="future")
        return moment


class PressedAtField(forms.DateTimeField):
    """When the person pressed the button (ISO 8601 with its offset), sent by the page
    script (static/js/outbox.js) with a form it kept while the connection was down.
    Garbage, or a time ahead of the server's clock (a phone's clock running fast), is
    no time at all: the server's clock on arrival is then the better guess."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            return None
        return None if moment is None or timezone.is_naive(moment) else moment

    def clean(self, value):
        moment = super().clean(value)
        if moment is None or moment > timezone.now() + FUTURE_TOLERANCE:
            return None
        return moment


class PressedAtForm(forms.Form):
    """A form whose action happened when the button was pressed: an empty
    ``moment_field`` ("leave empty for now") takes the time the form was pressed
    (``pressed_at``, see PressedAtField), not the time it reached the server."""

    pressed_at = PressedAtField()
    moment_field = ""

    def clean(self):
        cleaned = super().clean()
        pressed = cleaned.pop("pressed_at", None)
        typed = str(self.data.get(self.add_prefix(self.moment_field), "")).strip()
        if pressed is None or typed:
            return cleaned
        if pressed < timezone.now() - PRESSED_AT_OLDEST:
            days = PRESSED_AT_OLDEST.days
            self.add_error(
                None,
                f"This was pressed more than {days} days ago and only sent now: "
                "put in the time it happened.",
            )
        elif self.moment_field not in self.fields or self.moment_field in cleaned:
            cleaned[self.moment_field] = pressed
        return cleaned


def scale_field(label, required=False):
    choices = [(n, str(n)) for n in range(1, 6)]
    if not required:
        choices = [("", "–"), *choices]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        error_messages={"required": f"Pick a {label.lower()} from 1 to 5."},
    )


def add_model_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form: next to its field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, messages)


class UnitFormMixin:
    """Keeps a stored value exactly when its rounded display comes back unchanged.

    500 ml shows as 2 cups, and a start at 07:30:42 as 07:30: saving an edit form
    untouched must not turn them into 473.2 ml and 07:30:00 (nor a start in the
    second 02:30 of a night the clocks went back into the first). A changed time
    in such an hour is the first one, and ``time_notes`` says so.
    """

    @property
    def time_notes(self):
        return getattr(self, "_time_notes", [])

    def clean(self):
        cleaned = super().clean()
        self._time_notes = []
        for name, field in self.fields.items():
            if cleaned.get(name) is None or not isinstance(field, QuantityField | MomentField):
                continue
            # The stored value itself: get_initial_for_field() drops microseconds.
            initial = self.initial.get(name)
            if initial is None:
                continue
            typed = str(self.data.get(self.add_prefix(name), "")).strip()
            if isinstance(field, MomentField):
                if typed == field.widget.format_value(field.prepare_value(initial)):
                    cleaned[name] = initial
                    field.repeated_wall_time = None
            elif typed == field.prepare_value(initial):
                cleaned[name] = Decimal(initial)
        zone = timezone.get_current_timezone()
        for name, field in self.fields.items():
            wall = getattr(field, "repeated_wall_time", None)
            if wall is not None and name in cleaned:
                self._time_notes.append(dates.repeated_note(field.label, wall, zone))
        return cleaned


# ---- starting a batch ----


class StartBatchForm(PressedAtForm, UnitFormMixin, forms.Form):
    """A new batch from one culture: milk grains get the milks, water grains sugar water and sugar."""

    base = forms.ChoiceField(label="Base")
    started_at = MomentField(
        label="Started at",
        now_if_empty=True,
        help_text="Leave empty for now. A batch logged late still gets the next number.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    once = OneTimeKeyField()
    moment_field = "started_at"

    def __init__(self, *args, culture: Culture, user, **kwargs):
        kwargs.setdefault("auto_id", f"start{culture.pk}_%s")
        super().__init__(*args, **kwargs)
        self.culture = culture
        self.fields["base"].choices = [(b.value, b.label) for b in Base.for_kind(culture.kind)]
        fields = {
            "base": self.fields["base"],
            "volume_ml": volume_field(user),
            "grains_in_g": grams_field("Grains in", MAX_GRAINS_G),
        }
        if culture.kind == Kind.WATER:
            fields["sugar_g"] = grams_field(
                "Sugar", MAX_SUGAR_G, error_messages={"required": "Water kefir needs sugar."}
            )
        fields["room_temp_c"] = temperature_field(user)
        fields["started_at"] = self.fields["started_at"]
        fields["notes"] = self.fields["notes"]
        fields["once"] = self.fields["once"]
        fields["pressed_at"] = self.fields["pressed_at"]
        fields["amounts_confirmed"] = forms.BooleanField(
            label="These amounts are right", required=False
        )
        self.fields = fields
        self.asks_to_confirm = False

    form_id = property(lambda self: f"start-{self.culture.pk}")
    action_url = property(lambda self: reverse("batches:start", args=[self.culture.pk]))
    submit_label = "Start"

    def clean(self):
        cleaned = super().clean()
        amounts = [cleaned.get(name) for name in ("volume_ml", "grains_in_g", "sugar_g")]
        warnings = ratio_warnings(self.culture.kind, *amounts)
        self.asks_to_confirm = bool(warnings)
        confirmed = cleaned.pop("amounts_confirmed", False)
        if warnings and not confirmed:
            for name, warning in warnings.items():
                self.add_error(name, f"{warning} Right? Tick below.")
        return cleaned

    @property
    def has_more_errors(self):
        """True when a field tucked under "More" needs attention."""
        return any(name in self.errors for name in ("room_temp_c", "started_at", "notes"))


# ---- actions on one batch ----


class BatchActionForm(UnitFormMixin, forms.Form):
    """A form that changes one batch; knows its URL, its element id and its button."""

    url_name = ""
    submit_label = ""
    made_by_it = "the change to {batch}"  # what a form sent twice saved once

    def __init__(self, *args, batch: Batch, user, **kwargs):
        self.batch, self.user = batch, user
        kwargs.setdefault("auto_id", f"{self.name}_%s")  # several forms share a page
        super().__init__(*args, **kwargs)

    @property
    def name(self):
        return self.url_name.split(":")[1]

    @property
    def form_id(self):
        return f"{self.name}-form"

    @property
    def action_url(self):
        return reverse(self.url_name, args=[self.batch.pk])


class StrainForm(PressedAtForm, BatchActionForm):
    url_name, submit_label = "batches:strain", "Strain"
    moment_field, made_by_it = "strained_at", "the strain of {batch}"
    strained_at = MomentField(label="Strained at", now_if_empty=True)
    grains_out_g = grams_field(
        "Grains out", MAX_GRAINS_G, required=False, help_text="If you weighed them: shows growth."
    )
    once = OneTimeKeyField()


class BottleForm(PressedAtForm, BatchActionForm):
    url_name, submit_label = "batches:bottle", "Bottle"
    moment_field, made_by_it = "bottled_at", "the bottling of {batch}"
    flavourings = forms.CharField(
        label="Flavourings",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "ginger, lemon…"}),
    )
    bottled_at = MomentField(label="Bottled at", now_if_empty=True)
    once = OneTimeKeyField()


class FinishForm(PressedAtForm, BatchActionForm):
    url_name, submit_label = "batches:finish", "Finish second ferment"
    moment_field, made_by_it = "finished_at", "the end of the second ferment of {batch}"
    finished_at = MomentField(label="Finished at", now_if_empty=True)
    once = OneTimeKeyField()


class TastingForm(PressedAtForm, BatchActionForm):
    url_name, submit_label = "batches:taste", "Add tasting note"
    moment_field = "tasted_at"
    rating = scale_field("Rating", required=True)
    sourness = scale_field("Sourness")
    fizz = scale_field("Fizz")
    thickness = scale_field("Thickness")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tasted_at = MomentField(label="Tasted at", now_if_empty=True)
    once = OneTimeKeyField()
    made_by_it = "the tasting note"


class DiscardForm(PressedAtForm, BatchActionForm):
    url_name, submit_label = "batches:discard", "Discard batch"
    moment_field, made_by_it = "discarded_at", "the discarding of {batch}"  # no field: pressed
    reason = forms.CharField(
        label="Why?",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "mould, forgot it for a week…"}),
        error_messages={"required": "Say why, so future you knows (for example: mould)."},
    )
    once = OneTimeKeyField()


class UndoForm(BatchActionForm):
    """Takes back the latest one-tap change (services.undo_last_action): a button only."""

    url_name, submit_label = "batches:undo", "Undo"


class EditBatchForm(BatchActionForm):
    """Every field of the batch, in the user's units; culture and owner stay."""

    url_name, submit_label = "batches:edit", "Save changes"
    base = forms.ChoiceField(label="Base")
    started_at = MomentField(label="Started at", required=True)
    strained_at = MomentField(label="Strained at")
    bottled_at = MomentField(label="Bottled at")
    finished_at = MomentField(label="Second ferment finished at")
    flavourings = forms.CharField(label="Flavourings", max_length=200, required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, batch, user, **kwargs):
        kwargs.setdefault("initial", {name: getattr(batch, name) for name in self.editable(batch)})
        super().__init__(*args, batch=batch, user=user, **kwargs)
        self.fields["base"].choices = [
            (b.value, b.label) for b in Base.for_kind(batch.culture.kind)
        ]
        declared = self.fields
        fields = {
            "base": declared["base"],
            "volume_ml": volume_field(user),
            "grains_in_g": grams_field("Grains in", MAX_GRAINS_G),
        }
        if batch.culture.kind == Kind.WATER:
            fields["sugar_g"] = grams_field("Sugar", MAX_SUGAR_G)
        fields["room_temp_c"] = temperature_field(user)
        for name in ("started_at", "strained_at"):
            fields[name] = declared[name]
        fields["grains_out_g"] = grams_field("Grains out", MAX_GRAINS_G, required=False)
        for name in ("flavourings", "bottled_at", "finished_at", "notes"):
            fields[name] = declared[name]
        self.fields = fields

    @staticmethod
    def editable(batch):
        names = [
            "base",
            "volume_ml",
            "grains_in_g",
            "room_temp_c",
            "started_at",
            "strained_at",
            "grains_out_g",
            "flavourings",
            "bottled_at",
            "finished_at",
            "notes",
        ]
        return [*names, "sugar_g"] if batch.culture.kind == Kind.WATER else names


# ---- History filters ----


class HistoryFilterForm(forms.Form):
    """The query string of History. Unknown values are errors (400), never a crash."""

    q = forms.CharField(
        label="Search notes and flavourings",
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": "Search notes, flavourings…"}),
    )
    culture = forms.ModelChoiceField(
        label="Grains", queryset=Culture.objects.none(), required=False, empty_label="All grains"
    )
    base = forms.ChoiceField(
        label="Base", choices=[("", "All bases"), *Base.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *BatchStatus.choices], required=False
    )
    min_rating = forms.TypedChoiceField(
        label="Rating",
        choices=[("", "Any rating"), *[(n, f"{n}+ ★" if n < 5 else "5 ★") for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)
    # The last row loaded, kept in the address as the list grows: Back, a reload
    # or a bookmark shows every row from the newest down to it.
    through = forms.CharField(required=False, widget=forms.HiddenInput)

    PLACE = ("cursor", "through")  # where in the list, not which batches

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        culture = self.fields["culture"]
        asked = str(self.data.get("culture", ""))
        if asked:  # only a culture asked for is looked up (most requests ask for none)
            culture.queryset = Culture.objects.for_user(user)

        def offered():
            """Only grains that made a batch (the others would show nothing), plus
            the one asked for; any of the user's grains is accepted. Built only when
            the list is shown: most requests (pages of rows) never show it."""
            grains = Culture.objects.for_user(user).filter(
                Q(Exists(Batch.objects.filter(culture=OuterRef("pk")))) | Q(pk=parse_id(asked))
            )
            return [("", culture.empty_label), *grains.values_list("pk", "name")]

        culture.choices = offered

    def clean_cursor(self):
        return self._place(self.cleaned_data["cursor"])

    def clean_through(self):
        return self._place(self.cleaned_data["through"])

    def clean(self):
        data = super().clean()
        if data.get("cursor") and data.get("through"):
            raise ValidationError("That page link is broken; start from the newest.")
        return data

    @staticmethod
    def _place(token):
        if not token:
            return None
        try:
            return Cursor.parse(token)
        except InvalidCursor:
            raise ValidationError("That page link is broken; start from the newest.") from None

    def filter(self, batches):
        data = self.cleaned_data
        if data["q"].strip():
            batches = batches.search(data["q"].strip())
        if data["culture"]:
            batches = batches.filter(culture=data["culture"])
        if data["base"]:
            batches = batches.filter(base=data["base"])
        if data["status"]:
            batches = batches.with_status(data["status"])
        if data["min_rating"]:
            batches = batches.rated_at_least(data["min_rating"])
        return batches

    @property
    def is_filtered(self):
        return any(self.cleaned_data.get(name) for name in self.fields if name not in self.PLACE)
