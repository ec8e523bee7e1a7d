"""Is the model better than the rule it replaced? Replay a person's year.

For each strained batch, in the order they were started, both predict its
first-ferment hours from the batches strained before it started (what the app
knew at that moment), and are scored by the absolute error in hours.

The old rule, what Today said until the model: the median of the latest 20
strained batches of the same base (across all grains), or before any, the
guides' typical time at the room temperature.
"""

from dataclasses import dataclass, field
from statistics import median

from kefir_tracker.batches.models import Base
from kefir_tracker.forecast.model import (
    DOUBLING_C,
    LEARN_FROM,
    PRIOR_HOURS,
    REFERENCE_C,
    Observation,
    ReadyModel,
)

OLD_RULE_FROM_LAST = 20
OLD_RULE_ROOM_C = (14, 32)


def old_rule_hours(history: list[Observation], target: Observation) -> float:
    same_base = [obs.hours for obs in history if obs.base == target.base]
    if same_base:
        return median(same_base[-OLD_RULE_FROM_LAST:])
    hours = PRIOR_HOURS[Base(target.base).kind]
    if target.room_temp_c is not None:
        low, high = OLD_RULE_ROOM_C
        room = min(max(target.room_temp_c, low), high)
        hours *= 2 ** ((REFERENCE_C - room) / DOUBLING_C)
    return hours


@dataclass
class Score:
    batches: int = 0
    new_errors: list[float] = field(default_factory=list)
    old_errors: list[float] = field(default_factory=list)
    in_range: int = 0

    @property
    def new_median(self) -> float:
        return median(self.new_errors) if self.new_errors else 0.0

    @property
    def old_median(self) -> float:
        return median(self.old_errors) if self.old_errors else 0.0

    @property
    def coverage(self) -> float:
        """The share of batches strained within the model's range."""
        return self.in_range / self.batches if self.batches else 0.0


def backtest(observations: list[Observation]) -> dict[str, Score]:
    """Scores per base and over all ("all"), replaying ``observations`` in start order."""
    ordered = sorted(observations, key=lambda obs: obs.started_at)
    scores: dict[str, Score] = {"all": Score()}
    for i, target in enumerate(ordered):
        known = sorted(
            (obs for obs in ordered[:i] if obs.strained_at <= target.started_at),
            key=lambda obs: obs.started_at,
        )
        model = ReadyModel(known[-LEARN_FROM:], now=target.started_at)
        forecast = model.predict(
            target.base,
            culture_id=target.culture_id,
            room_temp_c=target.room_temp_c,
            grains_g=target.grains_g,
            volume_ml=target.volume_ml,
            when=target.started_at,
        )
        old = old_rule_hours(known, target)
        for key in ("all", target.base):
            score = scores.setdefault(key, Score())
            score.batches += 1
            score.new_errors.append(abs(forecast.hours - target.hours))
            score.old_errors.append(abs(old - target.hours))
            score.in_range += forecast.low <= target.hours <= forecast.high
    return scores
