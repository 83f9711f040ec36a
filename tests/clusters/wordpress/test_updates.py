"""Re-imports, links to the old site, files from --uploads, and authors already on the site."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from clusters.models import MediaImage, Post
from clusters.wordpress.importer import import_wxr
from comments.linkbacks import tasks as linkback_tasks
from comments.linkbacks.models import OutgoingLinkback
from comments.models import Comment
from comments.notifications.models import Subscription
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>Old</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://old.example</wp:base_site_url><wp:base_blog_url>https://old.example</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>emilie</wp:author_login>
<wp:author_email>Emilie@Example.org</wp:author_email><wp:author_display_name>Emilie</wp:author_display_name></wp:author>
"""


def post(post_id, slug, body, *, comments="", meta="", title=None):
    return f"""<item><title>{title or slug}</title><link>https://old.example/2016/11/15/{slug}/</link>
<dc:creator>emilie</dc:creator><guid isPermaLink="false">https://old.example/?p={post_id}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{post_id}</wp:post_id>
<wp:post_date>2016-11-15 11:00:00</wp:post_date>
<wp:post_date_gmt>2016-11-15 10:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status>
<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
{meta}{comments}</item>"""


def comment(comment_id, body, *, parent=0, kind="", approved="1"):
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author>Jordi</wp:comment_author>
<wp:comment_author_email>jordi@example.org</wp:comment_author_email>
<wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>
<wp:comment_date>2016-11-16 09:00:00</wp:comment_date>
<wp:comment_date_gmt>2016-11-16 08:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{body}]]></wp:comment_content><wp:comment_approved>{approved}</wp:comment_approved>
<wp:comment_type>{kind}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


ATTACHMENT = """<item><title>Osaka</title><link>https://old.example/2016/11/15/japan/osaka/</link>
<wp:post_id>30</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://old.example/wp-content/uploads/2016/11/osaka.png</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>
<wp:meta_value>Osaka's skyline</wp:meta_value></wp:postmeta>
</item>"""
THUMBNAIL = (
    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
    "<wp:meta_value>30</wp:meta_value></wp:postmeta>"
)


def export(tmp_path, *items, name="export.xml"):
    path = tmp_path / name
    path.write_text(HEAD + "".join(items) + "</channel></rss>", encoding="utf-8")
    return path


def test_a_newer_export_updates_what_changed_and_adds_what_is_new(tmp_path):
    import_wxr(export(tmp_path, post(10, "japan", "<p>First.</p>", comments=comment(1, "Hi"))))
    newer = export(
        tmp_path,
        post(
            10,
            "japan",
            "<p>Corrected.</p>",
            comments=comment(1, "Hi") + comment(2, "Me too", parent=1),
        ),
        post(11, "osaka", "<p>New.</p>"),
        name="newer.xml",
    )
    report = import_wxr(newer).as_dict()
    assert report["counts"]["post"] == {"updated": 1, "imported": 1}
    assert report["counts"]["comment"] == {"unchanged": 1, "imported": 1}
    assert Post.objects.get(slug="japan").body == "<p>Corrected.</p>"
    assert Post.objects.count() == 2
    reply = Comment.objects.get(body="Me too")
    assert reply.parent.body == "Hi" and reply.depth == 2


def test_an_author_already_on_the_site_is_matched_by_e_mail_and_left_as_they_are(tmp_path):
    person = make_user(username="emilie.romeo", email="emilie@example.org", first_name="Emilie")
    report = import_wxr(export(tmp_path, post(10, "japan", "<p>A.</p>"))).as_dict()
    assert report["counts"]["author"] == {"matched": 1}
    assert User.objects.count() == 1
    assert Post.objects.get().author == person
    person.refresh_from_db()
    assert person.is_active and person.has_usable_password()


