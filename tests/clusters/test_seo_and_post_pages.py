"""What search engines, sharers and readers get: SEO fields, neighbours, related posts, feeds."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from clusters.management.commands.bench_discussion import make_discussion
from clusters.models import Post
from comments.cards import forget_listing
from comments.models import Comment
from tests.admin_forms import form_data
from tests.factories import make_category, make_cluster, make_page, make_post, make_tag, make_user

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 630), "#0b4f6c").save(buffer, "PNG")
    return SimpleUploadedFile("share.png", buffer.getvalue(), content_type="image/png")


def test_the_seo_fields_set_the_title_description_and_social_image(client):
    post = make_post(title="A long title for people", seo_title="Short for engines")
    post.meta_description = "What the post says, for search results."
    post.social_image, post.social_image_alt = png(), "The four clusters' logos"
    post.save()

    page = client.get(post.get_absolute_url()).content.decode()

    assert "<title>Short for engines · bioXclusters plus</title>" in page
    assert '<meta name="description" content="What the post says, for search results.">' in page
    assert '<meta property="og:title" content="Short for engines">' in page
    assert f'content="https://bioxclusters.test{post.social_image.url}"' in page
    assert '<meta property="og:image:alt" content="The four clusters&#x27; logos">' in page
    assert "<h1>A long title for people</h1>" in page
    assert 'name="robots"' not in page


def test_hidden_from_search_engines_means_noindex_and_no_sitemap_entry(client):
    shown, hidden = make_post(), make_post(noindex=True)
    hidden_page, hidden_cluster = make_page(noindex=True), make_cluster(noindex=True)

    for obj in (hidden, hidden_page, hidden_cluster):
        page = client.get(obj.get_absolute_url()).content.decode()
        assert '<meta name="robots" content="noindex">' in page, obj
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {loc.text for loc in sitemap.iter(f"{SITEMAP}loc")}
    assert f"https://bioxclusters.test{shown.get_absolute_url()}" in locations
    for obj in (hidden, hidden_page, hidden_cluster):
        assert f"https://bioxclusters.test{obj.get_absolute_url()}" not in locations


def test_a_social_image_needs_alt_text(editor_client):
    page = make_page()
    response = editor_client.get(f"/admin/clusters/page/{page.pk}/change/")

    response = editor_client.post(
        f"/admin/clusters/page/{page.pk}/change/",
        form_data(response, social_image=png(), social_image_alt=""),
    )

    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()


def test_the_slug_shows_the_address_it_makes(editor_client):
    post = make_post(
        slug="autumn-days", published_at=timezone.make_aware(timezone.datetime(2026, 3, 4))
    )

    change = editor_client.get(f"/admin/clusters/post/{post.pk}/change/").content.decode()
    add = editor_client.get("/admin/clusters/page/add/").content.decode()

    assert ">https://bioxclusters.test/blog/2026/03/autumn-days/</output>" in change
    assert 'data-pattern="https://bioxclusters.test/blog/2026/03/__slug__/"' in change
    assert 'data-pattern="https://bioxclusters.test/__slug__/"' in add


def test_a_post_links_the_previous_and_next_posts(client):
    older = make_post(title="Older", published_at=days_ago(3))
    post = make_post(title="This one", published_at=days_ago(2))
    newer = make_post(title="Newer", published_at=days_ago(1))
    make_post(title="Draft", status="draft", published_at=days_ago(1.5))

    page = client.get(post.get_absolute_url()).content.decode()

    assert f'<a href="{older.get_absolute_url()}" rel="prev">' in page
    assert f'<a href="{newer.get_absolute_url()}" rel="next"' in page
    assert "Draft" not in page


def test_related_posts_are_those_sharing_the_most_tags_categories_and_clusters(client):
    tag, other_tag, news, cluster = make_tag(), make_tag(), make_category(), make_cluster()
    post = make_post(tags=[tag, other_tag], categories=[news], clusters=[cluster])
    closest = make_post(title="Shares three", tags=[tag, other_tag], categories=[news])
    close = make_post(title="Shares one", clusters=[cluster])
    make_post(title="Shares nothing")
    make_post(title="A draft sharing all", status="draft", tags=[tag], categories=[news])

    with CaptureQueriesContext(connection) as queries:
        related = list(Post.objects.published().related_to(post))

    assert related == [closest, close]
    assert len(queries) == 1
    page = client.get(post.get_absolute_url()).content.decode()
    section = page.split('id="related-posts-heading"', 1)[1].split("</section>", 1)[0]
    assert section.index("Shares three") < section.index("Shares one")


@pytest.mark.parametrize("atom", [False, True])
def test_tag_and_author_feeds_list_only_their_posts(client, atom):
    tag = make_tag(name="Oncology", slug="oncology")
    author = make_user(username="ada", first_name="Ada", last_name="Lovelace")
    tagged, written = make_post(title="Tagged", tags=[tag]), make_post(title="Hers", author=author)
    make_post(title="Neither")
    suffix = "feed/atom/" if atom else "feed/"

    for url, expected, title in [
        (f"/blog/tag/oncology/{suffix}", tagged, "bioXclusters plus blog: Oncology"),
        (f"/blog/author/ada/{suffix}", written, "bioXclusters plus blog: Ada Lovelace"),
    ]:
        feed = ET.fromstring(client.get(url).content)
        titles = [t.text for t in feed.iter(f"{ATOM}title" if atom else "title")]
        assert titles == [title, expected.title], url
    archive = client.get("/blog/tag/oncology/").content.decode()
    assert 'href="/blog/tag/oncology/feed/"' in archive


def test_a_post_author_is_chosen_among_editors_and_shown_by_name(editor_client):
    make_user(is_staff=True, groups=["Editors"], first_name="Grace", last_name="Hopper")
    make_user(is_staff=True, groups=["Moderators"], first_name="Moe", last_name="Derator")
    make_user(first_name="A", last_name="Commenter")

    form = editor_client.get("/admin/clusters/post/add/")
    choices = [label for _, label in form.context["adminform"].form.fields["author"].choices]

    assert "Grace Hopper" in choices
    assert "Moe Derator" not in choices and "A Commenter" not in choices
    imported = make_post(author=make_user(first_name="Old", last_name="Author"))
    form = editor_client.get(f"/admin/clusters/post/{imported.pk}/change/")
    choices = [label for _, label in form.context["adminform"].form.fields["author"].choices]
    assert "Old Author" in choices  # A post keeps the author it has.


@pytest.mark.parametrize("fresh_cache", [False, True])
def test_a_posts_page_makes_as_many_queries_with_1000_comments_as_with_10(
    client, settings, fresh_cache
):
    """Rendered anew: no page cache, and the listing dropped (as an approval does) or all cache."""
    settings.PAGE_CACHE_SECONDS = 0
    make_page(title="Privacy", slug="privacy")
    small, large = make_post(title="Ten comments"), make_post(title="A thousand comments")
    make_discussion(small, 10)
    make_discussion(large, 1000)

    def queries(post) -> int:
        client.get(post.get_absolute_url())  # Menus and settings in the shared cache.
        if fresh_cache:
            cache.clear()
        else:
            forget_listing(ContentType.objects.get_for_model(post).pk, post.pk)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(post.get_absolute_url()).content.decode()
        assert page.count('class="comment-item') == Comment.objects.for_object(post).count()
        return len(captured)

    assert queries(small) == queries(large)
