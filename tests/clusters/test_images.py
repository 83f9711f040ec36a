"""Images reach each screen at the width it shows them, and sitemaps list them."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clusters.models import MediaImage
from tests.admin_forms import form_data
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


def jpeg(width=3000, height=2000):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b4f6c").save(buffer, "JPEG")
    return buffer.getvalue()


def stored(name, content):
    return default_storage.save(name, ContentFile(content))


def candidates(srcset):
    return {int(width): url for url, width in re.findall(r"(\S+) (\d+)w", srcset)}


def test_a_large_body_image_is_served_in_webp_and_jpeg_at_a_few_widths(client):
    name = stored("images/2026/03/lab.jpg", jpeg())
    post = make_post(body=f'<p>Text</p><img src="/media/{name}" alt="The lab">')

    page = client.get(post.get_absolute_url()).content.decode()

    picture = re.search(r"<picture>.*?</picture>", page, re.S)[0]
    webp = candidates(re.search(r'<source type="image/webp" srcset="([^"]+)"', picture)[1])
    jpg = candidates(re.search(r'<img [^>]*srcset="([^"]+)"', picture)[1])
    assert sorted(webp) == sorted(jpg) == [320, 480, 640, 960, 1280, 1920, 3000]
    assert all(url.endswith(".webp") for url in webp.values())
    assert 'width="3000" height="2000" alt="The lab"' in picture
    assert 'sizes="(min-width: 784px) 736px, calc(100vw - 24px)"' in picture
    with default_storage.open(jpg[320].removeprefix("/media/")) as file:
        rendition = Image.open(file)
        assert rendition.size == (320, 213) and rendition.format == "JPEG"
    with default_storage.open(webp[640].removeprefix("/media/")) as file:
        assert Image.open(file).format == "WEBP"


def test_an_image_is_never_copied_wider_than_itself(client):
    name = stored("images/small.png", jpeg(400, 100))
    page = make_page(body=f'<img src="/media/{name}" alt="Small">')

    html = client.get(page.get_absolute_url()).content.decode()

    srcset = re.search(r'<img [^>]*srcset="([^"]+)"', html)[1]
    assert sorted(candidates(srcset)) == [320, 400]


def test_featured_images_and_logos_get_renditions_and_their_shown_size(client):
    cluster = make_cluster(logo_alt="Biocat logo")
    cluster.logo.save("logo.png", ContentFile(jpeg(960, 320)))
    post = make_post()
    post.featured_image_alt = "The team"
    post.featured_image.save("team.jpg", ContentFile(jpeg(2000, 1000)))

    profile = client.get(cluster.get_absolute_url()).content.decode()
    article = client.get(post.get_absolute_url()).content.decode()

    assert re.search(r'<img [^>]*sizes="240px" width="240" height="80" alt="Biocat logo"', profile)
    assert re.search(r'<img [^>]*width="2000" height="1000" alt="The team"', article)
    assert ".webp 320w" in article


def test_addresses_of_other_sites_are_left_alone(client):
    post = make_post(body='<img src="https://elsewhere.example/a.png" alt="Elsewhere">')

    page = client.get(post.get_absolute_url()).content.decode()

    assert '<img src="https://elsewhere.example/a.png" alt="Elsewhere">' in page


def test_an_uploaded_image_has_no_doubled_folder_in_its_address(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    upload = SimpleUploadedFile("lab.jpg", jpeg(100, 100), content_type="image/jpeg")

    client.post(
        "/admin/clusters/mediaimage/add/", {"title": "Lab", "alt_text": "Lab", "file": upload}
    )

    url = MediaImage.objects.get().file.url
    assert url.startswith("/media/images/") and "/media/media/" not in url


def test_the_sitemap_lists_the_images_of_each_page(client):
    name = stored("images/lab.jpg", jpeg(100, 100))
    post = make_post(body=f'<img src="/media/{name}" alt="Lab">')
    cluster = make_cluster(logo_alt="Logo")
    cluster.logo.save("logo.png", ContentFile(jpeg(100, 100)))

    sitemap = ET.fromstring(client.get("/sitemap.xml").content)

    images = {
        url.find(f"{SITEMAP}loc").text: [i.text for i in url.iter(f"{IMAGE}loc")]
        for url in sitemap.iter(f"{SITEMAP}url")
    }
    assert images[f"https://bioxclusters.test{post.get_absolute_url()}"] == [
        f"https://bioxclusters.test/media/{name}"
    ]
    assert images[f"https://bioxclusters.test{cluster.get_absolute_url()}"] == [
        f"https://bioxclusters.test{cluster.logo.url}"
    ]


def test_the_body_editor_offers_the_library_and_takes_dropped_images(editor_client):
    page = editor_client.get("/admin/clusters/post/add/").content.decode()

    assert "/admin/clusters/mediaimage/chooser/" in page  # "Browse…" in the figure dialog
    assert "clusters/admin/image-drop.js" in page
    assert "/admin/clusters/mediaimage/upload/" in page


def test_an_image_uploaded_from_the_editor_joins_the_library(editor_client):
    upload = SimpleUploadedFile("lab.jpg", jpeg(800, 600), content_type="image/jpeg")

    response = editor_client.post(
        "/admin/clusters/mediaimage/upload/",
        {"file": upload, "alt_text": "The lab", "title": "lab"},
    )

    image = MediaImage.objects.get()
    assert response.json() == {"url": image.file.url, "alt": "The lab", "id": image.pk}
    assert image.uploaded_by.groups.filter(name="Editors").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"alt_text": ""}, "Alt text: This field is required."),
        ({"file": SimpleUploadedFile("a.jpg", b"not an image")}, "Upload a valid image"),
    ],
)
def test_an_upload_without_alt_text_or_image_says_why(editor_client, data, message):
    data = {"title": "lab", "alt_text": "The lab", **data}
    data.setdefault("file", SimpleUploadedFile("lab.jpg", jpeg(80, 60), content_type="image/jpeg"))

    response = editor_client.post("/admin/clusters/mediaimage/upload/", data)

    assert response.status_code == 400 and message in response.json()["error"]
    assert not MediaImage.objects.exists()


def test_the_chooser_searches_and_shows_thumbnails(editor_client):
    for title in ("Lab bench", "Team photo"):
        MediaImage.objects.create(
            title=title, alt_text=title, file=ContentFile(jpeg(1200, 800), name="x.jpg")
        )

    page = editor_client.get("/admin/clusters/mediaimage/chooser/?q=bench").content.decode()

    assert "Lab bench" in page and "Team photo" not in page
    assert 'sizes="160px"' in page and ".webp 320w" in page
    assert 'id="chooser-upload"' in page and "clusters/admin/chooser.js" in page


def test_moderators_can_neither_choose_nor_upload(client):
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))

    assert client.get("/admin/clusters/mediaimage/chooser/").status_code == 403
    assert client.post("/admin/clusters/mediaimage/upload/", {}).status_code == 403


def test_a_body_image_without_alt_text_is_refused(editor_client):
    post = make_post()
    form = editor_client.get(f"/admin/clusters/post/{post.pk}/change/")
    response = editor_client.post(
        f"/admin/clusters/post/{post.pk}/change/",
        form_data(form, body_en_gb='<p>Hi</p><img src="/media/images/a.jpg" alt="">'),
    )

    assert response.status_code == 200
    assert "Every image needs alt text" in response.content.decode()
