"""Write the whole site as a WordPress export (WXR 1.2) that WordPress's importer reads.

Clusters become pages (their profile as the body), pages and posts keep their slugs, dates,
statuses and discussion switches, categories keep their parents, and comments keep their
threads, statuses and kinds. WordPress numbers every kind of post in one sequence, so ids are
made from ours without collisions: ``pk * 5`` plus 0 for a post, 1 a page, 2 a cluster, 3 an
image of the library and 4 a post's featured image. The file is written as it is read, one
object at a time.
"""

from __future__ import annotations

import re
from datetime import UTC
from html import escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone

from bioxclusters.common import absolute_url
from clusters.languages import english
from clusters.models import Category, Cluster, MediaImage, Page, Post, Status, Tag
from comments.models import Comment

WXR_NAMESPACES = (
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"'
)
KINDS = {Post: 0, Page: 1, Cluster: 2, MediaImage: 3, "featured": 4}
COMMENT_APPROVED = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def wp_id(obj, kind=None) -> int:
    """Return the WordPress id of ``obj`` (``kind`` "featured" for a post's featured image)."""
    return obj.pk * len(KINDS) + KINDS[kind or type(obj)]


def _cdata(text: str) -> str:
    text = _NOT_XML.sub("", text or "")
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(text: str) -> str:
    return escape(_NOT_XML.sub("", str(text or "")), quote=False)


def _dates(moment) -> tuple[str, str]:
    local = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
    return local, moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _wp_status(entry) -> str:
    if entry.status == Status.DRAFT:
        return "draft"
    return "future" if entry.published_at > timezone.now() else "publish"


class _Writer:
    def __init__(self, out):
        self.out = out

    def line(self, text: str) -> None:
        self.out.write(text + "\n")

    def element(self, name: str, value, *, cdata: bool = False) -> None:
        body = _cdata(str(value)) if cdata else _text(value)
        self.line(f"\t\t<{name}>{body}</{name}>")


def export_wxr(out) -> dict:
    """Write the site to the text stream ``out``; return how many of each were written."""
    with english():  # WordPress holds one language: the English text, at the English addresses.
        return _export(out)


def _export(out) -> dict:
    writer = _Writer(out)
    counts = dict.fromkeys(["authors", "categories", "tags", "posts", "pages", "media"], 0)
    counts["comments"] = 0
    writer.line('<?xml version="1.0" encoding="UTF-8" ?>')
    created = timezone.now().strftime("%Y-%m-%d %H:%M")
    writer.line(f'<!-- generator="{_text(settings.SITE_NAME)}" created="{created}" -->')
    writer.line(f'<rss version="2.0" {WXR_NAMESPACES}>')
    writer.line("<channel>")
    for name, value in (
        ("title", settings.SITE_NAME),
        ("link", settings.SITE_URL),
        ("description", ""),
        ("language", settings.LANGUAGE_CODE),
        ("wp:wxr_version", "1.2"),
        ("wp:base_site_url", settings.SITE_URL),
        ("wp:base_blog_url", settings.SITE_URL),
    ):
        writer.line(f"\t<{name}>{_text(value)}</{name}>")
    authors = get_user_model().objects.filter(posts__isnull=False).distinct().order_by("pk")
    for user in authors.iterator():
        writer.line("\t<wp:author>")
        writer.element("wp:author_id", user.pk)
        writer.element("wp:author_login", user.get_username(), cdata=True)
        writer.element("wp:author_email", user.email, cdata=True)
        writer.element(
            "wp:author_display_name", user.get_full_name() or user.get_username(), cdata=True
        )
        writer.element("wp:author_first_name", user.first_name, cdata=True)
        writer.element("wp:author_last_name", user.last_name, cdata=True)
        writer.line("\t</wp:author>")
        counts["authors"] += 1
    for category in Category.objects.select_related("parent").order_by("parent_id", "pk"):
        writer.line("\t<wp:category>")
        writer.element("wp:term_id", category.pk)
        writer.element("wp:category_nicename", category.slug, cdata=True)
        writer.element(
            "wp:category_parent", category.parent.slug if category.parent else "", cdata=True
        )
        writer.element("wp:cat_name", category.name, cdata=True)
        writer.element("wp:category_description", category.description, cdata=True)
        writer.line("\t</wp:category>")
        counts["categories"] += 1
    for tag in Tag.objects.order_by("pk"):
        writer.line("\t<wp:tag>")
        writer.element("wp:term_id", tag.pk)
        writer.element("wp:tag_slug", tag.slug, cdata=True)
        writer.element("wp:tag_name", tag.name, cdata=True)
        writer.line("\t</wp:tag>")
        counts["tags"] += 1
    writer.line(f"\t<generator>{_text(settings.SITE_URL)}</generator>")

    for cluster in Cluster.objects.prefetch_related("key_figures", "awards", "contacts").order_by(
        "pk"
    ):
        # The profile as its own page shows it: text, key figures, awards, contacts, website.
        context = {"cluster": cluster, "level": 1}
        body = render_to_string("clusters/includes/cluster_profile.html", context).strip()
        _item(
            writer,
            cluster,
            post_type="page",
            title=cluster.name,
            slug=cluster.slug,
            body=body,
            excerpt=cluster.tagline,
            status="publish",
            moment=cluster.updated_at,
            creator="",
        )
        counts["pages"] += 1
        counts["comments"] += _comments(writer, cluster)
        writer.line("\t</item>")
    for page in Page.objects.order_by("pk").iterator():
        _entry(writer, page, post_type="page", creator="", menu_order=page.menu_order or 0)
        counts["pages"] += 1
        counts["comments"] += _comments(writer, page)
        writer.line("\t</item>")
    posts = Post.objects.select_related("author").prefetch_related("categories", "tags")
    for post in posts.order_by("pk").iterator(chunk_size=200):
        _entry(writer, post, post_type="post", creator=post.author.get_username())
        for domain, terms in (("category", post.categories.all()), ("post_tag", post.tags.all())):
            for term in terms:
                writer.line(
                    f'\t\t<category domain="{domain}" nicename="{escape(term.slug)}">'
                    f"{_cdata(term.name)}</category>"
                )
        if post.featured_image:
            _meta(writer, "_thumbnail_id", wp_id(post, "featured"))
        counts["posts"] += 1
        counts["comments"] += _comments(writer, post)
        writer.line("\t</item>")
        if post.featured_image:
            _attachment(
                writer,
                post,
                wp_id(post, "featured"),
                title=post.featured_image_alt or post.title,
                url=absolute_url(post.featured_image.url),
                alt=post.featured_image_alt,
                parent=wp_id(post),
                moment=post.published_at,
            )
            counts["media"] += 1
    for media in MediaImage.objects.order_by("pk").iterator():
        url = absolute_url(media.file.url) if media.file else media.original_url
        _attachment(
            writer,
            media,
            wp_id(media),
            title=media.title,
            url=url,
            alt=media.alt_text,
            parent=0,
            moment=media.uploaded_at,
        )
        counts["media"] += 1
    writer.line("</channel>")
    writer.line("</rss>")
    return counts


