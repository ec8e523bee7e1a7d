"""Giving grains as a gift on a phone: the giver gives a split away with a gift link from
the grains page, a friend opens the link in a fresh browser, signs in, accepts, and sees
the lineage with the giver's ancestors. axe-core finds nothing on the gift card or the
accept page, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_horizontal_overflow
from tests.checkers import axe_violations
from tests.conftest import PHONE
from tests.factories import PASSWORD, make_user
from tests.sharing.helpers import PRIVATE, family

pytestmark = pytest.mark.browser


def give_with_a_link(page, live_server, culture):
    page.goto(f"{live_server.url}{culture.get_absolute_url()}")
    page.get_by_text("Give away", exact=True).first.click()
    page.get_by_label("Given to").fill("Masha")
    page.get_by_label("Make a gift link").check()
    page.get_by_role("button", name="Give away").click()
    expect(page.locator("#gift-title")).to_be_visible()
    return page.get_by_role("textbox", name="Gift link").input_value()


def friends_page(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    return context.new_page()


def sign_in_and_come_back(page, user):
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_giving_opening_signing_in_and_accepting_a_gift(
    signed_in_page, live_server, owner, browser
):
    kin = family(owner)
    page = signed_in_page
    link = give_with_a_link(page, live_server, kin.third)
    assert re.fullmatch(rf"{re.escape(live_server.url)}/gift/[A-Za-z0-9_-]{{43}}/", link)
    expect(page.locator(".gift-qr svg")).to_be_visible()
    expect(page.locator("#gift-code")).to_have_text(
        re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
    )
    assert_no_horizontal_overflow(page)

    masha = make_user("masha", first_name="Masha")
    friend = friends_page(browser)
    friend.goto(link)
    expect(friend.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in_and_come_back(friend, masha)
    expect(friend.get_by_role("heading", name="olga gives you Little B")).to_be_visible()
    assert_no_horizontal_overflow(friend)
    friend.get_by_label("Let the giver see what I grow from them").check()
    friend.get_by_role("button", name="Accept the gift").click()

    expect(friend.get_by_role("heading", name="Little B", exact=True)).to_be_visible()
    story = friend.locator(".received-lineage")
    expect(story).to_contain_text("A gift from olga")
    expect(story).to_contain_text("Babushka generation 0 · gift from Grandma Vera")
    expect(story).to_contain_text("Babushka II generation 1")
    body = friend.locator("body").inner_text()
    for private in PRIVATE.values():
        assert private not in body
    assert_no_horizontal_overflow(friend)

    page.reload()
    expect(page.locator("#gift")).to_contain_text("Given to Masha (accepted")
    friend.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_gift_card_and_accept_page_pass_axe(
    signed_in_page, live_server, owner, browser, scheme
):
    kin = family(owner)
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    link = give_with_a_link(page, live_server, kin.third)
    found = {"gift card, link just made": axe_violations(page)}
    page.reload()
    found["gift card, waiting"] = axe_violations(page)

    friend = friends_page(browser)
    friend.emulate_media(color_scheme=scheme)
    friend.goto(link)
    sign_in_and_come_back(friend, make_user("masha", first_name="Masha"))
    expect(friend.get_by_role("button", name="Accept the gift")).to_be_visible()
    found["accept page"] = axe_violations(friend)
    friend.get_by_role("button", name="Accept the gift").click()
    expect(friend.locator(".received-lineage")).to_be_visible()
    found["received grains"] = axe_violations(friend)
    friend.goto(f"{live_server.url}/gifts/receive/")
    found["receive page"] = axe_violations(friend)
    friend.goto(f"{live_server.url}/gift/nonsense/")
    found["dead gift"] = axe_violations(friend)
    friend.context.close()
    assert found == {key: [] for key in found}
