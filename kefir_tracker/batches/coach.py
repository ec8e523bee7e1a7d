"""The ratio coach of the start form: from two of "ready by", the grains and the volume,
the third, by the person's own ready-time model (kefir_tracker.forecast.model).

- ready by + grains: how much milk (or sugar water, and its sugar);
- ready by + volume: how many grams of grains;
- grains + volume: when it will be ready, with the model's usual range.

With all three typed (the form comes filled in from the last batch), the grains stay
and the volume is worked out: the grains are what the jar holds, milk is poured to
suit. "Ready by" is a clock time: the next such time after now. Amounts are rounded
to what a kitchen measures (50 ml, a measuring cup's marks, 5 g) and kept within the
guides' ratios (kefir_tracker.batches.ratios); a time those cannot make is said so,
with what can be done instead.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kefir_tracker import dates, units
from kefir_tracker.batches.forms import MomentField, temperature_field, volume_field
from kefir_tracker.batches.models import MAX_SUGAR_G, MAX_VOLUME_ML, Base
from kefir_tracker.batches.ratios import grains_per_litre_range, ratio_warnings, sugar_for
from kefir_tracker.forms import grams_field
from kefir_tracker.grains.models import MAX_GRAINS_G, Kind

ML_STEP, GRAMS_STEP, SMALL_GRAMS = Decimal(50), Decimal(5), Decimal(10)
SHOWN_TO = timedelta(minutes=10)  # an estimate: ready times shown to the ten minutes
DAYS_AHEAD = 3  # a "ready by" too soon is tried this many days later (water kefir: 2-3)


class ReadyByField(forms.TimeField):
    """A clock time, typed or from a time input: "07:30", "7.30", "7:30 pm"."""

    input_formats = ["%H:%M", "%H:%M:%S", "%H.%M", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p"]
    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def __init__(self, **kwargs):
        super().__init__(label="Ready by", required=False, **kwargs)
        self.error_messages["invalid"] = "Type the time it should be ready, like 07:30."


class CoachForm(forms.Form):
    """What is typed in a start form, each field on its own: a half-typed one is left out."""

    ready_by = ReadyByField()

    def __init__(self, data, *, culture, user):
        super().__init__(data, auto_id=f"start{culture.pk}_%s")
        self.culture, self.user = culture, user
        self.fields["base"] = forms.ChoiceField(
            choices=[(b.value, b.label) for b in Base.for_kind(culture.kind)], required=False
        )
        self.fields["volume_ml"] = volume_field(user, required=False)
        self.fields["grains_in_g"] = grams_field("Grains in", MAX_GRAINS_G, required=False)
        if culture.kind == Kind.WATER:
            self.fields["sugar_g"] = grams_field("Sugar", MAX_SUGAR_G, required=False)
        self.fields["room_temp_c"] = temperature_field(user)
        self.fields["started_at"] = MomentField(label="Started at")

    def typed(self) -> dict:
        """The fields that were typed and make sense, cleaned (SI units)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


@dataclass
class Advice:
    """The coach's answer: one sentence (or a hint what to type), and the amounts that
    "Use these amounts" puts in the form (``fill``: field name -> the value as typed)."""

    culture_pk: int
    sentence: SafeString | str = ""
    note: str = ""  # the time asked for cannot be made: why, and what can
    alternative: str = ""
    warnings: list[str] = field(default_factory=list)
    based_on: str = ""
    hint: str = ""
    fill: dict[str, str] = field(default_factory=dict)


@dataclass
class _Plan:
    """Amounts (SI) and when they are ready."""

    grains_g: Decimal
    volume_ml: Decimal
    start: datetime
    forecast: object

    @property
    def earliest(self):
        return self.start + timedelta(hours=self.forecast.low)

    @property
    def latest(self):
        return self.start + timedelta(hours=self.forecast.high)

    @property
    def expected(self):
        return self.start + self.forecast.expected


