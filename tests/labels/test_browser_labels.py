"""Printing jar labels on a phone: from Today to the labels page, A4 with two used labels
skipped, the print page's preview and its Print button; then, as Chromium prints it,
each sheet's labels where the sticker sheet has them, to the tenth of a millimetre, on
one page of the paper chosen; and axe finds nothing, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from kefir_tracker.labels.sheets import SHEETS
from tests.browser import assert_no_horizontal_overflow
from tests.checkers import axe_violations
from tests.labels.helpers import jars, print_url

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels in a millimetre
TOLERANCE_MM = 0.1

BOXES = """
() => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  };
  return [...document.querySelectorAll(".sheet")].map((sheet) => ({
    sheet: box(sheet),
    cells: [...sheet.querySelectorAll(".label")].map((cell) => ({
      used: cell.classList.contains("label-used"),
      box: box(cell),
      qr: cell.querySelector(".label-qr") && box(cell.querySelector(".label-qr")),
      text: cell.querySelector(".label-text") && box(cell.querySelector(".label-text")),
      overflows: [...cell.querySelectorAll(".label-text p")].some(
        (p) => p.scrollWidth > p.clientWidth + 1 && !p.classList.contains("label-name")
      ),
    })),
  }));
}
"""


def mm(pixels):
    return pixels / MM


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in mm of each page of a PDF Chromium made."""
    pages = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.\s]+)\]", pdf, re.S)
    if not pages:  # the MediaBox written before the type
        pages = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\][^>]*?/Type\s*/Page\b(?!s)", pdf, re.S)
    sizes = []
    for box in pages:
        x0, y0, x1, y1 = map(float, box.split())
        sizes.append(((x1 - x0) * 25.4 / 72, (y1 - y0) * 25.4 / 72))
    return sizes


def assert_grid(found, sheet, skip):
    """Every cell of the first sheet where ``sheet`` has its labels, in mm from the page's
    top left corner; the sheet itself one page of its paper."""
    page_w, page_h = (float(n) for n in sheet.page)
    first = found[0]
    assert mm(first["sheet"]["x"]) == pytest.approx(0, abs=TOLERANCE_MM)
    assert mm(first["sheet"]["y"]) == pytest.approx(0, abs=TOLERANCE_MM)
    assert mm(first["sheet"]["width"]) == pytest.approx(page_w, abs=TOLERANCE_MM)
    assert mm(first["sheet"]["height"]) == pytest.approx(page_h, abs=TOLERANCE_MM)
    cells = first["cells"]
    assert [cell["used"] for cell in cells[:skip]] == [True] * skip
    for index, cell in enumerate(cells):
        row, column = divmod(index, sheet.columns)
        x = float(sheet.left) + column * float(sheet.width + sheet.gap_x)
        y = float(sheet.top) + row * float(sheet.height + sheet.gap_y)
        where = f"{sheet.key}, cell {index}"
        assert mm(cell["box"]["x"]) == pytest.approx(x, abs=TOLERANCE_MM), where
        assert mm(cell["box"]["y"]) == pytest.approx(y, abs=TOLERANCE_MM), where
        assert mm(cell["box"]["width"]) == pytest.approx(float(sheet.width), abs=TOLERANCE_MM)
        assert mm(cell["box"]["height"]) == pytest.approx(float(sheet.height), abs=TOLERANCE_MM)
        if cell["used"]:
            continue
        for part in ("qr", "text"):  # inside the label, nothing cut off at its edge
            inner = cell[part]
            assert inner["x"] >= cell["box"]["x"], where
            assert inner["y"] >= cell["box"]["y"], where
            assert inner["x"] + inner["width"] <= cell["box"]["x"] + cell["box"]["width"], where
            assert inner["y"] + inner["height"] <= cell["box"]["y"] + cell["box"]["height"], where
        assert not cell["overflows"], where
        assert cell["qr"]["width"] == pytest.approx(cell["qr"]["height"], abs=0.5)
        assert mm(cell["qr"]["width"]) >= 20, f"{where}: a QR code too small to scan"


