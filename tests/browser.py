"""Steps and checks shared by the browser tests."""

from tests.factories import PASSWORD


def assert_no_horizontal_overflow(page):
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, (
        f"{page.url} scrolls sideways: {scroll_width}px > {inner_width}px"
    )


def sign_in_through_the_form(page, live_server, user):
    """Sign ``user`` in on ``page`` with the real sign-in form; returns the page."""
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def wait_for_worker(page):
    """Until the service worker (/sw.js) is active and controls the page. It does not
    claim pages already open (that would evict the ones kept for Back): a page loaded
    before it was active is loaded again, as the phone's next page would be."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function(
        "() => navigator.serviceWorker.controller"
        " && navigator.serviceWorker.controller.state === 'activated'",
        timeout=30000,
    )


def back_online(page):
    """The connection back, as a phone tells the page. Chromium's emulation tells only
    the documents that were open when it went offline: a page loaded offline (a kept
    copy) would never hear ``online``, so it is told here as the phone would tell it."""
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
