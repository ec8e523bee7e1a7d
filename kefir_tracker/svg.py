"""What the server-drawn charts share: estimated text boxes, so that labels can be
placed where they cover nothing else, and tick steps that read well.

The boxes are estimated, generously: DejaVu Sans and Roboto digits are 0.55 to
0.64 em wide, so a label kept clear of its neighbours here is clear in the
browser too.
"""

import math
from dataclasses import dataclass

FONT = 10  # px, as .chart-tick and .chart-value in app.css
GAP = 2  # clear space kept around a label


def char_width(font=FONT) -> float:
    return 0.66 * font


def ascent(font=FONT) -> float:
    return 0.8 * font


def descent(font=FONT) -> float:
    return 0.25 * font


def text_width(text, font=FONT) -> float:
    return len(text) * char_width(font)


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def inside(self, other: "Box") -> bool:
        return (
            other.left <= self.left
            and self.right <= other.right
            and other.top <= self.top
            and self.bottom <= other.bottom
        )


def text_box(x, y, text, anchor, font=FONT) -> Box:
    """The box a label of ``text`` at (x, y) on its baseline covers, with GAP around it."""
    width = text_width(text, font)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left - GAP, y - ascent(font) - GAP, left + width + GAP, y + descent(font) + GAP)


def crosses(box: Box, a, b) -> bool:
    """Whether the straight line from ``a`` to ``b`` (anything with x and y) passes
    through ``box`` (Liang-Barsky clipping)."""
    dx, dy = b.x - a.x, b.y - a.y
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, a.x - box.left),
        (dx, box.right - a.x),
        (-dy, a.y - box.top),
        (dy, box.bottom - a.y),
    ):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
        if low > high:
            return False
    return True


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str  # "start", "middle" or "end", as SVG's text-anchor
    font: float = FONT

    @property
    def box(self) -> Box:
        return text_box(self.x, self.y, self.text, self.anchor, self.font)


def nice_step(span: float, ticks: int = 4) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten that cuts ``span`` into at most
    about ``ticks`` parts."""
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def without_overlaps(labels) -> list[Label]:
    """``labels`` in order, leaving out each that would cover one already kept."""
    kept = []
    for label in labels:
        if not any(label.box.overlaps(other.box) for other in kept):
            kept.append(label)
    return kept
