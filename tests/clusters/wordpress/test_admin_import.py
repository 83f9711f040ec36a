"""The admin's import page: staff with the permission upload an export and follow the run."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.models import ImportRun, Page, Post
from comments.models import Comment
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer_client(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_importrun"))
    client.force_login(user)
    return client


@pytest.fixture
def start(importer_client, django_capture_on_commit_callbacks):
    """Upload ``path`` on the add page; the run's task runs once the upload is committed."""

    def start(path, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return importer_client.post(
                "/admin/clusters/importrun/add/", {"file": upload(path), **data}
            )

    return start


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/xml")


def test_staff_without_the_permission_cannot_import(client, who_we_are):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    response = client.post(
        "/admin/clusters/importrun/add/", {"file": upload(who_we_are), "dry_run": "on"}
    )
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_a_dry_run_from_the_admin_reports_and_writes_nothing(start, importer_client, who_we_are):
    response = start(who_we_are, dry_run="on")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/clusters/importrun/{run.pk}/change/"
    assert run.status == ImportRun.Status.DONE
    assert (Page.objects.count(), Comment.objects.count()) == (0, 0)
    page = importer_client.get(response.url)
    assert page.status_code == 200
    assert "Dry run: nothing was written." in page.content.decode()
    assert "page: 1 imported" in page.content.decode()
    assert '<meta http-equiv="refresh"' not in page.content.decode()
    assert not run.file  # The export, with commenters' addresses, is not kept.


def test_an_import_from_the_admin_imports(start, who_we_are):
    start(who_we_are)
    run = ImportRun.objects.get()
    assert (run.status, run.dry_run, run.progress, run.total) == (
        ImportRun.Status.DONE,
        False,
        2,  # The author and the page (with its pingbacks).
        2,
    )
    assert Page.objects.get().title == "Who we are"
    assert Comment.objects.filter(kind=Comment.Kind.PINGBACK).count() == 2


def test_a_broken_file_ends_the_run_with_its_one_line_reason(start, importer_client, fixtures):
    response = start(fixtures / "malformed.xml")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "not well-formed XML" in run.error
    assert "not well-formed XML" in importer_client.get(response.url).content.decode()
    assert not Post.objects.exists()


def test_a_queued_run_shows_that_it_waits_and_reloads_itself(importer_client):
    run = ImportRun.objects.create(filename="export.xml")
    page = importer_client.get(f"/admin/clusters/importrun/{run.pk}/change/").content.decode()
    assert "Waiting for the worker" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_an_admin_in_german_gives_the_report_in_german(
    start, importer_client, who_we_are, settings
):
    response = start(who_we_are, dry_run="on")
    settings.LANGUAGE_CODE = "de"

    page = importer_client.get(response.url).content.decode()

    assert "Bericht" in page and "Testlauf: Es wurde nichts geschrieben." in page
    assert "Seite: 1 importiert" in page
