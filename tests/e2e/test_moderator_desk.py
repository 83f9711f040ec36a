"""A new moderator at the desk: approve, reply, spam and undo without leaving the queue.

With the mouse, then with the keyboard alone, on a 1,366 px screen and on a 375 px phone; and
once without JavaScript, where the same buttons are plain form posts.
"""

import re

import pytest
from playwright.sync_api import expect

from clusters.models import Post
from clusters.seed import POSTS
from comments import services
from comments.models import Comment
from comments.reasons import reason
from tests.comments.factories import make_comment
from tests.e2e.browser import accessibility_violations, horizontal_overflow, log_in
from tests.e2e.conftest import MOBILE

Status = Comment.Status
QUEUE = "/admin/comments/comment/"
LAPTOP = {"width": 1366, "height": 768}
QUESTION = "Which of the four clusters could introduce us to Canadian investors?"
PILLS = "Cheap pills at https://pills.example.com/buy now, best prices"


@pytest.fixture
def waiting(live_site):
    """Return two comments waiting on a seed post: a question and a spam one."""
    post = Post.objects.get(slug=POSTS[1].slug)
    make_comment(post, author_email="ada@example.org", body="An earlier, approved remark.")
    question = make_comment(
        post,
        status=Status.PENDING,
        author_name="Ada Lovelace",
        author_email="ada@example.org",
        author_url="https://ada.example.org/",
        ip_address="198.51.100.7",
        body=QUESTION,
    )
    pills = make_comment(
        post,
        status=Status.PENDING,
        author_name="Pill Seller",
        author_email="seller@example.net",
        author_url="https://pills.example.com/",
        ip_address="203.0.113.9",
        held_reasons=[reason("text", text="2 links or more")],
        body=PILLS,
    )
    return question, pills


@pytest.fixture
def moderator(staff_user):
    return staff_user("Moderators", first_name="Mo", last_name="Derator")


def open_queue(open_page, moderator, url=QUEUE, **options):
    """Return a page of ``moderator``'s, signed in, on ``url`` (on a laptop unless told)."""
    options.setdefault("viewport", LAPTOP)
    page = open_page(**options)
    log_in(page, moderator)
    page.goto(url)
    return page


def row(page, comment):
    return page.locator(f"#comment-row-{comment.pk}")


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


def mark_page(page):
    """Mark the page's window: the mark survives only while the page is not reloaded."""
    page.evaluate("window.deskMark = 'not reloaded'")


def assert_not_reloaded(page):
    assert page.evaluate("window.deskMark") == "not reloaded"


def test_moderator_approves_spams_and_undoes_in_place_with_the_mouse(open_page, waiting, moderator):
    question, pills = waiting
    page = open_queue(open_page, moderator)
    mark_page(page)
    expect(page.locator("#nav-sidebar .pending-badge")).to_have_text("2 pending")

    approved = Comment.objects.approved().count()

    row(page, question).get_by_role("button", name="Approve").click()

    expect(row(page, question).get_by_role("button", name="Unapprove")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        f"Comment #{question.pk} by Ada Lovelace approved."
    )
    expect(page.get_by_role("link", name="Pending (1)")).to_be_visible()
    expect(page.get_by_role("link", name=f"Approved ({approved + 1})")).to_be_visible()
    expect(page.locator("#nav-sidebar .pending-badge")).to_have_text("1 pending")
    assert status_of(question) == Status.APPROVED

    row(page, pills).get_by_role("button", name="Spam").click()

    undo_line = page.locator(".undo-row")
    expect(undo_line).to_contain_text(f"Comment #{pills.pk} by Pill Seller marked as spam.")
    expect(row(page, pills)).to_be_hidden()
    expect(page.get_by_role("link", name="Spam (1)")).to_be_visible()
    assert status_of(pills) == Status.SPAM

    undo_line.get_by_role("button", name="Undo").click()

    expect(row(page, pills)).to_be_visible()
    expect(row(page, pills).get_by_role("button", name="Approve")).to_be_visible()
    expect(page.locator(".undo-row")).to_have_count(0)
    expect(page.get_by_role("link", name="Pending (1)")).to_be_visible()
    assert status_of(pills) == Status.PENDING
    assert pills.status_changes.last().note_text() == "undone by a moderator"
    assert_not_reloaded(page)


