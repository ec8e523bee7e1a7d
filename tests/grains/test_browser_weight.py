"""Reading the weight chart on a phone: a tap on a point, the table, and labels that
the browser itself lays out clear of the points."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import assert_no_horizontal_overflow
from tests.factories import make_batch, make_culture, make_weighing

pytestmark = pytest.mark.browser

OVERLAPS = """
() => {
  const svg = document.querySelector(".weight-chart svg");
  const scale = svg.getScreenCTM().a;
  // A circle's box leaves out its outline: add half the stroke and a pixel of air.
  const boxes = (selector) => [...svg.querySelectorAll(selector)].map((e) => {
    const r = e.getBoundingClientRect();
    const stroke = e.tagName === "circle" ? parseFloat(getComputedStyle(e).strokeWidth) || 0 : 0;
    const o = e.tagName === "circle" ? (stroke / 2 + 1) * scale : 0;
    return {
      name: e.textContent.trim().slice(0, 30),
      l: r.left - o, t: r.top - o, r: r.right + o, b: r.bottom + o,
    };
  });
  const texts = boxes("text"), dots = boxes("circle");
  const hit = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
  const found = [];
  texts.forEach((a, i) => {
    dots.forEach((d) => { if (hit(a, d)) found.push(`${a.name} / ${d.name}`); });
    texts.slice(i + 1).forEach((b) => { if (hit(a, b)) found.push(`${a.name} / ${b.name}`); });
  });
  return { found, texts: texts.length, dots: dots.length };
}
"""


def test_tapping_a_point_and_opening_the_table_read_its_weight(signed_in_page, live_server, owner):
    page = signed_in_page
    now = timezone.now()
    culture = make_culture(owner, "Babushka")
    make_weighing(culture, 20, weighed_at=now - timedelta(days=30))
    for day in range(28, 0, -3):
        started = now - timedelta(days=day)
        grams = Decimal(20 + (28 - day) * 1.5)
        make_batch(
            culture,
            started_at=started,
            strained_at=started + timedelta(hours=22),
            grains_in_g=grams,
            grains_out_g=grams + 1,
        )
    make_weighing(culture, 14.5, weighed_at=now - timedelta(hours=1))  # after a split

    page.goto(f"{live_server.url}{culture.get_absolute_url()}")
    assert_no_horizontal_overflow(page)
    chart = page.locator(".weight-chart svg")
    chart.scroll_into_view_if_needed()
    readout = page.locator(".chart-readout")
    expect(readout).to_have_text("Tap the chart to read a weight.")

    last = page.locator("circle.chart-dot").last.bounding_box()
    box = chart.bounding_box()
    chart.tap(position={"x": last["x"] + last["width"] / 2 - box["x"], "y": last["y"] - box["y"]})
    expect(readout).to_contain_text("14.5 g")
    expect(readout).to_contain_text("weighed")
    expect(page.locator("circle.chart-dot-picked")).to_have_count(1)

    page.get_by_text("Weights as a table").tap()
    first_row = page.locator(".weight-table tbody tr").first
    expect(first_row).to_be_visible()
    expect(first_row.locator("td").nth(1)).to_have_text("14.5 g")
    expect(first_row.locator("td").nth(2)).to_have_text("weighed")
    assert_no_horizontal_overflow(page)

    layout = page.evaluate(OVERLAPS)
    assert layout["texts"] >= 7
    assert layout["dots"] >= 20
    assert layout["found"] == []
