"""Checks shared by the browser tests."""


def assert_no_horizontal_overflow(page):
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, (
        f"{page.url} scrolls sideways: {scroll_width}px > {inner_width}px"
    )