def test_links_to_the_old_site_point_at_the_new_addresses(tmp_path):
    first = post(
        10, "japan", '<p>See <a href="https://old.example/2016/11/15/osaka/">Osaka</a>.</p>'
    )
    second = post(11, "osaka", '<p>Back to <a href="https://old.example/?p=10">Japan</a>.</p>')
    import_wxr(export(tmp_path, first, second))
    japan, osaka = Post.objects.get(slug="japan"), Post.objects.get(slug="osaka")
    assert f'href="{osaka.get_absolute_url()}"' in japan.body
    assert f'href="{japan.get_absolute_url()}"' in osaka.body


def test_uploads_are_copied_and_become_featured_images(tmp_path, settings):
    uploads = tmp_path / "uploads"
    (uploads / "2016" / "11").mkdir(parents=True)
    Image.new("RGB", (40, 20), "#0b4f6c").save(uploads / "2016" / "11" / "osaka.png")
    path = export(tmp_path, post(10, "japan", "<p>A.</p>", meta=THUMBNAIL), ATTACHMENT)
    call_command("import_wordpress", str(path), "--uploads", str(uploads), stdout=io.StringIO())
    media = MediaImage.objects.get()
    assert media.file.name.endswith(".png") and media.alt_text == "Osaka's skyline"
    japan = Post.objects.get()
    assert japan.featured_image.name == media.file.name
    assert japan.featured_image_alt == "Osaka's skyline"


def test_without_uploads_the_file_keeps_its_address_and_the_report_lists_it(tmp_path):
    out = io.StringIO()
    call_command("import_wordpress", str(export(tmp_path, ATTACHMENT)), stdout=out)
    media = MediaImage.objects.get()
    assert not media.file
    assert media.url == "https://old.example/wp-content/uploads/2016/11/osaka.png"
    assert "https://old.example/wp-content/uploads/2016/11/osaka.png" in out.getvalue()


def test_a_comment_of_an_unknown_kind_is_reported_and_its_post_imported(tmp_path):
    item = post(
        10, "japan", "<p>A.</p>", comments=comment(1, "Hi") + comment(2, "Paid", kind="order_note")
    )
    report = import_wxr(export(tmp_path, item)).as_dict()
    assert Post.objects.count() == 1
    assert Comment.objects.get().body == "Hi"
    assert report["problems"] == [
        {
            "type": "comment",
            "id": "2",
            "title": "Jordi on “japan”",
            "reason": "comment type “order_note” is not imported",
        }
    ]


def test_every_old_address_answers_with_a_301_to_the_new_one(client, tmp_path):
    item = post(10, "japan-mission-report", "<p>A.</p>")
    item = item.replace(
        "<wp:post_type>",
        '<category domain="category" nicename="news">News</category><wp:post_type>',
    )
    report = import_wxr(export(tmp_path, item)).as_dict()
    japan = Post.objects.get()
    for old in ("/2016/11/15/japan-mission-report/", "/?p=10", "/2016/11/15/japan-mission-report"):
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (
            301,
            japan.get_absolute_url(),
        ), old
    assert client.get("/author/emilie/", follow=True).request["PATH_INFO"] == "/blog/author/emilie/"
    assert report["counts"]["redirect"]["imported"] >= 3
    assert client.get("/2016/11/15/never-was/").status_code == 404


def test_an_import_pings_nobody_and_mails_nobody_now_or_later(tmp_path, settings, mailoutbox):
    settings.LINKBACK_SEND = True
    Subscription.objects.create(
        email="reader@example.org", kind=Subscription.Kind.POSTS, confirmed_at=timezone.now()
    )
    yesterday = timezone.now() - timedelta(days=1)
    item = post(10, "japan", '<p>See <a href="https://elsewhere.example/osaka/">Osaka</a>.</p>')
    item = item.replace("2016-11-15 10:00:00", f"{yesterday:%Y-%m-%d %H:%M:%S}")
    import_wxr(export(tmp_path, item))
    # The catch-up commands of cron find nothing to do for the imported post.
    assert linkback_tasks.sweep()["queued"] == 0
    call_command("send_new_post_mail", stdout=io.StringIO())
    assert mailoutbox == []
    assert not OutgoingLinkback.objects.exclude(status=OutgoingLinkback.Status.SENT).exists()