def next_moment(clock: time, now: datetime) -> datetime:
    """The next time after ``now`` the clock in the active time zone says ``clock``
    (a time the clocks skip that day is the one the next day)."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now).date()
    for days in range(3):
        try:
            moment, _ = dates.resolve(datetime.combine(today + timedelta(days), clock), zone)
        except dates.SkippedTime:
            continue
        if moment > now:
            return moment
    raise AssertionError("a clock time comes round within three days")


def _rounded(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    floor = local.replace(minute=local.minute - local.minute % 10, second=0, microsecond=0)
    return floor + SHOWN_TO if local - floor >= SHOWN_TO / 2 else floor


def _time(moment: datetime) -> SafeString:
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="minutes"),
        dates.time_of_day(local),
    )


def _on_day(moment: datetime, now: datetime) -> SafeString:
    """ "07:30 today", "07:30 tomorrow", "07:30 on Fri 4 Dec"."""
    local, today = timezone.localtime(moment), timezone.localtime(now).date()
    if local.date() == today:
        return format_html("{} today", _time(moment))
    if local.date() == today + timedelta(1):
        return format_html("{} tomorrow", _time(moment))
    return format_html("{} on {}", _time(moment), dates.weekday_date(local.date()))


def _span(low: datetime, high: datetime, day) -> SafeString:
    """ "06:40-08:50", with the weekdays when the range leaves ``day``."""
    low, high = _rounded(low), _rounded(high)
    if low.date() == high.date() == day:
        return format_html('<span class="span">{}–{}</span>', _time(low), _time(high))
    weekday = dates.WEEKDAYS
    return format_html(
        '{} <span class="span">{}–{}</span> {}',
        weekday[low.weekday()],
        _time(low),
        weekday[high.weekday()],
        _time(high),
    )


def _step_within(value, step, low, high) -> Decimal:
    """``value`` to the nearest ``step``, moved a step inwards if that leaves low-high."""
    rounded = (Decimal(value) / step).quantize(1, ROUND_HALF_UP) * step
    if rounded < low:
        rounded = (Decimal(low) / step).quantize(1, ROUND_CEILING) * step
    if rounded > high:
        rounded = (Decimal(high) / step).quantize(1, ROUND_FLOOR) * step
    if rounded < low or rounded <= 0:  # narrower than a step: to the gram or millilitre
        rounded = max(units.round_to(value, 0), Decimal(1))
    return rounded


_NUMBER_AND_UNIT = re.compile(r"(\d[¼⅓½⅔¾]?) (?=°|ml\b|g\b|L\b|cups?\b|h\b)")


def _kept_together(text):
    """ "25.7 °C", "300 ml" never broken across two lines on a phone (a no-break space)."""
    joined = _NUMBER_AND_UNIT.sub("\\1\N{NO-BREAK SPACE}", text)
    return mark_safe(joined) if isinstance(text, SafeString) else joined


def _cups_ml(cups) -> Decimal:
    if isinstance(cups, Fraction):
        cups = Decimal(cups.numerator) / cups.denominator
    return units.round_to(units.cups_to_ml(cups), 1)  # as the form's cups field stores it


class Coach:
    """One answer for one start form; the model is fitted once by the caller."""

    def __init__(self, form: CoachForm, model, now=None):
        self.form, self.model = form, model
        self.now = now or timezone.now()
        self.culture, self.user = form.culture, form.user
        self.kind = self.culture.kind
        self.typed = form.typed()
        base = self.typed.get("base") or Base.for_kind(self.kind)[0]
        self.base = Base(base)
        self.start = self.typed.get("started_at") or self.now
        self.room = self.typed.get("room_temp_c")
        self.fewest, self.most = grains_per_litre_range(self.kind)
        self.advice = Advice(culture_pk=self.culture.pk)

    # ---- words in the person's units ----

    @property
    def liquid(self):
        return "milk" if self.kind == Kind.MILK else "sugar water"

    def volume_text(self, ml) -> str:
        return f"{units.show_volume(ml, self.user.volume_unit)} of {self.liquid}"

    def volume_typed(self, ml) -> str:
        """``ml`` as the volume field shows it (what "Use these amounts" types)."""
        return self.form.fields["volume_ml"].show(ml)

    def temperature_text(self) -> str:
        unit = self.user.temperature_unit
        if self.room is not None:
            return units.show_temperature(self.room, unit)
        celsius, where = self.model.assumed_room(self.start)
        return f"{units.show_temperature(Decimal(round(celsius)), unit)} ({where})"

    def ratio_words(self, per_litre) -> str:
        if self.kind == Kind.MILK:
            return f"1 g of grains to {units.trim(units.round_to(1000 / per_litre, 0))} ml of milk"
        return f"{units.trim(units.round_to(per_litre, 0))} g of grains per litre"

    # ---- the model ----

    def forecast(self, grains, volume):
        return self.model.predict(
            self.base,
            culture_id=self.culture.pk,
            room_temp_c=self.room,
            grains_g=grains,
            volume_ml=volume,
            when=self.start,
        )

    def plan(self, grains, volume) -> _Plan:
        return _Plan(grains, volume, self.start, self.forecast(grains, volume))

    def per_litre_for(self, target: datetime) -> Decimal:
        """Grams of grains per litre that make it ready at ``target``, by the model."""
        hours = max((target - self.start).total_seconds() / 3600, 0.25)
        per_litre = self.model.grains_for(
            hours,
            self.base,
            volume_ml=1000,
            culture_id=self.culture.pk,
            room_temp_c=self.room,
            when=self.start,
        )
        return Decimal(per_litre if math.isfinite(per_litre) else 1e9)

    def kitchen_volume(self, ml, low, high) -> Decimal:
        most = Decimal(MAX_VOLUME_ML)  # what a batch may hold, whatever the guides say
        high = min(high, most)
        if self.user.volume_unit != "cup":
            return min(_step_within(ml, ML_STEP, low, high), most)
        cups = units.round_cups(min(ml, most))
        if _cups_ml(cups) < low:
            cups = units.round_cups(min(low, most), ROUND_CEILING)
        if _cups_ml(cups) > high:
            cups = units.round_cups(high, ROUND_FLOOR)
        return _cups_ml(cups)

    @staticmethod
    def kitchen_grams(grams, low, high) -> Decimal:
        step = GRAMS_STEP if grams >= SMALL_GRAMS else Decimal(1)
        most = Decimal(MAX_GRAINS_G)
        return min(_step_within(grams, step, low, min(high, most)), most)

    def volume_for(self, grains, per_litre) -> Decimal:
        """The kitchen volume for ``grains`` at about ``per_litre``, within the guides."""
        ml = Decimal(grains) * 1000 / per_litre
        return self.kitchen_volume(ml, grains * 1000 / self.most, grains * 1000 / self.fewest)

    def grains_for(self, volume, per_litre) -> Decimal:
        litres = Decimal(volume) / 1000
        return self.kitchen_grams(per_litre * litres, self.fewest * litres, self.most * litres)

    # ---- the answer ----

    def answer(self) -> Advice:
        ready_by = self.typed.get("ready_by")
        grains, volume = self.typed.get("grains_in_g"), self.typed.get("volume_ml")
        if ready_by is not None and grains is not None:
            self.towards(next_moment(ready_by, self.now), grains=grains, volume=volume)
        elif ready_by is not None and volume is not None:
            self.towards(next_moment(ready_by, self.now), volume=volume)
        elif grains is not None and volume is not None:
            self.when_ready(grains, volume)
        else:
            self.advice.hint = self.hint(ready_by, grains, volume)
        advice = self.advice
        for name in ("sentence", "note", "alternative", "based_on"):
            setattr(advice, name, _kept_together(getattr(advice, name)))
        advice.warnings = [_kept_together(warning) for warning in advice.warnings]
        return advice

    def hint(self, ready_by, grains, volume) -> str:
        amounts = f"the grams of grains or the {self.volume_unit_words} of {self.liquid}"
        problems = [
            f"{self.form.fields[name].label}: {' '.join(errors)}"
            for name, errors in self.form.errors.items()
            if name in ("ready_by", "volume_ml", "grains_in_g")
        ]
        if ready_by is not None:
            wanted = f"Type {amounts} you have."
        elif grains is None and volume is None:
            wanted = f"Type when it should be ready, and {amounts}."
        else:
            wanted = f"Type when it should be ready (or both the grams and the {self.volume_unit_words})."
        return " ".join([*problems, wanted])

    @property
    def volume_unit_words(self):
        return "cups" if self.user.volume_unit == "cup" else "millilitres"

    def when_ready(self, grains, volume):
        plan = self.plan(grains, volume)
        expected = _rounded(plan.expected)
        self.advice.sentence = format_html(
            "With {} g of grains in {} at {}, it will be ready about <strong>{}</strong> (usually {}: {}).",
            units.trim(grains),
            self.volume_text(volume),
            self.temperature_text(),
            _on_day(expected, self.now),
            plan.forecast.usual_range,
            _span(plan.earliest, plan.latest, timezone.localtime(expected).date()),
        )
        sugar = self.typed.get("sugar_g")
        self.advice.warnings = list(ratio_warnings(self.kind, volume, grains, sugar).values())
        if self.kind == Kind.WATER and sugar is None:
            self.suggest_sugar(volume)
            self.advice.sentence = format_html(
                "{} Add about {} g of sugar.", self.advice.sentence, self.advice.fill["sugar_g"]
            )
        self.finish(plan)

    def towards(self, target: datetime, *, grains=None, volume=None):
        """Amounts for ``target``: the volume for ``grains``, else the grains for ``volume``."""
        asked, per_litre = target, self.per_litre_for(target)
        if per_litre > self.most:  # too soon even with the most grains: a day later?
            soonest = self.at_ratio(grains, volume, self.most)
            for days in range(1, DAYS_AHEAD + 1):
                later = asked + timedelta(days)
                if self.per_litre_for(later) <= self.most:
                    target, per_litre = later, self.per_litre_for(later)
                    break
            self.advice.note = format_html(
                "{} is too soon at {}: even with {} (the most the guides give), it would be "
                "ready about {}.",
                _on_day(asked, self.now),
                self.temperature_text(),
                self.ratio_words(self.most),
                _on_day(_rounded(soonest.expected), self.now),
            )
            if target == asked:
                self.offer(self.fixed(grains, volume, self.most), target, "The soonest")
                return
        elif per_litre < self.fewest:  # it would be ready before then even with the fewest
            latest = self.fixed(grains, volume, self.fewest)
            self.advice.note = format_html(
                "Even with {} (the fewest the guides give), it would be ready before {}: "
                "strain it then, or keep it somewhere cooler.",
                self.ratio_words(self.fewest),
                _on_day(asked, self.now),
            )
            self.offer(latest, target, "The nearest")
            return
        plan = self.fixed(grains, volume, per_litre)
        self.offer(plan, target)
        if grains is not None and volume is not None and not self.advice.note:
            self.alternative(volume, per_litre)

    def fixed(self, grains, volume, per_litre) -> _Plan:
        """The plan keeping what was typed (the grains, else the volume) at ``per_litre``."""
        if grains is not None:
            return self.plan(grains, self.volume_for(grains, per_litre))
        return self.plan(self.grains_for(volume, per_litre), volume)

    def at_ratio(self, grains, volume, per_litre) -> _Plan:
        """Exactly ``per_litre`` (not rounded to a kitchen amount): what the guides allow."""
        if grains is not None:
            return self.plan(grains, Decimal(grains) * 1000 / per_litre)
        return self.plan(per_litre * Decimal(volume) / 1000, volume)

    def offer(self, plan: _Plan, target: datetime, lead=""):
        grains_typed = self.typed.get("grains_in_g") is not None
        volume_text = self.volume_text(plan.volume_ml)
        if self.kind == Kind.WATER:
            self.suggest_sugar(plan.volume_ml)
            volume_text = f"{volume_text} and {self.advice.fill['sugar_g']} g of sugar"
        span = _span(plan.earliest, plan.latest, timezone.localtime(target).date())
        grams = units.trim(plan.grains_g)
        if grains_typed:
            self.advice.fill["volume_ml"] = self.volume_typed(plan.volume_ml)
            amounts = format_html("use about <strong>{}</strong>", volume_text)
        else:
            self.advice.fill["grains_in_g"] = grams
            amounts = format_html(
                "put about <strong>{} g of grains</strong> in {}", grams, volume_text
            )
        if lead:
            self.advice.sentence = format_html("{}: {} (ready {}).", lead, amounts, span)
        else:
            self.advice.sentence = format_html(
                "To be ready by {} at {}{}, {} (ready {}).",
                _on_day(target, self.now),
                self.temperature_text(),
                f" with {grams} g of grains" if grains_typed else "",
                amounts,
                span,
            )
        self.finish(plan)

    def alternative(self, volume, per_litre):
        if not self.fewest <= per_litre <= self.most:
            return
        grains = self.grains_for(volume, per_litre)
        self.advice.alternative = (
            f"Or keep {units.show_volume(volume, self.user.volume_unit)} and use about "
            f"{units.trim(grains)} g of grains."
        )

    def suggest_sugar(self, volume):
        grams = _step_within(sugar_for(volume), GRAMS_STEP, Decimal(0), Decimal(MAX_SUGAR_G))
        self.advice.fill["sugar_g"] = units.trim(grams)

    def finish(self, plan: _Plan):
        """The muted line, and no "Use these amounts" for what is already typed."""
        unit = self.user.temperature_unit
        based_on = plan.forecast.based_on(unit)
        self.advice.based_on = f"{based_on[:1].upper()}{based_on[1:]}."
        for name, value in list(self.advice.fill.items()):
            typed = self.typed.get(name)
            try:
                same = self.form.fields[name].clean(value) == typed
            except ValidationError:  # beyond what a batch may hold: not for the form
                same = True
            if same:
                del self.advice.fill[name]


def advise(form: CoachForm, model, now=None) -> Advice:
    """The coach's answer for what is typed in ``form``, by ``model``."""
    return Coach(form, model, now).answer()
