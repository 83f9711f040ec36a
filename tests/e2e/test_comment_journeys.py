"""Visitors comment and reply, with and without JavaScript; a moderator approves and answers.

Each visitor is a browser context of their own: what one sees awaiting moderation, another must
not see until a moderator approves it in the admin.
"""

import re

from playwright.sync_api import expect

from clusters.models import Page
from comments.models import Comment
from tests.comments.factories import make_comment
from tests.e2e.browser import (
    accessibility_violations,
    approve_in_admin,
    fill_comment_form,
    log_in,
    seed_pages,
    thoughts_heading,
)

WHO_WE_ARE = "/who-we-are/"
AWAITING = "Your comment is awaiting moderation."
QUESTION = "We make hearing implants in Lausanne: which cluster should we talk to about Japan?"


def who_we_are_comment(**kwargs) -> Comment:
    """Return a comment on "Who we are" from Ada Lovelace, approved unless told."""
    kwargs.setdefault("author_name", "Ada Lovelace")
    kwargs.setdefault("author_email", "ada@example.org")
    kwargs.setdefault("body", QUESTION)
    return make_comment(Page.objects.get(slug="who-we-are"), **kwargs)


def approved_count(target) -> int:
    return Comment.objects.for_object(target).approved().count()


def test_visitor_comments_on_who_we_are_and_only_they_see_it_awaiting_moderation(page, open_page):
    page.goto(WHO_WE_ARE)
    fill_comment_form(
        page,
        body=QUESTION,
        name="Ada Lovelace",
        email="ada@example.org",
        website="https://ada.example.org/",
    )

    page.get_by_role("button", name="Post Comment").click()

    expect(page).to_have_url(re.compile(r"/who-we-are/#comment-\d+$"))
    comment = Comment.objects.get(author_email="ada@example.org")
    assert comment.status == Comment.Status.PENDING
    mine = page.locator(f"#comment-{comment.pk}")
    expect(mine).to_be_in_viewport()
    expect(mine).to_contain_text(QUESTION)
    expect(mine).to_contain_text(AWAITING)
    expect(mine.get_by_role("link", name="Ada Lovelace")).to_have_attribute(
        "href", "https://ada.example.org/"
    )

    other_visitor = open_page("other-visitor")
    other_visitor.goto(WHO_WE_ARE)
    expect(other_visitor.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(other_visitor.locator("#comments")).not_to_contain_text(QUESTION)
    expect(other_visitor.get_by_text(AWAITING)).to_have_count(0)


def test_moderator_approves_a_comment_then_replies_to_it_from_the_site(page, open_page, staff_user):
    who_we_are = Page.objects.get(slug="who-we-are")
    question = who_we_are_comment(status=Comment.Status.PENDING)
    other_visitor = open_page("other-visitor")
    other_visitor.goto(WHO_WE_ARE)
    expect(other_visitor.locator("#comments")).not_to_contain_text(QUESTION)
    log_in(page, staff_user("Moderators", first_name="Mo", last_name="Derator"))

    approve_in_admin(page, QUESTION[:40])

    other_visitor.reload()
    expect(other_visitor.locator(f"#comment-{question.pk}")).to_contain_text(QUESTION)
    expect(other_visitor.locator(f"#comment-{question.pk}")).not_to_contain_text(AWAITING)
    expect(other_visitor.locator(".comments-title")).to_have_text(
        thoughts_heading(approved_count(who_we_are), "Who we are")
    )

    page.goto(WHO_WE_ARE)
    address = page.url
    respond = page.locator("#respond")
    parent = respond.locator("input[name=parent]")
    title = page.locator("#reply-title-text")
    cancel = page.get_by_role("link", name="Cancel reply")
    page.get_by_role("link", name="Reply to Ada Lovelace").click()

    expect(page.locator(f"#comment-{question.pk} #respond")).to_be_visible()
    expect(parent).to_have_value(str(question.pk))
    expect(title).to_have_text("Leave a Reply to Ada Lovelace")
    expect(respond.get_by_role("textbox", name="Comment")).to_be_focused()
    assert page.url == address

    cancel.click()

    expect(page.locator("#respond-home > #respond")).to_be_visible()
    expect(parent).to_have_value("")
    expect(title).to_have_text("Leave a Reply")
    expect(cancel).to_be_hidden()
    expect(respond.locator("input[name=topic]")).not_to_be_in_viewport()
    assert page.url == address

    page.get_by_role("link", name="Reply to Ada Lovelace").click()
    # Signed in, the moderator is not asked for a name or an e-mail address.
    expect(respond).to_contain_text("Mo Derator")
    expect(respond.get_by_role("textbox", name="Name")).to_have_count(0)
    answer = "Lyonbiopole leads the Japan missions: write to its international team."
    fill_comment_form(page, body=answer)
    respond.get_by_role("button", name="Post Comment").click()

    # A moderator's reply is approved as it is sent, and so shown to everyone at once.
    for viewer in (page, other_visitor):
        viewer.goto(WHO_WE_ARE)
        reply = viewer.locator(f"#comment-{question.pk} .children > li")
        expect(reply).to_have_count(1)
        expect(reply).to_contain_text(answer)
        expect(reply).to_contain_text("Mo Derator")
        expect(reply).not_to_contain_text(AWAITING)
    expect(other_visitor.locator(".comments-title")).to_have_text(
        thoughts_heading(approved_count(who_we_are), "Who we are")
    )


def test_visitor_without_javascript_replies_through_the_reply_link(open_page, staff_user):
    question = who_we_are_comment()
    page = open_page("no-js", java_script_enabled=False)
    page.goto(WHO_WE_ARE)
    respond = page.locator("#respond")
    parent = respond.locator("input[name=parent]")
    cancel = page.get_by_role("link", name="Cancel reply")

    page.get_by_role("link", name="Reply to Ada Lovelace").click()

    expect(page).to_have_url(re.compile(rf"/who-we-are/\?replyto={question.pk}#respond$"))
    expect(page.locator(f"#comment-{question.pk} #respond")).to_be_visible()
    expect(parent).to_have_value(str(question.pk))
    expect(page.locator("#reply-title-text")).to_have_text("Leave a Reply to Ada Lovelace")

    cancel.click()

    expect(page).to_have_url(re.compile(r"/who-we-are/#respond$"))
    expect(page.locator("#respond-home > #respond")).to_be_visible()
    expect(parent).to_have_value("")
    expect(cancel).to_be_hidden()

    page.get_by_role("link", name="Reply to Ada Lovelace").click()
    answer = "Lyonbiopole ran the last mission: its team answered all our questions."
    fill_comment_form(page, body=answer, name="Grace Hopper", email="grace@example.org")
    respond.get_by_role("button", name="Post Comment").click()

    reply = page.locator(f"#comment-{question.pk} .children > li")
    expect(reply).to_contain_text(answer)
    expect(reply).to_contain_text(AWAITING)
    other_visitor = open_page("other-visitor")
    other_visitor.goto(WHO_WE_ARE)
    expect(other_visitor.locator(f"#comment-{question.pk}")).to_be_visible()
    expect(other_visitor.locator("#comments")).not_to_contain_text(answer)

    moderator = open_page("moderator")
    log_in(moderator, staff_user("Moderators"))
    approve_in_admin(moderator, answer[:40])

    other_visitor.reload()
    reply = other_visitor.locator(f"#comment-{question.pk} .children > li")
    expect(reply).to_contain_text(answer)
    expect(reply).not_to_contain_text(AWAITING)


def test_visitor_details_are_remembered_in_this_browser_only_when_asked(page):
    address = seed_pages()["post"]
    respond = page.locator("#respond")
    remember = respond.get_by_role("checkbox", name="Save my name")
    details = {
        "Name": "Ada Lovelace",
        "E-mail": "ada@example.org",
        "Website": "https://ada.example.org/",
    }
    page.goto(address)
    fill_comment_form(
        page,
        body="Will there be a second mission?",
        name=details["Name"],
        email=details["E-mail"],
        website=details["Website"],
    )
    remember.check()
    respond.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_text(AWAITING)).to_be_visible()

    page.goto(address)

    for label, value in details.items():
        expect(respond.get_by_role("textbox", name=label)).to_have_value(value)
    expect(remember).to_be_checked()

    remember.uncheck()
    fill_comment_form(page, body="And will it visit Osaka?")
    respond.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_text("And will it visit Osaka?")).to_be_visible()
    page.goto(address)

    for label in details:
        expect(respond.get_by_role("textbox", name=label)).to_have_value("")
    expect(remember).not_to_be_checked()