def test_moderator_replies_inline_and_the_reply_approves_the_comment(open_page, waiting, moderator):
    question, _ = waiting
    page = open_queue(open_page, moderator)
    mark_page(page)

    row(page, question).get_by_role("link", name="Reply").click()
    editor = page.get_by_role("group", name=f"Reply to comment #{question.pk} by Ada Lovelace")
    editor.get_by_label("Your reply").fill("BIOEurope's session lists a contact for each cluster.")
    editor.get_by_role("button", name="Reply").click()

    expect(editor).to_have_count(0)
    reply = Comment.objects.get(parent=question)
    expect(page.get_by_role("status")).to_have_text(f"Your reply #{reply.pk} is published.")
    expect(row(page, question).get_by_role("button", name="Unapprove")).to_be_visible()
    assert (reply.status, status_of(question)) == (Status.APPROVED, Status.APPROVED)
    assert reply.user == moderator
    assert_not_reloaded(page)


def test_moderator_works_the_queue_with_the_keyboard_alone(open_page, waiting, moderator):
    question, pills = waiting
    page = open_queue(open_page, moderator)
    expect(page.get_by_text("Keyboard shortcuts")).to_be_visible()
    mark_page(page)
    # Newest first: the spam comment, then the question.
    page.locator("body").click(position={"x": 5, "y": 5})

    page.keyboard.press("j")
    expect(row(page, pills)).to_be_focused()
    page.keyboard.press("s")
    expect(page.locator(".undo-row")).to_contain_text("marked as spam")
    assert status_of(pills) == Status.SPAM
    page.keyboard.press("z")
    expect(row(page, pills).get_by_role("button", name="Approve")).to_be_visible()
    assert status_of(pills) == Status.PENDING

    page.keyboard.press("j")
    expect(row(page, question)).to_be_focused()
    page.keyboard.press("a")
    expect(row(page, question).get_by_role("button", name="Unapprove")).to_be_visible()
    page.keyboard.press("r")
    reply_box = page.get_by_label("Your reply")
    expect(reply_box).to_be_focused()
    # In a text field the letters are text, not shortcuts.
    page.keyboard.type("Thanks, a contact at BioM can help.")
    page.keyboard.press("Control+Enter")
    expect(reply_box).to_have_count(0)
    expect(row(page, question)).to_be_focused()

    page.keyboard.press("q")
    name = page.get_by_label("Name")
    expect(name).to_have_value("Ada Lovelace")
    name.fill("Ada King")
    page.keyboard.press("Enter")
    expect(row(page, question).locator(".comment-author-name")).to_have_text("Ada King")

    page.keyboard.press("k")
    expect(row(page, pills)).to_be_focused()
    page.keyboard.press("t")
    expect(page.locator(".undo-row")).to_contain_text("moved to the trash")
    assert status_of(pills) == Status.TRASH

    assert status_of(question) == Status.APPROVED
    assert Comment.objects.get(parent=question).body == "Thanks, a contact at BioM can help."
    assert Comment.objects.get(pk=question.pk).author_name == "Ada King"
    assert_not_reloaded(page)
    page.keyboard.press("j")
    page.keyboard.press("e")
    expect(page).to_have_url(re.compile(rf"/admin/comments/comment/{question.pk}/change/$"))


def test_without_javascript_every_action_is_a_form_post_with_undo(open_page, waiting, moderator):
    question, pills = waiting
    page = open_queue(open_page, moderator, java_script_enabled=False)

    row(page, pills).get_by_role("button", name="Trash").click()

    expect(page.locator(".desk-undo")).to_contain_text(
        f"Comment #{pills.pk} by Pill Seller moved to the trash."
    )
    expect(page.get_by_role("link", name="Trash (1)")).to_be_visible()
    assert status_of(pills) == Status.TRASH
    page.locator(".desk-undo").get_by_role("button", name="Undo").click()
    expect(row(page, pills).get_by_role("button", name="Approve")).to_be_visible()
    assert status_of(pills) == Status.PENDING

    row(page, question).get_by_role("link", name="Reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reply to comment #{question.pk}")
    page.get_by_label("Your reply").fill("Each cluster has a contact for Canada.")
    page.get_by_role("button", name="Reply").click()

    expect(page).to_have_url(re.compile(r"/admin/comments/comment/$"))
    reply = Comment.objects.get(parent=question)
    expect(page.locator(".messagelist")).to_contain_text(f"Your reply #{reply.pk} is published.")
    assert (reply.status, status_of(question)) == (Status.APPROVED, Status.APPROVED)