@pytest.fixture
def kitchen(owner):
    return jars(owner)


def test_printing_labels_on_a_phone_from_today_to_the_printed_a4_sheet(
    kitchen, signed_in_page, live_server
):
    page = signed_in_page
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; }")
    page.get_by_role("link", name="Print jar labels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jar labels")
    expect(page.get_by_label(re.compile("Babushka #"))).to_be_checked()
    expect(page.get_by_label(re.compile("Tibicos #"))).to_be_checked()
    assert_no_horizontal_overflow(page)

    page.get_by_label("US Letter").check()
    expect(page.get_by_text("30 on a sheet (3 × 10)")).to_be_visible()
    expect(page.get_by_text("24 on a sheet (3 × 8)")).to_be_hidden()
    page.get_by_label("A4", exact=True).check()
    expect(page.get_by_text("24 on a sheet (3 × 8)")).to_be_visible()
    expect(page.get_by_text("30 on a sheet (3 × 10)")).to_be_hidden()
    page.get_by_label(re.compile("Small")).check()
    page.get_by_label("Used labels to skip").fill("2")
    page.get_by_role("button", name="Show the sheet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("2 labels on 1 A4 sheet")
    assert_no_horizontal_overflow(page)  # the sheet drawn to fit the phone
    preview = page.locator(".sheet").bounding_box()
    assert preview["width"] <= 390
    assert preview["height"] / preview["width"] == pytest.approx(297 / 210, rel=0.01)
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    assert_grid(page.evaluate(BOXES), SHEETS[("a4", "small")], skip=2)
    sizes = pdf_pages(page.pdf(format="A4"))
    assert len(sizes) == 1
    assert sizes[0] == pytest.approx((210, 297), abs=0.5)


@pytest.mark.parametrize("sheet", list(SHEETS.values()), ids=[s.key for s in SHEETS.values()])
def test_every_sheet_prints_where_its_maker_has_the_labels(
    owner, kitchen, signed_in_page, live_server, sheet
):
    """Every cell of a full sheet; the last labels go on a second page of the same paper.
    On the 12-hour clock, whose times are the longest to write, nothing is cut off."""
    owner.clock_hours, owner.date_order = "12", "md"
    owner.save()
    page = signed_in_page
    url = print_url(
        kitchen["fermenting"],
        kitchen["bottled"],
        paper=sheet.paper,
        size=sheet.size,
        skip=sheet.per_sheet - 3,
        copies=2,
    )
    page.goto(f"{live_server.url}{url}")
    page.emulate_media(media="print")
    found = page.evaluate(BOXES)
    assert len(found) == 2
    assert_grid(found, sheet, skip=sheet.per_sheet - 3)
    assert found[1]["sheet"]["y"] == pytest.approx(found[0]["sheet"]["height"], abs=1)
    paper = {"a4": "A4", "letter": "Letter"}[sheet.paper]
    sizes = pdf_pages(page.pdf(format=paper))
    assert len(sizes) == 2
    assert sizes[0] == pytest.approx(tuple(float(n) for n in sheet.page), abs=0.5)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_labels_pages(kitchen, signed_in_page, live_server, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    url = live_server.url
    found = {}
    page.goto(f"{url}/labels/")
    found["labels"] = axe_violations(page)
    page.goto(f"{url}{print_url(kitchen['fermenting'], skip=30, copies=0)}")
    expect(page.locator(".errorlist").first).to_be_visible()
    found["labels, refused"] = axe_violations(page)
    page.goto(f"{url}{print_url(kitchen['fermenting'], kitchen['bottled'], skip=2)}")
    found["print preview"] = axe_violations(page)
    page.goto(f"{url}/j/AAAAAAAAAAAA")
    found["someone else's label"] = axe_violations(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