def test_robot_filling_the_trap_field_is_held_as_spam_and_shown_to_nobody(page, open_page):
    advert = "Cheap watches, best prices, visit our shop today"
    page.goto(WHO_WE_ARE)
    fill_comment_form(page, body=advert, name="Best Watches", email="shop@example.net")
    # Hidden from people by CSS, from screen readers by aria-hidden: only a robot fills it in.
    page.locator("#respond input[name=topic]").fill("+1 555 0100", force=True)

    page.get_by_role("button", name="Post Comment").click()

    expect(page).to_have_url(re.compile(r"/who-we-are/#comments$"))
    expect(page.locator("#comments")).not_to_contain_text(advert)
    spam = Comment.objects.get(author_email="shop@example.net")
    assert spam.status == Comment.Status.SPAM
    assert {"code": "honeypot"} in spam.held_reasons
    other_visitor = open_page("other-visitor")
    other_visitor.goto(WHO_WE_ARE)
    expect(other_visitor.locator("#comments")).not_to_contain_text(advert)


def test_comment_sent_too_soon_after_the_page_opened_is_refused_and_kept(page, settings):
    # However fast the test runs, its form is sent sooner than this after the page opened.
    settings.COMMENTS_FORM_MIN_SECONDS = 60
    page.goto(WHO_WE_ARE)
    fill_comment_form(page, body=QUESTION, name="Ada Lovelace", email="ada@example.org")

    page.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your comment was not posted yet")
    expect(
        page.get_by_role("alert").filter(has_text="You sent your comment very quickly")
    ).to_be_visible()
    respond = page.locator("#respond")
    expect(respond.get_by_role("textbox", name="Comment")).to_have_value(QUESTION)
    expect(respond.get_by_role("textbox", name="Name")).to_have_value("Ada Lovelace")
    expect(respond.get_by_role("textbox", name="E-mail")).to_have_value("ada@example.org")
    assert accessibility_violations(page) == []
    assert not Comment.objects.filter(author_email="ada@example.org").exists()

    # A minute later, the visitor sends the form again.
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    respond.get_by_role("button", name="Post Comment").click()

    expect(page).to_have_url(re.compile(r"/who-we-are/#comment-\d+$"))
    expect(page.locator("#comments li").filter(has_text=QUESTION)).to_contain_text(AWAITING)