def test_the_queue_fits_a_laptop_screen_and_shows_what_a_moderator_needs(
    open_page, waiting, moderator
):
    question, pills = waiting
    page = open_queue(open_page, moderator)

    assert horizontal_overflow(page) == 0
    assert page.evaluate(
        "[...document.querySelectorAll('#changelist .results')]"
        ".every(box => box.scrollWidth <= box.clientWidth)"
    )
    pill_row = row(page, pills)
    for text in (
        "seller@example.net",
        "https://pills.example.com/",
        "IP 203.0.113.9",
        "2 links or more",
        "1 link: https://pills.example.com/buy",
        "No approved comment",
    ):
        expect(pill_row).to_contain_text(text)
    expect(row(page, question)).to_contain_text("1 approved before")
    for column in ("Author", "Comment", "In response to", "Submitted"):
        expect(page.get_by_role("columnheader", name=column)).to_be_in_viewport()


def test_on_a_phone_the_queue_is_a_list_of_cards_with_the_same_actions(
    open_page, waiting, moderator
):
    question, pills = waiting
    page = open_queue(open_page, moderator, **MOBILE)

    assert horizontal_overflow(page) == 0
    card = row(page, question)
    assert card.evaluate("element => getComputedStyle(element).display") == "block"
    expect(page.get_by_role("columnheader", name="Author")).to_be_hidden()
    box = card.bounding_box()
    assert box["width"] <= 375
    for action in ("Approve", "Spam", "Trash"):
        expect(card.get_by_role("button", name=action)).to_be_visible()
    for action in ("Reply", "Quick edit", "Edit"):
        expect(card.get_by_role("link", name=action, exact=True)).to_be_visible()

    card.get_by_role("button", name="Approve").tap()
    expect(card.get_by_role("button", name="Unapprove")).to_be_visible()
    row(page, pills).get_by_role("button", name="Spam").tap()
    page.locator(".undo-row").get_by_role("button", name="Undo").tap()
    expect(row(page, pills).get_by_role("button", name="Approve")).to_be_visible()
    card.get_by_role("link", name="Reply").tap()
    page.get_by_label("Your reply").fill("Yes: see the session's slides.")
    page.get_by_role("group", name=re.compile("Reply to comment")).get_by_role(
        "button", name="Reply"
    ).tap()
    expect(page.get_by_role("status")).to_contain_text("is published")
    assert horizontal_overflow(page) == 0
    assert (status_of(question), status_of(pills)) == (Status.APPROVED, Status.PENDING)


@pytest.mark.parametrize("where", ["queue", "change-page", "index"])
def test_the_desk_has_no_serious_accessibility_violations(open_page, waiting, moderator, where):
    question, _ = waiting
    url = {
        "queue": QUEUE,
        "change-page": f"{QUEUE}{question.pk}/change/",
        "index": "/admin/",
    }[where]

    page = open_queue(open_page, moderator, url)

    assert accessibility_violations(page) == []


def test_a_comment_reported_by_three_visitors_is_held_with_its_reason(
    open_page, live_site, moderator, settings
):
    # Three visitors behind the proxy the site trusts, each with an address of their own.
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    post = Post.objects.get(slug=POSTS[1].slug)
    rude = make_comment(post, author_name="Rude Remark", body="Something nobody should read.")

    for number in range(1, 4):
        visitor = open_page(
            f"visitor{number}", extra_http_headers={"X-Forwarded-For": f"198.51.100.{number}"}
        )
        visitor.goto(post.get_absolute_url())
        if number == 1:
            assert accessibility_violations(visitor) == []
        visitor.get_by_role("button", name="Report the comment by Rude Remark").click()
        expect(visitor.locator(f"#comment-{rude.pk} [role=status]")).to_have_text(
            "Thank you: a moderator will look at this comment."
        )

    assert status_of(rude) == Status.PENDING
    page = open_queue(open_page, moderator)
    expect(row(page, rude)).to_contain_text("reported by 3 visitors")
    expect(row(page, rude)).to_contain_text("Reported by 3 visitors")
    expect(row(page, rude).get_by_role("button", name="Approve")).to_be_visible()


def test_the_dashboard_on_the_admin_index_is_accessible(open_page, waiting, moderator):
    question, _ = waiting
    services.comment_set_status(comment=question, status=Status.APPROVED, by=moderator)
    page = open_queue(open_page, moderator, url="/admin/")

    expect(
        page.get_by_role("heading", name="Comments at a glance: the last 90 days")
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Comments per day by outcome"))).to_be_visible()
    page.get_by_text("The numbers, day by day").click()
    expect(page.get_by_role("table").filter(has_text="Changes of status per day")).to_be_visible()
    assert accessibility_violations(page) == []
