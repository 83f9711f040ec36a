import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clusters.models import Cluster, MediaImage, Post
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db

INLINES = ("key_figures", "awards", "contacts")


def png(width=120, height=40):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b4f6c").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def cluster_form(**overrides):
    data = {
        "name": "Biocat", "slug": "biocat", "tagline_en_gb": "Catalonia's life sciences cluster.",
        "region_en_gb": "Catalonia", "city_en_gb": "Barcelona", "country_en_gb": "Spain",
        "latitude": "41.39", "longitude": "2.17", "colour": "#c8102e",
        "description_en_gb": "<p>Biocat.</p>",
        "sort_order": "1", "logo_alt": "Biocat logo", "allow_comments": "on", "allow_pings": "on",
        "key_figures-0-label_en_gb": "Companies", "key_figures-0-value_en_gb": "1,000",
        "key_figures-0-sort_order": "0",
        "contacts-0-name": "Jordi Fàbrega", "contacts-0-email": "jordi@example.org",
        "contacts-0-sort_order": "0",
        "awards-0-name_en_gb": "Gold Label", "awards-0-awarded_by_en_gb": "ECEI",
        "awards-0-year": "2014",
        "awards-0-sort_order": "0",
    }  # fmt: skip
    for prefix in INLINES:
        data[f"{prefix}-TOTAL_FORMS"] = "1"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(overrides)
    return data


@pytest.fixture
def editor_client(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    return client


def test_an_editor_adds_a_cluster_with_its_inline_figures_and_contacts(editor_client):
    response = editor_client.post("/admin/clusters/cluster/add/", cluster_form(logo=png()))

    assert response.status_code == 302
    cluster = Cluster.objects.get(slug="biocat")
    assert [str(figure) for figure in cluster.key_figures.all()] == ["Companies: 1,000"]
    assert cluster.contacts.get().email == "jordi@example.org"
    assert str(cluster.awards.get()) == "Gold Label, ECEI, 2014"
    assert cluster.logo.name.startswith("clusters/logos/")


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile(
                "logo.svg",
                b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                content_type="image/svg+xml",
            ),
            "Upload a valid image",
        ),
    ],  # fmt: skip
)
def test_a_file_that_is_not_an_image_is_refused_with_a_form_error(editor_client, upload, message):
    response = editor_client.post("/admin/clusters/cluster/add/", cluster_form(logo=upload))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Cluster.objects.exists()


def test_an_image_over_twenty_megapixels_is_refused(editor_client):
    response = editor_client.post(
        "/admin/clusters/cluster/add/", cluster_form(logo=png(5000, 4001))
    )

    assert response.status_code == 200
    assert "images may have at most 20 million pixels" in response.content.decode()
    assert not Cluster.objects.exists()


def test_a_logo_needs_alt_text(editor_client):
    response = editor_client.post(
        "/admin/clusters/cluster/add/", cluster_form(logo=png(), logo_alt="")
    )

    assert response.status_code == 200
    assert "Describe the logo for people who cannot see it." in response.content.decode()


def test_a_post_with_a_featured_image_needs_alt_text(editor_client):
    data = {
        "title_en_gb": "News", "slug": "news", "author": make_user().pk, "body_en_gb": "<p>x</p>",
        "status": "published", "published_at_0": "2016-05-01", "published_at_1": "10:00:00",
        "featured_image": png(), "featured_image_alt": "",
    }  # fmt: skip

    response = editor_client.post("/admin/clusters/post/add/", data)

    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()
    assert not Post.objects.exists()


def test_admin_pages_render_for_editors(editor_client):
    cluster, page, post = make_cluster(), make_page(), make_post()
    urls = [
        "/admin/", "/admin/clusters/cluster/", "/admin/clusters/cluster/add/",
        f"/admin/clusters/cluster/{cluster.pk}/change/", "/admin/clusters/page/",
        f"/admin/clusters/page/{page.pk}/change/", "/admin/clusters/post/",
        "/admin/clusters/post/add/", f"/admin/clusters/post/{post.pk}/change/",
        "/admin/clusters/category/", "/admin/clusters/tag/", "/admin/clusters/focusarea/",
        "/admin/clusters/metacluster/", "/admin/clusters/mediaimage/",
        "/admin/clusters/mediaimage/add/",
    ]  # fmt: skip
    for url in urls:
        assert editor_client.get(url).status_code == 200, url


def test_the_post_form_uses_the_rich_text_widget(editor_client):
    page = editor_client.get("/admin/clusters/post/add/").content.decode()

    assert "django_prose_editor" in page


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get("/admin/clusters/post/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_permissions_cannot_edit_content(client):
    client.force_login(make_user(is_staff=True))
    post = make_post()

    assert client.get("/admin/clusters/post/").status_code == 403
    assert client.get(f"/admin/clusters/post/{post.pk}/change/").status_code == 403


def test_moderators_cannot_edit_content(client):
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))
    cluster, page, post = make_cluster(), make_page(), make_post()

    urls = [
        f"/admin/clusters/cluster/{cluster.pk}/change/",
        f"/admin/clusters/page/{page.pk}/change/",
        f"/admin/clusters/post/{post.pk}/change/",
        "/admin/clusters/post/add/",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_publish_now_action_makes_drafts_live(editor_client):
    draft = make_post(status="draft")

    editor_client.post(
        "/admin/clusters/post/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )

    draft.refresh_from_db()
    assert draft.is_live


def test_an_editor_uploads_an_image_and_gets_its_address(editor_client):
    response = editor_client.post(
        "/admin/clusters/mediaimage/add/",
        {"title": "Osaka signing", "alt_text": "Two delegations shake hands", "file": png()},
    )

    assert response.status_code == 302
    image = MediaImage.objects.get()
    assert image.uploaded_by.groups.filter(name="Editors").exists()
    change_page = editor_client.get(f"/admin/clusters/mediaimage/{image.pk}/change/")
    assert image.file.url in change_page.content.decode()


def test_editors_open_and_close_the_discussion_of_a_post(editor_client):
    post = make_post()

    page = editor_client.get(f"/admin/clusters/post/{post.pk}/change/").content.decode()

    assert 'name="allow_comments"' in page and 'name="allow_pings"' in page


def test_publish_now_from_the_drafts_filter_pings_what_the_posts_link_to(
    editor_client, django_capture_on_commit_callbacks
):
    from comments.models import Comment

    page = make_page(slug="about-us")
    draft = make_post(status="draft", body='<p>See <a href="/about-us/">about us</a>.</p>')

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/clusters/post/?status__exact=draft",
            {"action": "publish_now", "_selected_action": [draft.pk]},
        )

    pingback = Comment.objects.for_object(page).get(kind=Comment.Kind.PINGBACK)
    assert pingback.author_name == draft.title


def test_an_admin_in_german_names_the_models_and_their_fields_in_german(editor_client, settings):
    settings.LANGUAGE_CODE = "de"

    index = editor_client.get("/admin/").content.decode()
    form = editor_client.get("/admin/clusters/post/add/").content.decode()

    assert "Beiträge" in index and "Seiten" in index and "Cluster" in index
    for label in ("Titel", "Titelform", "Auszug", "Autor", "Kategorien", "Schlagwörter"):
        assert f">{label}" in form, label