def test_bad_website_and_a_second_comment_too_soon_are_refused_with_the_text_kept(page, settings):
    settings.COMMENTS_FLOOD_SECONDS = 60
    page.goto(WHO_WE_ARE)
    respond = page.locator("#respond")
    body = respond.get_by_role("textbox", name="Comment")
    fill_comment_form(
        page,
        body=QUESTION,
        name="Ada Lovelace",
        email="ada@example.org",
        website="javascript:alert(document.cookie)",
    )

    respond.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your comment was not posted yet")
    expect(respond).to_contain_text("Enter a web address starting with http:// or https://.")
    expect(body).to_have_value(QUESTION)
    expect(respond.get_by_role("textbox", name="Website")).to_have_value(
        "javascript:alert(document.cookie)"
    )

    respond.get_by_role("textbox", name="Website").fill("https://ada.example.org/")
    respond.get_by_role("button", name="Post Comment").click()
    expect(page.locator("#comments li").filter(has_text=QUESTION)).to_contain_text(AWAITING)

    follow_up = "And is there a mission to South Korea planned?"
    fill_comment_form(page, body=follow_up, name="Ada Lovelace", email="ada@example.org")
    respond.get_by_role("button", name="Post Comment").click()

    expect(
        page.get_by_role("alert").filter(has_text="You are posting comments too quickly.")
    ).to_be_visible()
    expect(body).to_have_value(follow_up)
    assert Comment.objects.filter(author_email="ada@example.org").count() == 1
