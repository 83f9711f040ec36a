"""Every public page passes axe-core, and a keyboard alone gets from the home page to a cluster."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import accessibility_violations, focused_element, seed_pages

# Enough presses to cross the header, the introduction and the map on the home page.
MAX_TABS = 40


@pytest.mark.parametrize("kind", ["home", "who-we-are", "cluster", "blog", "post"])
def test_page_has_no_serious_accessibility_violations(page, kind):
    page.goto(seed_pages()[kind])

    assert accessibility_violations(page) == []


def test_keyboard_user_skips_to_the_content_and_opens_a_cluster_from_the_map(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    marker = None
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = focused_element(page)
        assert focused["focusVisible"] and (focused["outline"] or focused["boxShadow"]), focused
        if "europe-map__link" in focused["className"]:
            marker = focused
            break
    assert marker, f"no map marker within {MAX_TABS} presses of Tab"

    page.keyboard.press("Enter")

    expect(page).to_have_url(marker["href"])
    cluster_name = marker["label"].split(",")[0]
    expect(page.get_by_role("heading", level=1)).to_have_text(cluster_name)
