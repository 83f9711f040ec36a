"""On a phone (375×812): the menu works, the map fits, and no page scrolls sideways."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import horizontal_overflow, seed_pages


def test_mobile_visitor_opens_the_menu_and_follows_its_links(mobile_page):
    page = mobile_page
    page.goto("/")
    menu = page.locator("#main-menu")
    toggler = page.get_by_role("button", name="Menu")
    expect(menu).to_be_hidden()

    toggler.tap()

    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    menu.get_by_role("link", name="Who we are").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who we are")
    expect(menu).to_be_hidden()

    toggler.tap()
    menu.get_by_role("link", name="Blog").tap()

    expect(page).to_have_url("/blog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Blog")


def test_mobile_visitor_sees_the_whole_map_and_taps_a_cluster(mobile_page):
    page = mobile_page
    page.goto("/")
    europe = page.locator(".europe-map__svg")
    europe.scroll_into_view_if_needed()
    expect(europe).to_be_visible()
    box = europe.bounding_box()
    screen_width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= screen_width, box

    europe.locator('a[aria-label^="BioM"]').tap()

    expect(page).to_have_url("/clusters/biom/")
    expect(page.get_by_role("heading", level=1)).to_have_text("BioM")


@pytest.mark.parametrize("kind", ["home", "who-we-are", "cluster", "blog", "post"])
def test_mobile_page_does_not_scroll_sideways(mobile_page, kind):
    mobile_page.goto(seed_pages()[kind])

    assert horizontal_overflow(mobile_page) == 0
