"""How long a first ferment takes, learned from the person's own batches.

    log(hours) = kind + base + grains + temperature slope * (°C - 22)
                 + ratio slope * log(grams per litre / the guides' usual)

Every term starts at what the kefir guides say (DESIGN.md) and the person's
strained batches pull it away as they accumulate: a Gaussian prior on each
number, fitted by weighted least squares (a handful of unknowns: plain Python
solves the normal equations). Recent batches weigh more (grains and kitchens
change), a batch far from the rest (a forgotten jar) weighs less at each pass
(Huber weights), discarded batches are not used at all, and each colony's own
pace is its batches' mean residual, shrunk towards zero while it has few.

The spread of the residuals gives a range ("usually 14-19 h"), wider while
there are few batches to go by.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import NormalDist, median

from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone

from kefir_tracker.batches.models import Base, Batch
from kefir_tracker.grains.models import Kind
from kefir_tracker.units import show_temperature

REFERENCE_C = 22.0
# The guides: milk kefir about 24 h and water kefir about 48 h at 22 °C, at about
# 15 g of grains to 250 ml of milk (60 g/l) and 45 g of water grains per litre.
PRIOR_HOURS = {Kind.MILK: 24.0, Kind.WATER: 48.0}
REFERENCE_G_PER_L = {Kind.MILK: 60.0, Kind.WATER: 45.0}
# "Speed roughly doubles for every 4-8 °C warmer": twice as fast every 6 °C,
# that is a Q10 of 2 ** (10 / 6), about 3.2 (the guides' own chart, 27 h at
# 19 °C to 12 h at 27 °C, gives 2.8). Within 4-8 °C at two standard deviations.
DOUBLING_C = 6.0
PRIOR_TEMPERATURE_SLOPE = (-math.log(2) / DOUBLING_C, 0.03)
# Twice the grains per litre: about 1.4 times as fast (the guides' 250 ml vs 500 ml
# for 15 g of grains: 24-30 h vs 36-48 h).
PRIOR_RATIO_SLOPE = (-0.5, 0.2)
PRIOR_KIND_SD = 0.5  # log hours: the guides' 24 h could be 15-40 h for these grains
PRIOR_BASE_SD = 0.25  # goat, soy, coconut: somewhat different from cow milk
PRIOR_SPREAD = 0.25  # log hours, the residual spread assumed before any batch
SPREAD_PSEUDO_BATCHES = 8
GRAINS_PSEUDO_BATCHES = 5  # a colony's own pace counts fully after a few batches
HALF_LIFE_DAYS = 120
HUBER_K = 1.5
MAX_LEVERAGE = 0.95
PASSES = 4
RANGE_Z = NormalDist().inv_cdf(0.9)  # 80 % of batches between low and high
MIN_WIDTH = 0.05  # never narrower than about ±5 %
ROOM_C_LIMITS = (10.0, 35.0)
LEARN_FROM = 400  # the latest strained batches: older ones weigh little anyway

_BASES = ("cow", "goat", "soy", "coconut", "water")
_MILK_BASES = ("goat", "soy", "coconut")  # offsets from cow milk
_PARAMS = ("milk", "water", *_MILK_BASES, "temperature", "ratio")
_INDEX = {name: i for i, name in enumerate(_PARAMS)}
_TEMPERATURE, _RATIO = _INDEX["temperature"], _INDEX["ratio"]


@dataclass(frozen=True, slots=True)
class Observation:
    """One strained batch, as the model sees it."""

    base: str
    culture_id: int | None
    started_at: datetime
    hours: float
    room_temp_c: float | None
    grains_g: float
    volume_ml: float

    @property
    def strained_at(self) -> datetime:
        return self.started_at + timedelta(hours=self.hours)


@dataclass(frozen=True)
class Forecast:
    hours: float
    low: float  # about 8 in 10 such batches are strained between low and high hours
    high: float
    batches: int  # the person's batches of this base it learned from: 0, the guides alone
    base: str
    room_c: tuple[float, float] | None = None  # the room temperatures they were made at
    # When none was given: (°C, "this month's usual" or where else it came from).
    assumed_room: tuple[float, str] | None = None

    @property
    def expected(self) -> timedelta:
        return timedelta(hours=self.hours)

    @property
    def usual_range(self) -> str:
        """ "14-19 h", or "3.5-5 h" for short ones."""
        digits = 0 if self.high >= 10 else 1
        low, high = (f"{value:.{digits}f}".removesuffix(".0") for value in (self.low, self.high))
        return f"{low}–{high} h"

    def based_on(self, temperature_unit: str = "C") -> str:
        """ "from your 23 batches of cow milk at 20-24 °C", or "from the kefir guides"."""
        if not self.batches:
            return "from the kefir guides"
        plural = "es" if self.batches != 1 else ""
        text = f"from your {self.batches} batch{plural} of {Base(self.base).label}"
        if self.room_c is None:
            return text
        low, high = (show_temperature(Decimal(round(c)), temperature_unit) for c in self.room_c)
        if low == high:
            return f"{text} at {low}"
        return f"{text} at {low.split()[0]}–{high}"


def _ratio_term(base: str, grains_g, volume_ml) -> float:
    if not grains_g or not volume_ml:
        return 0.0
    per_litre = float(grains_g) * 1000 / float(volume_ml)
    return math.log(per_litre / REFERENCE_G_PER_L[Base(base).kind])


def _features(base: str, celsius: float, ratio_term: float) -> tuple[tuple[int, float], ...]:
    """The batch's non-zero terms, as (index in _PARAMS, value): the fit visits each
    batch's few terms thousands of times a request, so no dict lookups there."""
    kind = _INDEX[Base(base).kind], 1.0
    terms = (_TEMPERATURE, celsius - REFERENCE_C), (_RATIO, ratio_term)
    if base in _MILK_BASES:
        return kind, (_INDEX[base], 1.0), *terms
    return kind, *terms


