"""The Insights page on a phone, with a demo year of batches: it fits 390 and 360 px
without scrolling sideways, the fourth tab fits with its icon and label, the chart
text and marks stand out from the chart in light and dark, the numbers open under
each chart, and axe finds nothing."""

from itertools import pairwise

import pytest
from playwright.sync_api import expect

from kefir_tracker.demo import fill_with_demo_year
from tests.browser import assert_no_horizontal_overflow
from tests.checkers import axe_violations

pytestmark = pytest.mark.browser

# Contrast of every chart text against the chart's own background, and of the marks
# (markers, curves, bars) against it, as WCAG counts it.
CONTRASTS = """
() => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const found = { texts: [], marks: [] };
  document.querySelectorAll(".insight-chart > svg").forEach((svg) => {
    const background = rgb(getComputedStyle(svg).backgroundColor);
    svg.querySelectorAll("text").forEach((text) => {
      const style = getComputedStyle(text);
      found.texts.push({
        text: text.textContent,
        ratio: ratio(rgb(style.fill), background),
        size: parseFloat(style.fontSize) * svg.getScreenCTM().a,
      });
    });
    svg.querySelectorAll(".series-marks, .series-curve, .rating-bar, .volume-milk, .volume-water, .growth-bar")
      .forEach((mark) => {
        const style = getComputedStyle(mark);
        const paint = style.fill !== "none" ? style.fill : style.stroke;
        found.marks.push({ what: mark.getAttribute("class"), ratio: ratio(rgb(paint), background) });
      });
  });
  return found;
}
"""


@pytest.fixture
def insights_page(owner, signed_in_page, live_server):
    fill_with_demo_year(owner)
    page = signed_in_page
    page.goto(f"{live_server.url}/insights/")
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_charts_are_legible_and_axe_finds_nothing(insights_page, scheme):
    page = insights_page
    page.emulate_media(color_scheme=scheme)
    expect(page.get_by_role("heading", level=1)).to_have_text("Insights")
    charts = page.locator(".insight-chart > svg")
    assert charts.count() >= 5  # ferment, two ratings, months, a growth chart per culture
    assert_no_horizontal_overflow(page)

    found = page.evaluate(CONTRASTS)

    assert len(found["texts"]) > 40
    faint = [t for t in found["texts"] if t["ratio"] < 4.5]
    assert faint == []
    tiny = [t for t in found["texts"] if t["size"] < 10]
    assert tiny == [], "chart text below 10 px on a 390 px phone"
    lost = [m for m in found["marks"] if m["ratio"] < 3]
    assert lost == []
    assert {m["what"].split()[0] for m in found["marks"]} >= {
        "series-marks",
        "series-curve",
        "rating-bar",
        "volume-milk",
        "volume-water",
        "growth-bar",
    }
    assert axe_violations(page) == []


def test_the_numbers_open_under_a_chart(insights_page):
    page = insights_page
    ratings = page.locator("section.insight", has=page.get_by_role("heading", name="Ratings"))
    table = ratings.locator("table").first
    expect(table).to_be_hidden()
    ratings.get_by_text("Show the numbers").first.tap()
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Cow milk")).to_be_visible()
    assert_no_horizontal_overflow(page)

    for summary in page.locator(".insight-table > summary").all():
        summary.scroll_into_view_if_needed()
        if summary.locator("xpath=..").get_attribute("open") is None:
            summary.tap()
    assert_no_horizontal_overflow(page)
    assert axe_violations(page) == []


def test_at_360_px_the_page_fits_and_four_tabs_show_icon_and_label(insights_page):
    page = insights_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert_no_horizontal_overflow(page)

    tabs = page.locator(".tab-bar a")
    expect(tabs).to_have_count(4)
    expect(page.locator('.tab-bar a[aria-current="page"]')).to_have_text("Insights")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.tab-bar a')].map((a) => {
          const icon = a.querySelector('svg').getBoundingClientRect();
          const box = a.getBoundingClientRect();
          return { label: a.textContent.trim(), left: box.left, right: box.right,
                   fits: a.scrollWidth <= a.clientWidth, icon: icon.width, height: box.height };
        })"""
    )
    assert [b["label"] for b in boxes] == ["Today", "History", "Grains", "Insights"]
    assert all(b["fits"] and b["icon"] == 24 and b["height"] >= 44 for b in boxes), boxes
    assert boxes[-1]["right"] <= 360
    assert all(b["right"] <= c["left"] + 0.5 for b, c in pairwise(boxes))

    page.get_by_role("link", name="History").tap()
    page.wait_for_url("**/history/")
    page.get_by_role("link", name="Insights").tap()
    page.wait_for_url("**/insights/")
    expect(page.get_by_role("heading", name="First ferment and room temperature")).to_be_visible()
