"""An editor writes a post in the admin, schedules it, previews it and publishes it."""

from datetime import timedelta
from xml.etree import ElementTree

from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import expect

from clusters.models import Post
from clusters.seed import POSTS
from tests.e2e.browser import log_in

TITLE = "The clusters meet in Lyon for their autumn partnering days"


def test_editor_writes_schedules_previews_and_publishes_a_post(page, open_page, staff_user):
    log_in(page, staff_user("Editors"))
    page.goto("/admin/clusters/post/add/")
    page.get_by_label("Title:").fill(TITLE)
    page.get_by_label("Excerpt:").fill("Two days of meetings between the clusters' companies.")
    expect(page.get_by_label("Slug:")).to_have_value(slugify(TITLE))
    body = page.locator(".field-body_en_gb [contenteditable=true]")
    body.click()
    page.keyboard.type("Companies of the four clusters meet for ")
    menu_bar = page.locator(".field-body_en_gb .prose-menubar")
    menu_bar.get_by_role("button", name="bold", exact=True).click()
    page.keyboard.type("two partnering days")
    page.keyboard.press("Control+b")
    page.keyboard.type(" in Lyon.")
    expect(body.locator("strong")).to_have_text("two partnering days")
    page.get_by_label("Status:").select_option(label="Scheduled")
    next_week = timezone.localtime() + timedelta(days=7)
    page.locator("#id_published_at_0").fill(f"{next_week:%d/%m/%Y}")
    page.locator("#id_published_at_1").fill(f"{next_week:%H:%M:%S}")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.get_by_role("link", name="View on site").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("note")).to_contain_text("Preview.")
    expect(page.locator(".prose strong")).to_have_text("two partnering days")
    visitor = open_page("visitor")
    assert visitor.goto(page.url).status == 404

    page.goto("/admin/clusters/post/")
    page.get_by_role("row").filter(has_text=TITLE).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Publish the selected entries now")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 entry published.")

    visitor.goto("/blog/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("note")).to_have_count(0)
    expect(visitor.locator(".prose strong")).to_have_text("two partnering days")
    feed = visitor.request.get("/blog/feed/")
    assert feed.ok
    titles = [title.text for title in ElementTree.fromstring(feed.body()).iter("title")]
    assert TITLE in titles


def test_the_body_editor_breaks_no_rule_of_the_content_security_policy(page, staff_user):
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    log_in(page, staff_user("Editors"))
    post = Post.objects.get(slug=POSTS[0].slug)
    page.goto(f"/admin/clusters/post/{post.pk}/change/")
    body = page.get_by_role("textbox", name="Body", exact=True)
    expect(body).to_be_visible()

    # TipTap's own stylesheet applies (the text wraps as typed), and nothing was refused.
    styles = body.evaluate("e => [getComputedStyle(e).whiteSpace, getComputedStyle(e).position]")
    assert styles == ["break-spaces", "relative"]
    assert refused == []