def _item(
    writer,
    obj,
    *,
    post_type,
    title,
    slug,
    body,
    excerpt,
    status,
    moment,
    creator,
    menu_order=0,
    item_id=None,
    parent=0,
    link=None,
):
    local, gmt = _dates(moment)
    link = link or absolute_url(obj.get_absolute_url())
    writer.line("\t<item>")
    writer.element("title", title, cdata=True)
    writer.element("link", link)
    writer.element("pubDate", moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"))
    writer.element("dc:creator", creator, cdata=True)
    writer.line(f'\t\t<guid isPermaLink="false">{_text(link)}</guid>')
    writer.element("description", "")
    writer.element("content:encoded", body, cdata=True)
    writer.element("excerpt:encoded", excerpt, cdata=True)
    writer.element("wp:post_id", item_id or wp_id(obj))
    writer.element("wp:post_date", local, cdata=True)
    writer.element("wp:post_date_gmt", gmt, cdata=True)
    writer.element(
        "wp:comment_status",
        "open" if getattr(obj, "allow_comments", False) else "closed",
        cdata=True,
    )
    writer.element(
        "wp:ping_status", "open" if getattr(obj, "allow_pings", False) else "closed", cdata=True
    )
    writer.element("wp:post_name", slug, cdata=True)
    writer.element("wp:status", status, cdata=True)
    writer.element("wp:post_parent", parent)
    writer.element("wp:menu_order", menu_order)
    writer.element("wp:post_type", post_type, cdata=True)
    writer.element("wp:post_password", "", cdata=True)
    writer.element("wp:is_sticky", 0)


def _entry(writer, entry, **fields):
    """Open the item of a page or a post (its terms, meta and comments follow)."""
    _item(
        writer,
        entry,
        title=entry.title,
        slug=entry.slug,
        body=entry.body,
        excerpt=entry.excerpt,
        status=_wp_status(entry),
        moment=entry.published_at,
        **fields,
    )


def _meta(writer, key, value):
    writer.line("\t\t<wp:postmeta>")
    writer.line(f"\t\t\t<wp:meta_key>{_cdata(key)}</wp:meta_key>")
    writer.line(f"\t\t\t<wp:meta_value>{_cdata(str(value))}</wp:meta_value>")
    writer.line("\t\t</wp:postmeta>")


def _attachment(writer, obj, item_id, *, title, url, alt, parent, moment):
    _item(
        writer,
        obj,
        post_type="attachment",
        title=title,
        slug=f"attachment-{item_id}",
        body="",
        excerpt="",
        status="inherit",
        moment=moment,
        creator="",
        item_id=item_id,
        parent=parent,
        link=url,
    )
    writer.element("wp:attachment_url", url, cdata=True)
    if alt:
        _meta(writer, "_wp_attachment_image_alt", alt)
    writer.line("\t</item>")


def _comments(writer, target) -> int:
    count = 0
    for comment in Comment.objects.for_object(target).order_by("created_at", "pk").iterator():
        local, gmt = _dates(comment.created_at)
        url = comment.source_url if comment.is_linkback else comment.author_url
        writer.line("\t\t<wp:comment>")
        for name, value, cdata in (
            ("wp:comment_id", comment.pk, False),
            ("wp:comment_author", comment.author_name, True),
            ("wp:comment_author_email", comment.author_email, True),
            ("wp:comment_author_url", url, False),
            ("wp:comment_author_IP", comment.ip_address or "", True),
            ("wp:comment_date", local, True),
            ("wp:comment_date_gmt", gmt, True),
            # WordPress keeps a comment's HTML; ours is text, escaped to read the same there.
            ("wp:comment_content", escape(comment.body, quote=False), True),
            ("wp:comment_approved", COMMENT_APPROVED[comment.status], True),
            ("wp:comment_type", comment.kind, True),
            ("wp:comment_parent", comment.parent_id or 0, False),
            ("wp:comment_user_id", comment.user_id or 0, False),
        ):
            body = _cdata(str(value)) if cdata else _text(value)
            writer.line(f"\t\t\t<{name}>{body}</{name}>")
        writer.line("\t\t</wp:comment>")
        count += 1
    return count
