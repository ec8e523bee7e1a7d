"""Reading the print page as a printer would: its sheets, their cells, and each label's
QR code decoded back from the SVG on the page."""

import re
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from urllib.parse import urlencode

import zxingcpp
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.grains.models import Kind
from tests.factories import make_batch, make_culture

SHEET = re.compile(r'<div class="sheet sheet-([\w-]+) ')
CELL = re.compile(r'<div class="label( label-used)?"')
QR = re.compile(r'<div class="label-qr"[^>]*>(<svg.*?</svg>)</div>', re.S)
LINES = re.compile(r'<div class="label-text">(.*?)</div>', re.S)
PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S)


@dataclass
class Label:
    lines: list[str]  # name, "#48 · cow milk", started or bottled, ready
    svg: str

    @property
    def name(self):
        return self.lines[0]

    @property
    def address(self):
        return decode_qr(self.svg)


def sheets(html: str) -> list[list[Label | None]]:
    """Every printed sheet of the page: its cells in order, None for a label left blank."""
    found = []
    for part in SHEET.split(html)[2::2]:
        cells = []
        for used, body in _cells(part):
            if used:
                cells.append(None)
                continue
            lines = [unescape(text) for text in PARAGRAPH.findall(LINES.search(body).group(1))]
            cells.append(Label(lines, QR.search(body).group(1)))
        found.append(cells)
    return found


def _cells(part):
    starts = list(CELL.finditer(part))
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        yield here.group(1), part[here.end() : after.start() if after else len(part)]


def labels(html: str) -> list[Label]:
    return [cell for sheet in sheets(html) for cell in sheet if cell is not None]


PATH = re.compile(r'<path [^>]*\bd="([^"]+)"')
STEP = re.compile(r"([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?")
PIXELS = 4  # per module, for the decoder


def modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """(width in modules, the dark modules (x, y)) of a QR code drawn as segno draws it:
    one path of horizontal strokes, each "h<n>" n modules long on row y (at y + 0.5)."""
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    assert width == height
    path = PATH.findall(svg)
    assert len(path) == 1, "one path of dark modules"
    steps = STEP.findall(path[0])
    assert "".join(f"{c}{a}{' ' + b if b else ''}" for c, a, b in steps) == path[0], (
        "only M, m and h in the path"
    )
    dark, x, y = set(), 0.0, 0.0
    for command, a, b in steps:
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(a)))
            x += float(a)
    return width, dark


def decode_qr(svg: str) -> str:
    """The text in the QR code ``svg``: its modules painted into a grey image, read by
    zxing-cpp (a decoder that knows nothing of how it was made)."""
    width, dark = modules(svg)
    side = width * PIXELS
    image = bytearray(b"\xff" * side * side)
    for x, y in dark:
        for row in range(y * PIXELS, (y + 1) * PIXELS):
            image[row * side + x * PIXELS : row * side + (x + 1) * PIXELS] = b"\x00" * PIXELS
    found = zxingcpp.read_barcode(memoryview(image).cast("B", (side, side)))
    assert found is not None, "no QR code found"
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    return found.text


def jars(owner):
    """The owner's kitchen: a jar fermenting, a bottle in a second ferment, and batches no
    longer in use (strained, second ferment finished, discarded)."""
    now = timezone.now()
    hours = timedelta(hours=1)
    babushka = make_culture(owner, "Babushka")
    done = make_batch(babushka, started_at=now - 60 * hours, strained_at=now - 40 * hours)
    finished = make_batch(
        babushka,
        started_at=now - 40 * hours,
        strained_at=now - 30 * hours,
        bottled_at=now - 29 * hours,
        finished_at=now - 20 * hours,
    )
    discarded = make_batch(
        babushka, started_at=now - 19 * hours, discarded=True, discarded_at=now - 18 * hours
    )
    fermenting = make_batch(babushka, started_at=now - 9 * hours)
    tibicos = make_culture(owner, "Tibicos", kind=Kind.WATER)
    bottled = make_batch(
        tibicos,
        started_at=now - 50 * hours,
        strained_at=now - 6 * hours,
        bottled_at=now - 5 * hours,
        flavourings="ginger",
    )
    return {
        "fermenting": fermenting,
        "bottled": bottled,
        "done": done,
        "finished": finished,
        "discarded": discarded,
    }


def print_url(*batches, paper="a4", size="small", skip=0, copies=1, **extra):
    query = [("batch", batch if isinstance(batch, str) else batch.pk) for batch in batches]
    query += [("paper", paper), ("size", size), ("skip", skip), ("copies", copies)]
    query += list(extra.items())
    return f"{reverse('labels:print')}?{urlencode(query)}"
