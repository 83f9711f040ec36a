"""Uploads on S3-compatible object storage when a bucket is configured (moto's server mode on
127.0.0.1 stands in for it), on the file system otherwise; media addresses without a doubled
folder."""

import io
import json
import subprocess
import sys

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clusters.models import MediaImage
from tests.stack.conftest import ROOT, free_port

S3 = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_STORAGE_BUCKET_NAME": "bioxclusters-media",
    # Visitors fetch the images from the store: public, by ACL here (or by a bucket policy).
    "AWS_DEFAULT_ACL": "public-read",
}


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 30), "#0b4f6c").save(buffer, "PNG")
    return SimpleUploadedFile("signing.png", buffer.getvalue(), content_type="image/png")


def settings_with(**environment) -> dict:
    show = (
        "import json, bioxclusters.settings as s; "
        "print(json.dumps([s.STORAGES['default'], s.SERVE_MEDIA, s.CONTENT_SECURITY_POLICY]))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x",
        "SITE_URL": "https://bioxclusters.test",
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def moto_s3(monkeypatch):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for key, value in S3.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
        Bucket=S3["AWS_STORAGE_BUCKET_NAME"]
    )
    yield endpoint
    server.stop()


def test_without_a_bucket_uploads_stay_on_the_file_system():
    storage, serve_media, _ = settings_with()
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert serve_media is True


@pytest.mark.django_db
def test_an_image_uploaded_in_the_admin_lands_in_the_bucket_and_its_address_serves_it(
    moto_s3, admin_client, settings
):
    storage, serve_media, policy = settings_with(**S3, AWS_S3_ENDPOINT_URL=moto_s3)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert serve_media is False  # Django serves no /media/: the store does.
    assert moto_s3 in policy["DIRECTIVES"]["img-src"]
    settings.STORAGES = {**settings.STORAGES, "default": storage}

    upload = png()
    response = admin_client.post(
        "/admin/clusters/mediaimage/add/",
        {"title": "Osaka signing", "alt_text": "Two delegations shake hands", "file": upload},
    )
    assert response.status_code == 302

    image = MediaImage.objects.get()
    bucket = boto3.client("s3", endpoint_url=moto_s3, region_name="us-east-1")
    (stored,) = bucket.list_objects_v2(Bucket=S3["AWS_STORAGE_BUCKET_NAME"])["Contents"]
    assert stored["Key"] == image.file.name
    assert image.file.name.startswith("images/")
    assert image.file.url.startswith(f"{moto_s3}/{S3['AWS_STORAGE_BUCKET_NAME']}/images/")
    served = requests.get(image.file.url, timeout=10)
    assert served.status_code == 200
    upload.seek(0)
    assert served.content == upload.read()


@pytest.mark.django_db
def test_uploaded_images_have_one_media_folder_in_their_address(admin_client, settings):
    admin_client.post(
        "/admin/clusters/mediaimage/add/",
        {"title": "Osaka signing", "alt_text": "Two delegations shake hands", "file": png()},
    )
    image = MediaImage.objects.get()
    assert image.file.url.startswith("/media/images/") and "/media/media/" not in image.file.url
    assert (settings.MEDIA_ROOT / image.file.name).is_file()
