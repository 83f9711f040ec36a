"""The editors' desk in a browser: versions, autosave, images dropped or chosen, preview."""

import base64
import io
import re

from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from clusters.models import MediaImage, Post
from clusters.seed import POSTS
from tests.e2e.browser import log_in


def change_form(post):
    return f"/admin/clusters/post/{post.pk}/change/"


def test_editor_compares_two_versions_and_restores_the_first(page, staff_user):
    post = Post.objects.get(slug=POSTS[0].slug)
    first_title = post.title
    log_in(page, staff_user("Editors", first_name="Ada", last_name="Lovelace"))
    page.goto(change_form(post))
    page.get_by_label("Note for the list of versions:").fill("First look")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_label("Title:").fill("A title nobody wanted")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    versions = page.get_by_role("table", name="Versions, newest first").locator("tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(1)).to_contain_text("First look")
    page.get_by_role("button", name="Compare the chosen versions").click()
    expect(page.get_by_role("heading", name="Fields", level=2)).to_be_visible()
    expect(page.locator("table.diff .diff_chg, table.diff .diff_sub").first).to_be_visible()
    expect(page.locator("table.diff")).to_contain_text("A title nobody wanted")

    page.get_by_role("link", name=re.compile(r"^Restore the version of")).first.click()
    expect(page.get_by_label("Title:")).to_have_value(first_title)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    post.refresh_from_db()
    assert post.title == first_title
    page.goto(change_form(post) + "../history/")
    expect(versions).to_have_count(3)
    expect(versions.first).to_contain_text("Reverted to previous version")


def test_an_autosave_is_offered_after_the_tab_is_lost(page, open_page, staff_user, settings):
    settings.EDITOR_AUTOSAVE_SECONDS = 1
    editor = staff_user("Editors")
    post = Post.objects.get(slug=POSTS[0].slug)
    log_in(page, editor)
    page.goto(change_form(post))
    body = page.locator(".field-body_en_gb [contenteditable=true]")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" A sentence typed just before the crash.")
    expect(page.get_by_role("status").filter(has_text="Autosaved at")).to_be_visible()

    # Leaving with unsaved changes asks first; staying keeps the form.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="History").click()
    expect(page.get_by_label("Title:")).to_be_visible()
    assert dialogs == ["beforeunload"]

    # The browser is gone; the editor comes back in a new one.
    again = open_page("after-the-crash")
    log_in(again, editor)
    again.goto(change_form(post))
    offer = again.get_by_text(
        "There is an autosave of this post that is more recent than the version below"
    )
    expect(offer).to_be_visible()
    again.get_by_role("link", name="restore it?").click()
    expect(again.locator(".field-body_en_gb [contenteditable=true]")).to_contain_text(
        "A sentence typed just before the crash."
    )
    post.refresh_from_db()
    assert "typed just before the crash" not in post.body
    again.get_by_role("button", name="Save and continue editing").click()
    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")
    post.refresh_from_db()
    assert "A sentence typed just before the crash." in post.body


def jpeg_base64(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b4f6c").save(buffer, "JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


DROP = """([selector, data]) => {
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "lab-bench.jpg", {type: "image/jpeg"}));
    const target = document.querySelector(selector);
    const box = target.getBoundingClientRect();
    for (const type of ["dragenter", "dragover", "drop"]) {
        target.dispatchEvent(new DragEvent(type, {
            dataTransfer: transfer, bubbles: true, cancelable: true,
            clientX: box.left + 20, clientY: box.top + 10,
        }));
    }
}"""


def test_an_image_dropped_into_a_post_reaches_a_phone_at_the_width_it_shows(
    page, mobile_page, staff_user
):
    post = Post.objects.get(slug=POSTS[0].slug)
    log_in(page, staff_user("Editors"))
    page.goto(change_form(post))
    # Six body editors (one per language) start before the drop can reach the English one.
    page.locator(".field-body_en_gb [contenteditable=true]").wait_for()
    page.evaluate(DROP, [".field-body_en_gb [contenteditable=true]", jpeg_base64(3000, 2000)])
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Alternative text: what the image shows").fill("A lab bench in Lyon")
    dialog.get_by_label("Caption (optional)").fill("The bench")
    dialog.get_by_role("button", name="Upload and insert").click()
    body = page.locator(".field-body_en_gb [contenteditable=true]")
    expect(body.locator("figure img")).to_have_attribute("alt", "A lab bench in Lyon")
    expect(body.locator("figcaption")).to_have_text("The bench")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    phone = mobile_page
    phone.goto(post.get_absolute_url())
    image = phone.locator(".prose picture img")
    expect(image).to_have_attribute("alt", "A lab bench in Lyon")
    image.scroll_into_view_if_needed()
    loaded = "image => image.complete && image.naturalWidth > 0"
    phone.wait_for_function(loaded, arg=image.element_handle())
    # 375 px less the margins: the browser takes the 480 px WebP copy, not the 3,000 px original.
    source, shown_width = image.evaluate("image => [image.currentSrc, image.clientWidth]")
    assert source.endswith("/480.webp"), source
    assert shown_width <= 375


def test_a_new_post_is_previewed_before_its_first_save(page, staff_user):
    log_in(page, staff_user("Editors"))
    page.goto("/admin/clusters/post/add/")
    page.get_by_label("Title:").fill("Partnering days in Lyon")
    page.locator(".field-body_en_gb [contenteditable=true]").click()
    page.keyboard.type("Two days of meetings between the clusters' companies.")

    with page.expect_popup() as opened:
        page.get_by_role("button", name="Preview").click()
    preview = opened.value

    expect(preview.get_by_role("heading", level=1)).to_have_text("Partnering days in Lyon")
    expect(preview.locator(".prose")).to_contain_text("Two days of meetings")
    assert not Post.objects.filter(title="Partnering days in Lyon").exists()
    preview.close()


def test_the_figure_dialog_browses_the_images_library(page, staff_user):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "#0b4f6c").save(buffer, "JPEG")
    image = MediaImage.objects.create(
        title="Lab bench",
        alt_text="A lab bench in Lyon",
        file=ContentFile(buffer.getvalue(), name="lab-bench.jpg"),
    )
    log_in(page, staff_user("Editors"))
    page.goto("/admin/clusters/post/add/")
    page.locator(".field-body_en_gb [contenteditable=true]").click()
    page.locator(".field-body_en_gb .prose-menubar").get_by_role("button", name="figure").click()
    dialog = page.get_by_role("dialog")

    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    chooser = opened.value
    chooser.get_by_role("searchbox", name="Search the images").fill("bench")
    chooser.get_by_role("button", name="Search").click()
    chooser.get_by_role("button", name="Lab bench").click()

    expect(dialog.get_by_label("Image URL")).to_have_value(image.file.url)
    expect(dialog.get_by_label("Alternative Text")).to_have_value("A lab bench in Lyon")
