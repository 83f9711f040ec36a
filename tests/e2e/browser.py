"""What the browser tests share: the pages to visit, signing in, axe-core and page measures."""

from pathlib import Path

from playwright.sync_api import Page, expect

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
    }


def log_in(page: Page, user, password: str = PASSWORD) -> None:
    """Sign ``user`` in through the admin's login form."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def accessibility_violations(page: Page) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, one line each."""
    page.add_script_tag(path=AXE_JS)
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
