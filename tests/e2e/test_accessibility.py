"""Every public page passes axe-core; a keyboard alone opens a cluster and answers a comment."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.browser import (
    accessibility_violations,
    assert_focus_is_visible,
    focused_element,
    seed_pages,
    tab_to,
)

# Enough presses to cross the header, the introduction and the map on the home page.
MAX_TABS = 40


@pytest.mark.parametrize(
    "kind", ["home", "who-we-are", "cluster", "blog", "post", "post-with-comments"]
)
def test_page_has_no_serious_accessibility_violations(page, post_with_comments, kind):
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


def test_keyboard_user_opens_a_reply_cancels_it_and_comments_with_tab_and_enter(
    page, post_with_comments
):
    name = "Rosalind <b>Franklin</b>"
    parent = Comment.objects.get(author_name=name)
    page.goto(seed_pages()["post-with-comments"])
    respond = page.locator("#respond")
    body = respond.get_by_role("textbox", name="Comment")
    cancel = page.get_by_role("link", name="Cancel reply")

    tab_to(page, page.get_by_role("link", name=f"Reply to {name}"))
    page.keyboard.press("Enter")

    expect(page.locator(f"#comment-{parent.pk} #respond")).to_be_visible()
    expect(page.locator("#reply-title-text")).to_have_text(f"Leave a Reply to {name}")
    expect(body).to_be_focused()
    assert_focus_is_visible(page)
    assert accessibility_violations(page) == []

    tab_to(page, cancel, key="Shift+Tab", max_presses=1)
    page.keyboard.press("Enter")

    expect(page.locator("#respond-home > #respond")).to_be_visible()
    expect(respond.locator("input[name=parent]")).to_have_value("")
    expect(cancel).to_be_hidden()
    # The link had the focus when it was hidden: the next Tab must not start from the top.
    page.keyboard.press("Tab")
    expect(page.locator("#comments :focus")).to_have_count(1)

    tab_to(page, body, max_presses=5)
    page.keyboard.type("Could the clusters run the same session for Japan next spring?")
    for label, value in (("Name", "Grace Hopper"), ("E-mail", "grace@example.org")):
        tab_to(page, respond.get_by_role("textbox", name=label), max_presses=1)
        page.keyboard.type(value)
    tab_to(page, respond.get_by_role("textbox", name="Website"), max_presses=1)
    tab_to(page, respond.get_by_role("checkbox", name="Save my name"), max_presses=1)
    # Then the form's other choices, if any, and its button; never the trap field for robots.
    trap = respond.locator("input[name=topic]")
    trap.evaluate("field => field.addEventListener('focus', () => { field.dataset.hit = 'yes' })")
    tab_to(page, respond.get_by_role("button", name="Post Comment"), max_presses=6)
    expect(trap).not_to_have_attribute("data-hit", "yes")
    page.keyboard.press("Enter")

    comment = page.locator("#comments li").filter(has_text="Grace Hopper")
    expect(comment).to_contain_text("the same session for Japan")
    expect(comment).to_contain_text("Your comment is awaiting moderation.")
