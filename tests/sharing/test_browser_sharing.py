"""Sharing a family tree on a phone: the owner makes a link on the grains page, copies
it, a friend opens it with no account and sees the tree; turned off, the friend's next
visit is a 404. axe-core finds nothing on the card or the shared page, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_horizontal_overflow, sign_in_through_the_form
from tests.checkers import axe_violations
from tests.conftest import PHONE
from tests.sharing.helpers import PRIVATE, family

pytestmark = pytest.mark.browser


@pytest.fixture
def kitchen(owner):
    return family(owner)


def open_share_card(page, live_server, culture):
    page.goto(f"{live_server.url}{culture.get_absolute_url()}")
    page.get_by_text("Share this family tree").click()
    expect(page.get_by_role("button", name="Make a share link")).to_be_visible()
    return page.locator("#share")


def make_link(page, card, *, label="", expires="Never", batches=False):
    if label:
        card.get_by_label("Who is it for?").fill(label)
    card.get_by_text(expires, exact=True).click()
    if batches:
        card.get_by_label("Include its batches").check()
    card.get_by_role("button", name="Make a share link").click()
    expect(page.get_by_role("status")).to_contain_text("Made a share link.")
    return page.get_by_label("Your new share link").input_value()


def friends_page(browser):
    """A phone of someone else's, never signed in here."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    return context.new_page()


def test_sharing_copying_opening_and_turning_off_a_link(
    signed_in_page, live_server, kitchen, browser
):
    page = signed_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    card = open_share_card(page, live_server, kitchen.second)
    assert_no_horizontal_overflow(page)

    link = make_link(page, card, label="Masha", expires="In 7 days", batches=True)

    assert re.fullmatch(rf"{re.escape(live_server.url)}/shared/[A-Za-z0-9_-]{{43}}/", link)
    assert page.evaluate("document.activeElement.id") == "share-title"
    expect(card.locator(".share-link-row")).to_have_count(1)
    expect(card.locator(".share-link-row")).to_contain_text(
        re.compile(r"Masha\s+made [^·]+ · until [^·]+ · with batches")
    )
    card.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text("Copied the link: send it to whoever you like.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == link
    assert_no_horizontal_overflow(page)

    friend = friends_page(browser)
    answer = friend.goto(copied)
    assert answer.status == 200
    expect(friend.get_by_role("heading", level=1)).to_have_text("Babushka II")
    tree = friend.locator(".shared-tree")
    expect(tree.locator(".lineage-name")).to_have_text(
        ["Babushka", "Babushka II", "Little B", "Jar for a friend"]
    )
    expect(tree).to_contain_text("gen 1 · active · 3 batches")
    expect(tree).to_contain_text("Gift from Grandma Vera")
    expect(friend.locator(".weight-chart svg")).to_be_visible()
    expect(friend.locator(".shared-batch")).to_have_count(3)
    for private in PRIVATE.values():
        expect(friend.locator("body")).not_to_contain_text(private)
    expect(friend.locator(".tab-bar")).to_have_count(0)
    assert_no_horizontal_overflow(friend)

    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name=re.compile("^Turn off Masha")).click()

    expect(page.get_by_role("status")).to_have_text("Turned off the link: it opens nothing now.")
    expect(card).to_contain_text("None: nobody can see this family tree.")
    answer = friend.goto(copied)
    assert answer.status == 404
    expect(friend.get_by_role("heading", level=1)).to_have_text("This link opens nothing")
    expect(friend.locator("body")).not_to_contain_text("Babushka")
    friend.context.close()


def test_without_javascript_the_card_is_a_page_of_its_own(live_server, kitchen, owner, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in_through_the_form(page, live_server, owner)
    page.goto(f"{live_server.url}{kitchen.second.get_absolute_url()}")
    page.get_by_text("Share this family tree").click()
    page.get_by_role("link", name="Make or turn off share links").click()
    page.get_by_role("button", name="Make a share link").click()

    expect(page.get_by_role("status")).to_contain_text("Made a share link.")
    link = page.get_by_label("Your new share link").input_value()
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()  # select it instead
    page.get_by_role("button", name=re.compile("^Turn off Share link")).click()
    expect(page.get_by_role("status")).to_contain_text("Turned off the link")
    assert page.goto(link).status == 404
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_card_and_the_shared_page(
    signed_in_page, live_server, kitchen, browser, scheme
):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    card = open_share_card(page, live_server, kitchen.second)
    found = {"card, no links": axe_violations(page)}

    link = make_link(page, card, label="Anna", batches=True)
    found["card, link just made"] = axe_violations(page)
    card.get_by_role(
        "button", name="Make a share link"
    ).click()  # nothing chosen: refused? no, a default
    expect(card.locator(".share-link-row")).to_have_count(2)
    found["card, two links"] = axe_violations(page)

    friend = friends_page(browser)
    friend.emulate_media(color_scheme=scheme)
    friend.goto(link)
    expect(friend.locator(".shared-tree")).to_be_visible()
    found["shared page"] = axe_violations(friend)
    friend.goto(f"{live_server.url}/shared/{'A' * 43}/")
    found["dead link"] = axe_violations(friend)
    friend.context.close()

    assert {state: problems for state, problems in found.items() if problems} == {}