def _prior() -> tuple[dict[str, float], dict[str, float]]:
    """(mean, precision) of each parameter before any batch."""
    mean = dict.fromkeys(_PARAMS, 0.0)
    sd = dict.fromkeys(_PARAMS, PRIOR_BASE_SD)
    for kind, hours in PRIOR_HOURS.items():
        mean[kind], sd[kind] = math.log(hours), PRIOR_KIND_SD
    mean["temperature"], sd["temperature"] = PRIOR_TEMPERATURE_SLOPE
    mean["ratio"], sd["ratio"] = PRIOR_RATIO_SLOPE
    return mean, {name: 1 / sd[name] ** 2 for name in _PARAMS}


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting; the matrix is symmetric positive
    definite (the priors see to it), so it never meets a zero pivot."""
    n = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            for c in range(col, n + 1):
                rows[r][c] -= factor * rows[col][c]
    solution = [0.0] * n
    for r in range(n - 1, -1, -1):
        known = sum(rows[r][c] * solution[c] for c in range(r + 1, n))
        solution[r] = (rows[r][n] - known) / rows[r][r]
    return solution


def _spread(residuals: list[float]) -> float:
    """A robust standard deviation (1.4826 times the median absolute residual)."""
    if not residuals:
        return PRIOR_SPREAD
    return 1.4826 * median(abs(r) for r in residuals)


class ReadyModel:
    """Fitted once per request from a person's batches; ``predict`` costs nothing."""

    def __init__(self, observations: list[Observation], *, now=None):
        now = now or timezone.now()
        self.month_c = self._month_temperatures(observations)
        self.mean_c = self._mean_temperature(observations)
        self.params = _prior()[0]
        self._coefficients = [self.params[name] for name in _PARAMS]
        self.grains_offset: dict[int, float] = {}
        self.below = self.above = RANGE_Z * PRIOR_SPREAD
        self.by_base: dict[str, list[Observation]] = defaultdict(list)
        for obs in observations:
            self.by_base[obs.base].append(obs)
        if observations:
            self._fit(observations, now)

    # ---- fitting ----

    @staticmethod
    def _month_temperatures(observations) -> dict[int, float]:
        per_month = defaultdict(list)
        for obs in observations:
            if obs.room_temp_c is not None:
                per_month[obs.started_at.month].append(obs.room_temp_c)
        return {month: sum(temps) / len(temps) for month, temps in per_month.items()}

    @staticmethod
    def _mean_temperature(observations) -> float:
        temps = [obs.room_temp_c for obs in observations if obs.room_temp_c is not None]
        return sum(temps) / len(temps) if temps else REFERENCE_C

    def room_c(self, room_temp_c, when: datetime | None) -> float:
        """The room temperature given, or the usual one (``assumed_room``)."""
        if room_temp_c is not None:
            low, high = ROOM_C_LIMITS
            return min(max(float(room_temp_c), low), high)
        return self.assumed_room(when)[0]

    def assumed_room(self, when: datetime | None) -> tuple[float, str]:
        """(°C, where it comes from) for a batch whose room temperature was not given:
        that month's past batches, else all of them, else the guides' kitchen."""
        if when is not None and when.month in self.month_c:
            return self.month_c[when.month], "this month's usual"
        if self.month_c:
            return self.mean_c, "your usual"
        return REFERENCE_C, "a usual kitchen"

    def _fit(self, observations: list[Observation], now: datetime) -> None:
        rows = []
        for obs in observations:
            age_days = max((now - obs.started_at).total_seconds() / 86400, 0)
            features = _features(
                obs.base,
                self.room_c(obs.room_temp_c, obs.started_at),
                _ratio_term(obs.base, obs.grains_g, obs.volume_ml),
            )
            rows.append((obs, features, math.log(obs.hours), 0.5 ** (age_days / HALF_LIFE_DAYS)))
        robust = [1.0] * len(rows)
        spread = PRIOR_SPREAD
        leverage = None
        for _ in range(PASSES):
            matrix = self._fit_params(rows, robust, spread)
            # What the shared terms leave for each batch, before its colony's pace.
            left = [target - self._log_hours(None, f) for _, f, target, _ in rows]
            self._fit_grains(rows, left, robust)
            if leverage is None:
                leverage = self._leverage(rows, matrix, spread)
            offsets = self.grains_offset
            residuals = [
                r - offsets.get(obs.culture_id, 0.0)
                for r, (obs, *_) in zip(left, rows, strict=True)
            ]
            n, k = len(residuals), SPREAD_PSEUDO_BATCHES
            spread = math.sqrt((n * _spread(residuals) ** 2 + k * PRIOR_SPREAD**2) / (n + k))
            # Weighed by how far each batch is from what the others say (its residual
            # left out: a lone forgotten jar cannot vouch for itself), Huber's way.
            robust = [
                min(1.0, HUBER_K * spread * (1 - h) / abs(r)) if r else 1.0
                for r, h in zip(residuals, leverage, strict=True)
            ]
        self._set_range(residuals)

    def _fit_params(self, rows, robust, spread) -> list[list[float]]:
        """Weighted least squares on log hours less each colony's current offset, with
        the priors as extra equations; returns the normal equations' matrix."""
        prior_mean, prior_precision = _prior()
        noise = 1 / spread**2
        size = len(_PARAMS)
        matrix = [[0.0] * size for _ in _PARAMS]
        vector = [0.0] * size
        for name, i in _INDEX.items():
            matrix[i][i] += prior_precision[name]
            vector[i] += prior_precision[name] * prior_mean[name]
        offsets = self.grains_offset
        for (obs, features, target, recency), weight in zip(rows, robust, strict=True):
            w = noise * recency * weight
            target -= offsets.get(obs.culture_id, 0.0)
            for a, xa in features:
                wxa = w * xa
                vector[a] += wxa * target
                row = matrix[a]
                for b, xb in features:
                    row[b] += wxa * xb
        self.params = dict(zip(_PARAMS, _solve(matrix, vector), strict=True))
        self._coefficients = [self.params[name] for name in _PARAMS]
        return matrix

    def _leverage(self, rows, matrix, spread) -> list[float]:
        """How much each batch moves its own prediction (0: not at all, 1: wholly), the
        parameters' part (x' A^-1 x w) plus its colony's offset's part."""
        size = len(_PARAMS)
        columns = [_solve(matrix, [float(i == j) for j in range(size)]) for i in range(size)]
        per_grains = defaultdict(float)
        for obs, _, _, recency in rows:
            per_grains[obs.culture_id] += recency
        leverage = []
        for obs, features, _, recency in rows:
            quadratic = sum(xa * xb * columns[a][b] for a, xa in features for b, xb in features)
            own = recency / (per_grains[obs.culture_id] + GRAINS_PSEUDO_BATCHES)
            leverage.append(min(recency * quadratic / spread**2 + own, MAX_LEVERAGE))
        return leverage

    def _set_range(self, residuals: list[float]) -> None:
        """The range around a prediction: the 10th to 90th percentile of the residuals,
        drawn towards the guides' assumed spread while there are few of them."""
        n = len(residuals)
        ordered = sorted(residuals)
        below, above = -ordered[n // 10], ordered[-1 - n // 10]
        prior = RANGE_Z * PRIOR_SPREAD
        k = SPREAD_PSEUDO_BATCHES
        self.below = (n * below + k * prior) / (n + k)
        self.above = (n * above + k * prior) / (n + k)

    def _fit_grains(self, rows, left, robust) -> None:
        """Each colony's own pace: its weighted mean residual, shrunk towards none."""
        sums, weights = defaultdict(float), defaultdict(float)
        for (obs, _, _, recency), residual, weight in zip(rows, left, robust, strict=True):
            if obs.culture_id is None:
                continue
            sums[obs.culture_id] += recency * weight * residual
            weights[obs.culture_id] += recency * weight
        self.grains_offset = {
            culture: sums[culture] / (weights[culture] + GRAINS_PSEUDO_BATCHES) for culture in sums
        }

    def _log_hours(self, culture_id, features) -> float:
        coefficients = self._coefficients
        value = sum(coefficients[i] * x for i, x in features)
        return value + self.grains_offset.get(culture_id, 0.0)

    # ---- asking ----

    def predict(
        self, base, *, culture_id=None, room_temp_c=None, grains_g=None, volume_ml=None, when=None
    ) -> Forecast:
        base = str(base)
        celsius = self.room_c(room_temp_c, when)
        features = _features(base, celsius, _ratio_term(base, grains_g, volume_ml))
        centre = self._log_hours(culture_id, features)
        return Forecast(
            hours=math.exp(centre),
            low=math.exp(centre - max(self.below, MIN_WIDTH)),
            high=math.exp(centre + max(self.above, MIN_WIDTH)),
            batches=len(self.by_base.get(base, ())),
            base=base,
            room_c=self._room_range(base),
            assumed_room=None if room_temp_c is not None else self.assumed_room(when),
        )

    def _room_range(self, base: str) -> tuple[float, float] | None:
        """The middle 80 % of the room temperatures of the person's batches of ``base``."""
        temps = sorted(obs.room_temp_c for obs in self.by_base.get(base, ()) if obs.room_temp_c)
        if not temps:
            return None
        return temps[len(temps) // 10], temps[-1 - len(temps) // 10]

    def curve(self, base, temperatures) -> list[tuple[float, Forecast]]:
        """Forecasts over ``temperatures`` at the person's usual grains per litre for ``base``."""
        mine = self.by_base.get(str(base), [])
        ratios = sorted(obs.grains_g * 1000 / obs.volume_ml for obs in mine if obs.volume_ml)
        per_litre = median(ratios) if ratios else REFERENCE_G_PER_L[Base(base).kind]
        return [
            (celsius, self.predict(base, room_temp_c=celsius, grains_g=per_litre, volume_ml=1000))
            for celsius in temperatures
        ]

    def _per_litre_for(self, hours, base, culture_id, room_temp_c, when) -> float:
        base = str(base)
        features = _features(base, self.room_c(room_temp_c, when), 0.0)
        without_ratio = self._log_hours(culture_id, features)
        slope = min(self.params["ratio"], -0.1)  # more grains, never slower
        return REFERENCE_G_PER_L[Base(base).kind] * math.exp(
            (math.log(hours) - without_ratio) / slope
        )

    def volume_for(self, hours, base, *, grains_g, culture_id=None, room_temp_c=None, when=None):
        """Millilitres of base that ``grains_g`` ferment in about ``hours``."""
        per_litre = self._per_litre_for(hours, base, culture_id, room_temp_c, when)
        return float(grains_g) * 1000 / per_litre

    def grains_for(self, hours, base, *, volume_ml, culture_id=None, room_temp_c=None, when=None):
        """Grams of grains that ferment ``volume_ml`` in about ``hours``."""
        per_litre = self._per_litre_for(hours, base, culture_id, room_temp_c, when)
        return per_litre * float(volume_ml) / 1000


def observations_for(owner, *, limit=LEARN_FROM) -> list[Observation]:
    """The owner's latest strained batches that were not discarded. One query; the
    amounts come as floats from the database (a Decimal each costs more than the fit)."""
    rows = (
        Batch.objects.for_user(owner)
        .filter(strained_at__isnull=False, discarded=False)
        .order_by("-started_at")
        .values_list(
            "base",
            "culture_id",
            "started_at",
            "strained_at",
            Cast("room_temp_c", FloatField()),
            Cast("grains_in_g", FloatField()),
            Cast("volume_ml", FloatField()),
        )[:limit]
    )
    return [
        Observation(
            base=base,
            culture_id=culture_id,
            started_at=started,
            hours=max((strained - started).total_seconds() / 3600, 0.25),
            room_temp_c=room,
            grains_g=grains,
            volume_ml=volume,
        )
        for base, culture_id, started, strained, room, grains, volume in rows
    ]


def model_for(owner, *, now=None) -> ReadyModel:
    """The owner's ready-time model, fitted now from their batches. One query."""
    return ReadyModel(observations_for(owner), now=now)
