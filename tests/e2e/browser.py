"""What the browser tests share: the pages to visit, signing in, commenting, axe-core, measures."""

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from clusters.models import Post
from clusters.seed import POSTS

# The password of the staff the ``staff_user`` fixture creates.
PASSWORD = "correct horse battery staple"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# Best practices are checked too; only serious and critical findings fail a test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}


def seed_pages() -> dict[str, str]:
    """Return the address of each kind of public page, in the seed content."""
    return {
        "home": "/",
        "who-we-are": "/who-we-are/",
        "cluster": "/clusters/biocat/",
        "blog": "/blog/",
        "post": Post.objects.get(slug=POSTS[0].slug).get_absolute_url(),
        # Its discussion comes from the ``post_with_comments`` fixture.
        "post-with-comments": Post.objects.get(slug=POSTS[1].slug).get_absolute_url(),
    }


def log_in(page: Page, user, password: str = PASSWORD) -> None:
    """Sign ``user`` in through the admin's login form."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def thoughts_heading(count: int, title: str) -> str:
    """Return the heading over a discussion of ``count`` approved comments and linkbacks."""
    return f"One thought on “{title}”" if count == 1 else f"{count} thoughts on “{title}”"


def fill_comment_form(page: Page, *, body: str, name: str = "", email: str = "", website: str = ""):
    """Type a comment into the discussion form, and the author's details when the form asks."""
    respond = page.locator("#respond")
    respond.get_by_role("textbox", name="Comment").fill(body)
    for label, value in (("Name", name), ("E-mail", email), ("Website", website)):
        if value:
            respond.get_by_role("textbox", name=label).fill(value)


def approve_in_admin(page: Page, excerpt: str) -> None:
    """Approve the comment starting with ``excerpt`` from the pending queue, as a moderator."""
    page.goto("/admin/comments/comment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pending comments")
    page.get_by_role("row").filter(has_text=excerpt).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    expect(page.get_by_role("row").filter(has_text=excerpt)).to_have_count(0)


def load_axe(page: Page) -> None:
    """Put axe-core into the page: evaluated by the browser's debugger, which the site's
    Content-Security-Policy (no inline script) rightly does not let a <script> tag do."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def accessibility_violations(page: Page) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, one line each."""
    load_axe(page)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}; "
        f"{[node['target'] for node in violation['nodes']]}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def horizontal_overflow(page: Page) -> int:
    """Return by how many pixels the page is wider than the screen: 0 means no side scrolling."""
    # Not window.innerWidth: a mobile browser zooms out to fit a page that is too wide, and
    # innerWidth grows with it; the root element's clientWidth stays the screen's width.
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def tab_to(page: Page, target: Locator, *, key: str = "Tab", max_presses: int = 60) -> int:
    """Press ``key`` until ``target`` has the focus; every element on the way shows its focus.

    Return the number of presses; fail if ``target`` was not reached within ``max_presses``.
    """
    for presses in range(1, max_presses + 1):
        page.keyboard.press(key)
        assert_focus_is_visible(page)
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached with {max_presses} presses of {key}")


def assert_focus_is_visible(page: Page) -> dict:
    """Check that the focused element draws its focus (an outline or a shadow); return it."""
    focused = focused_element(page)
    assert focused["focusVisible"] and (focused["outline"] or focused["boxShadow"]), focused
    return focused


def focused_element(page: Page) -> dict:
    """Describe the element that has the keyboard focus, with how its focus is drawn."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                tag: element.tagName.toLowerCase(),
                id: element.id,
                className: element.getAttribute("class") || "",
                label: element.getAttribute("aria-label") || element.textContent.trim(),
                href: element.getAttribute("href"),
                focusVisible: element.matches(":focus-visible"),
                outline: style.outlineStyle === "none" ? "" : style.outlineStyle,
                boxShadow: style.boxShadow === "none" ? "" : style.boxShadow,
            };
        }"""
    )
