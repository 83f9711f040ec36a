"""Browser tests: the site on a live server over the seed content, driven by Debian's chromium.

Every test in this folder is marked ``e2e`` and is skipped, with the reason, where chromium is
missing. Each page a test opens is saved as a full-page screenshot in build/screenshots/, named
after the test, whether it passed or failed.

A journey asks for ``page`` (a desktop visitor), ``mobile_page`` or ``open_page`` (one more
visitor, each with its own cookies and options, e.g. ``java_script_enabled=False``), and
``staff_user`` to sign in an editor or a moderator with ``tests.e2e.browser.log_in``;
``post_with_comments`` adds a discussion to a seed post. Visitors may comment as fast as
Playwright types: a test of the anti-spam timings sets them back with ``settings``.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from clusters.models import Post
from clusters.seed import POSTS, load_seed_content
from comments.models import Comment
from tests.comments.factories import make_comment
from tests.e2e.browser import PASSWORD
from tests.factories import make_user

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent.parent / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# Nothing but the site: no updates, no first-run pages, no calls home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 10_000
NO_CHROMIUM = f"chromium not found at {CHROMIUM}; install it with apt-get install chromium"

_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Before `-m` deselects anything, so that `-m "not e2e"` sees the marker.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


def pytest_terminal_summary(terminalreporter):
    # Skip reasons are listed only with -rs; this one must be seen after a plain `make test`.
    skipped = terminalreporter.stats.get("skipped", [])
    count = sum(NO_CHROMIUM in str(report.longrepr) for report in skipped)
    if count:
        terminalreporter.write_line(f"{count} browser tests skipped: {NO_CHROMIUM}", yellow=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test, for the screenshots taken at teardown.
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture
def live_site(live_server, django_db_serialized_rollback, settings):
    """Return the live server's address, serving the seed content.

    The database is flushed after each browser test; serialized rollback brings back what the
    migrations made (the Editors and Moderators groups) before the next one.
    """
    # tests/conftest.py sets ALLOWED_HOSTS after pytest-django has added the server's host.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, urlsplit(live_server.url).hostname]
    # The site builds its addresses (and checks a form's origin) from SITE_URL, never the Host.
    settings.SITE_URL = live_server.url
    load_seed_content()
    return live_server.url


@pytest.fixture(autouse=True)
def _comments_at_browser_speed(settings):
    # Every visitor of a test comes from 127.0.0.1 and sends a form within a second of opening
    # it: the flood interval and the minimum time would refuse them. Both are for robots, and
    # the tests of those rules set them back.
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    # The rate limit counts posts per address in the cache: no test inherits another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser(live_site, monkeypatch):
    """Start chromium for one test, once its database is ready, and stop it before the flush."""
    # While Playwright's sync API is open, an asyncio loop counts as running in this thread:
    # Django then refuses ORM calls (unless DJANGO_ALLOW_ASYNC_UNSAFE is set) and gives the
    # thread other connection objects, which lack what serialized rollback needs. Opened only
    # around the test, it leaves pytest-django's set-up and flush on the usual connections.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # The test's own connections, visible only now: left open, PostgreSQL would refuse to
        # drop the test database at the end.
        connections.close_all()


@pytest.fixture
def open_page(request, browser, live_site):
    """Return a function opening a page in a new browser context (its own cookies) on the site.

    ``open_page("visitor")`` is one more visitor, whose screenshot is ``<test>-visitor.png``;
    keyword arguments are Playwright's context options (``java_script_enabled=False``, ...).
    """
    opened = []
    broken_assets = []
    script_errors = []

    def note_broken_asset(response):
        if response.request.resource_type != "document" and response.status >= 400:
            broken_assets.append(f"{response.status} {response.url}")

    def open_page(name="", **context_options):
        context_options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_site, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        # A stylesheet, script, image or font that fails to load fails the test too.
        page.on("response", note_broken_asset)
        # So does an error thrown by a script.
        page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
        opened.append((name, page))
        return page

    yield open_page

    failed = any(report.failed for report in request.node.stash.get(_reports, {}).values())
    for name, page in opened:
        screenshot = "-".join(filter(None, [request.node.name, name]))
        try:
            _save_screenshot(page, screenshot, failed)
        except PlaywrightError as error:
            # A crashed or closed page has no picture; the test's outcome says what went wrong.
            request.node.warn(pytest.PytestWarning(f"no screenshot {screenshot}: {error}"))
        page.context.close()
    if broken_assets and not failed:
        pytest.fail(f"these files did not load: {broken_assets}")
    if script_errors and not failed:
        pytest.fail(f"scripts failed: {script_errors}")


@pytest.fixture
def page(open_page):
    """Return a desktop page (1280×800) on the live site, for one visitor."""
    return open_page()


@pytest.fixture
def mobile_page(open_page):
    """Return a page on the live site in a phone's browser (375×812, touch)."""
    return open_page(**MOBILE)


@pytest.fixture
def staff_user(live_site):
    """Return a function creating a staff member of a group: ``staff_user("Editors")``.

    Their password is ``tests.e2e.browser.PASSWORD``; ``log_in(page, user)`` signs them in.
    """

    def staff_user(group, **kwargs):
        return make_user(is_staff=True, groups=[group], password=PASSWORD, **kwargs)

    return staff_user


@pytest.fixture
def post_with_comments(live_site):
    """Return the second seed post, with a discussion: a comment, a reply to it, a pingback.

    The reply's author typed markup into their name, which every page must show as text.
    """
    post = Post.objects.get(slug=POSTS[1].slug)
    question = make_comment(
        post,
        author_name="Ada Lovelace",
        author_email="ada@example.org",
        author_url="https://ada.example.org/",
        body="Which of the four clusters could introduce us to Canadian investors?",
    )
    make_comment(
        post,
        parent=question,
        author_name="Rosalind <b>Franklin</b>",
        author_email="rosalind@example.org",
        body="The session's slides list the contacts of each cluster.",
    )
    make_comment(
        post,
        kind=Comment.Kind.PINGBACK,
        author_name="Our week at BIOEurope Spring",
        source_url="https://partner.example.org/bioeurope-spring/",
        body="[…] the bioXclusters session on expanding to Canada […]",
    )
    return post


def _save_screenshot(page, name, failed):
    """Save a full-page screenshot as ``<name>.png``, or ``<name>-FAILED.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", re.sub(r"\[(.*)\]", r"-\1", name))
    path, stale = SCREENSHOTS / f"{name}.png", SCREENSHOTS / f"{name}-FAILED.png"
    if failed:
        path, stale = stale, path
    stale.unlink(missing_ok=True)
    # Lazy images below the fold would be blank in a full-page picture: load them first.
    page.evaluate(
        """() => Promise.race([
            new Promise(resolve => setTimeout(resolve, 5000)),
            Promise.all([...document.querySelectorAll('img[loading="lazy"]')].map(image => {
                image.loading = "eager";
                return image.decode().catch(() => null);
            })),
        ])"""
    )
    page.screenshot(path=path, full_page=True)
