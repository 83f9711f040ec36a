"""The comment script in a real browser: moving the reply form, cancelling, remembering the author.

Runs chromium from apt through Playwright, like tests/e2e; skipped, with the reason, without it.
"""

from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.comments.factories import make_comment
from tests.factories import make_post

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"chromium not found at {CHROMIUM}"),
]


@pytest.fixture
def open_page(live_server, django_db_serialized_rollback, settings, monkeypatch):
    """Return a function that starts chromium and opens a page on the live server.

    Tests make their data first: while Playwright's sync API runs, this thread counts as async
    and Django would hand the ORM calls other connections, left open after the test.
    """
    from playwright.sync_api import sync_playwright

    settings.ROOT_URLCONF = "tests.comments.browser_urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with ExitStack() as stack:

        def open_page():
            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            stack.callback(browser.close)
            context = browser.new_context(base_url=live_server.url)
            context.set_default_timeout(10_000)
            return context.new_page()

        yield open_page


def test_reply_moves_the_form_under_the_comment_and_cancel_brings_it_back(open_page):
    from playwright.sync_api import expect

    post = make_post()
    first = make_comment(post, author_name="Ada <b>Lovelace</b>")
    make_comment(post)
    page = open_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"/test-discussion/{post.pk}/")
    address = page.url

    page.get_by_role("link", name="Reply to Ada <b>Lovelace</b>").click()

    respond = page.locator(f"#comment-{first.pk} > #respond")
    expect(respond).to_be_visible()
    expect(page.locator("input[name=parent]")).to_have_value(str(first.pk))
    expect(page.locator("#reply-title-text")).to_have_text("Leave a Reply to Ada <b>Lovelace</b>")
    expect(page.locator("textarea[name=body]")).to_be_focused()
    assert page.url == address

    page.get_by_role("link", name="Cancel reply").click()

    expect(page.locator("#respond-home > #respond")).to_be_visible()
    expect(page.locator("input[name=parent]")).to_have_value("")
    expect(page.locator("#reply-title-text")).to_have_text("Leave a Reply")
    expect(page.get_by_role("link", name="Cancel reply")).to_be_hidden()
    expect(page.get_by_label("Leave this field empty")).not_to_be_in_viewport()
    assert errors == []


def test_the_author_is_remembered_in_this_browser_only_when_asked(open_page):
    from playwright.sync_api import expect

    post = make_post()
    page = open_page()
    page.goto(f"/test-discussion/{post.pk}/")
    page.locator("textarea[name=body]").fill("Hello")
    page.locator("input[name=author_name]").fill("Ada Lovelace")
    page.locator("input[name=author_email]").fill("ada@example.org")
    page.locator("input[name=author_url]").fill("https://ada.example.org/")
    page.get_by_label("Save my name").check()
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()

    page.goto(f"/test-discussion/{post.pk}/")

    expect(page.locator("input[name=author_name]")).to_have_value("Ada Lovelace")
    expect(page.locator("input[name=author_email]")).to_have_value("ada@example.org")
    expect(page.locator("input[name=author_url]")).to_have_value("https://ada.example.org/")
    expect(page.get_by_label("Save my name")).to_be_checked()

    page.get_by_label("Save my name").uncheck()
    page.locator("textarea[name=body]").fill("Forget me")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    page.goto(f"/test-discussion/{post.pk}/")

    expect(page.locator("input[name=author_name]")).to_have_value("")
    expect(page.get_by_label("Save my name")).not_to_be_checked()
