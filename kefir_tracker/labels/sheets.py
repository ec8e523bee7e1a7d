"""The sticker sheets jar labels are printed on: paper, and a grid of labels in mm.

Each grid is a common sheet of self-adhesive labels, measured as its maker
states it: the page's top and left margins, each label's size and the gaps
between them. static/css/labels.css lays out the same numbers (a class per
sheet, ``sheet-<key>``); tests/labels/test_browser_labels.py measures every
sheet in Chromium's print layout against these.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models


class Paper(models.TextChoices):
    A4 = "a4", "A4"
    LETTER = "letter", "US Letter"


PAGE_MM = {
    Paper.A4: (Decimal("210"), Decimal("297")),
    Paper.LETTER: (Decimal("215.9"), Decimal("279.4")),
}


class LabelSize(models.TextChoices):
    SMALL = "small", "Small"
    LARGE = "large", "Large"


@dataclass(frozen=True)
class Sheet:
    paper: Paper
    size: LabelSize
    columns: int
    rows: int
    width: Decimal  # of one label, mm
    height: Decimal
    top: Decimal  # margin of the page above the first row
    left: Decimal  # margin of the page left of the first column
    gap_x: Decimal  # between two columns
    gap_y: Decimal  # between two rows
    like: str  # a sheet people may know it as

    @property
    def key(self) -> str:
        return f"{self.paper}-{self.columns}x{self.rows}"

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def page(self) -> tuple[Decimal, Decimal]:
        return PAGE_MM[self.paper]

    @property
    def label_size(self) -> str:
        """'63.5 x 33.9 mm' (with a multiplication sign)"""
        return f"{_mm(self.width)} × {_mm(self.height)} mm"

    def describe(self) -> str:
        """'24 on a sheet (3 x 8), 63.5 x 33.9 mm, like Avery L7159'"""
        return f"{self.per_sheet} on a sheet ({self.columns} × {self.rows}), {self.label_size}, like {self.like}"


def _mm(value: Decimal) -> str:
    """'63.5', '66.7' (a Letter label's 66.675 mm), '38.1'"""
    return f"{value.quantize(Decimal('0.1')).normalize():f}"


def _sheet(paper, size, columns, rows, width, height, top, left, gap_x, gap_y, like):
    d = Decimal
    return Sheet(
        paper, size, columns, rows, d(width), d(height), d(top), d(left), d(gap_x), d(gap_y), like
    )


# US Letter sheets are made in inches: 2⅝ by 1 in is 66.675 by 25.4 mm.
SHEETS = {
    (Paper.A4, LabelSize.SMALL): _sheet(
        Paper.A4, LabelSize.SMALL, 3, 8, "63.5", "33.9", "12.9", "7.25", "2.5", "0", "Avery L7159"
    ),
    (Paper.A4, LabelSize.LARGE): _sheet(
        Paper.A4, LabelSize.LARGE, 2, 7, "99.1", "38.1", "15.15", "4.65", "2.5", "0", "Avery L7163"
    ),
    (Paper.LETTER, LabelSize.SMALL): _sheet(
        Paper.LETTER,
        LabelSize.SMALL,
        3,
        10,
        "66.675",
        "25.4",
        "12.7",
        "4.7625",
        "3.175",
        "0",
        "Avery 5160",
    ),
    (Paper.LETTER, LabelSize.LARGE): _sheet(
        Paper.LETTER,
        LabelSize.LARGE,
        2,
        5,
        "101.6",
        "50.8",
        "12.7",
        "3.96875",
        "4.7625",
        "0",
        "Avery 5163",
    ),
}


def sheet_for(paper: str, size: str) -> Sheet:
    return SHEETS[(Paper(paper), LabelSize(size))]
