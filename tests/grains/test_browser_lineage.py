import re

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_horizontal_overflow
from tests.factories import make_culture, make_weighing

pytestmark = pytest.mark.browser


def test_splitting_grains_on_a_phone_and_following_the_lineage(signed_in_page, live_server, owner):
    page = signed_in_page
    parent = make_culture(owner, "Babushka", origin="gift", source="Grandma Vera")
    make_weighing(parent, 60)

    page.goto(f"{live_server.url}{parent.get_absolute_url()}")
    assert_no_horizontal_overflow(page)
    page.locator("summary", has_text="Split").click()
    first, second = (page.get_by_role("group", name=f"New grains {n}") for n in (1, 2))
    first.get_by_label("Name").fill("Anna's jar")
    first.get_by_label("Weight").fill("20")
    second.get_by_label("Name").fill("Babushka II")
    second.get_by_label("Weight").fill("25")
    page.get_by_role("button", name="Split Babushka").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Split Babushka into Anna's jar, Babushka II."
    )
    expect(page).to_have_url(re.compile(rf"{parent.get_absolute_url()}$"))
    assert_no_horizontal_overflow(page)

    lineage = page.locator(".lineage")
    lineage.get_by_role("link", name="Babushka II").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Babushka II")
    lineage = page.locator(".lineage")
    expect(lineage.get_by_role("link", name="Babushka", exact=True)).to_be_visible()
    expect(lineage).to_contain_text("Gift from Grandma Vera")
    expect(page.locator(".culture-facts")).to_contain_text("25 g")
    assert_no_horizontal_overflow(page)

    page.get_by_role("link", name="All lineages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lineages")
    tree = page.locator(".lineage-card").filter(has_text="Babushka")
    expect(tree.get_by_role("link", name="Babushka", exact=True)).to_be_visible()
    expect(tree.get_by_role("link", name="Babushka II")).to_be_visible()
    expect(tree.get_by_role("link", name="Anna's jar")).to_be_visible()
    expect(tree).to_contain_text("3 cultures")
    assert_no_horizontal_overflow(page)
