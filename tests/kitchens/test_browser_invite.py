"""In the browser, on a phone: the owner invites (copies the link); someone on another
phone signs up through it and lands in the shared kitchen, at the same jar."""

import re

import pytest
from playwright.sync_api import expect

from kefir_tracker.kitchens.models import Membership
from tests.browser import assert_no_horizontal_overflow, sign_in_through_the_form
from tests.checkers import axe_violations
from tests.factories import PASSWORD, make_batch, make_culture, make_user

pytestmark = pytest.mark.browser


def make_invitation(page, live_server):
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Members and invitations").click()
    page.get_by_role("button", name="Make an invitation link").click()
    return page.get_by_label("Invitation link").input_value()


def test_the_owner_invites_and_a_newcomer_signs_up_into_the_shared_kitchen(
    signed_in_page, live_server, owner, browser, browser_context_args
):
    batch = make_batch(make_culture(owner, "Babushka"))
    page = signed_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    link = make_invitation(page, live_server)

    assert re.fullmatch(rf"{re.escape(live_server.url)}/kitchen/join/[A-Z0-9]{{12}}/", link)
    code = page.locator("#invitation-code").inner_text()
    assert code.replace("-", "") == link.rstrip("/").rsplit("/", 1)[1]
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text(
        "Copied the invitation link: send it to who you invite."
    )
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert_no_horizontal_overflow(page)

    # Another phone, nobody signed in.
    other = browser.new_context(**browser_context_args)
    try:
        phone = other.new_page()
        phone.goto(link)
        expect(phone.get_by_role("heading", name="Join olga's kitchen")).to_be_visible()
        phone.get_by_role("link", name="Create an account").click()
        phone.get_by_label("Username").fill("pavel")
        phone.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
        phone.get_by_label("Password confirmation").fill(PASSWORD)
        phone.get_by_role("button", name="Create account").click()

        expect(phone.get_by_role("heading", name="Join olga's kitchen?")).to_be_visible()
        phone.get_by_role("button", name="Join olga's kitchen").click()

        phone.wait_for_url(f"{live_server.url}/")
        expect(phone.get_by_role("status")).to_contain_text("Welcome to olga's kitchen!")
        expect(phone.locator(f"#batch-{batch.pk}")).to_contain_text("Babushka")
        assert Membership.objects.get(user__username="pavel", kitchen_id=owner.current_kitchen_id)
        phone.goto(link)  # the link worked once
        expect(phone.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()
    finally:
        other.close()

    page.reload()  # the link is not shown again; Pavel is a member
    expect(page.get_by_label("Invitation link")).to_have_count(0)
    expect(page.locator("#members")).to_contain_text("pavel")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_kitchen_pages(
    signed_in_page, live_server, owner, browser, browser_context_args, scheme
):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    pavel = make_user("pavel")
    link = make_invitation(page, live_server)
    found = {"owner, with an invitation": axe_violations(page)}
    page.goto(f"{live_server.url}/kitchen/delete/")
    found["delete, only kitchen"] = axe_violations(page)

    other = browser.new_context(**browser_context_args, color_scheme=scheme)
    try:
        phone = sign_in_through_the_form(other.new_page(), live_server, pavel)
        phone.goto(link)
        found["join"] = axe_violations(phone)
        phone.get_by_role("button", name="Join olga's kitchen").click()
        phone.wait_for_url(f"{live_server.url}/")
        phone.goto(f"{live_server.url}/kitchen/")
        found["member, two kitchens"] = axe_violations(phone)
        phone.goto(link)
        found["used invitation"] = axe_violations(phone)
        phone.goto(f"{live_server.url}/kitchen/join/?code=nonsense")
        found["code with an error"] = axe_violations(phone)
    finally:
        other.close()
    assert found == {name: [] for name in found}
