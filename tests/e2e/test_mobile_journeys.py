"""On a phone (375×812): menu, map and comment form work, and no page scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.browser import fill_comment_form, horizontal_overflow, seed_pages


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
    # Tapped when it has opened, as a person does: while it slides open its links still move.
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
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


def test_mobile_visitor_replies_to_a_comment_without_scrolling_sideways(
    mobile_page, post_with_comments
):
    page = mobile_page
    name = "Rosalind <b>Franklin</b>"
    parent = Comment.objects.get(author_name=name)
    page.goto(seed_pages()["post-with-comments"])
    respond = page.locator("#respond")

    page.get_by_role("link", name=f"Reply to {name}").tap()

    expect(page.locator(f"#comment-{parent.pk} #respond")).to_be_visible()
    assert horizontal_overflow(page) == 0
    screen_width = page.viewport_size["width"]
    fields = [*respond.get_by_role("textbox").all(), respond.get_by_role("button")]
    for field in fields:
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= screen_width, (field, box)
    respond.get_by_role("textbox", name="Comment").tap()
    fill_comment_form(
        page,
        body="Which slide has the contacts? I cannot find them on my phone.",
        name="Grace Hopper",
        email="grace@example.org",
    )
    respond.get_by_role("button", name="Post Comment").tap()

    reply = page.locator(f"#comment-{parent.pk} .children > li").filter(has_text="Grace Hopper")
    expect(reply).to_contain_text("Your comment is awaiting moderation.")
    expect(reply).to_be_in_viewport()
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize(
    "kind", ["home", "who-we-are", "cluster", "blog", "post", "post-with-comments"]
)
def test_mobile_page_does_not_scroll_sideways(mobile_page, post_with_comments, kind):
    mobile_page.goto(seed_pages()[kind])

    assert horizontal_overflow(mobile_page) == 0
