"""Editors never lose an edit: autosaves offered back, and no save silently overwrites another."""

import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils.html import strip_tags
from reversion.models import Version

from clusters.models import Autosave, Post
from tests.admin_forms import form_data
from tests.factories import make_cluster, make_post, make_user

pytestmark = pytest.mark.django_db

OFFER = "that is more recent than the version below — "


@pytest.fixture
def other_client():
    """Return the browser of another person, signed in by the test."""
    return Client()


def url(obj, view="change"):
    return f"/admin/clusters/{obj._meta.model_name}/{obj.pk}/{view}/"


def test_an_autosave_keeps_the_form_but_not_the_live_content(editor_client, editor):
    post = make_post(title="Live title")
    data = form_data(editor_client.get(url(post)), title_en_gb="Typed, not saved")

    response = editor_client.post(url(post, "autosave"), data)

    assert response.status_code == 200 and "saved_at" in response.json()
    post.refresh_from_db()
    assert post.title == "Live title"
    autosave = Autosave.objects.get(user=editor, object_id=str(post.pk))
    assert ["title_en_gb", "Typed, not saved"] in autosave.data


def test_coming_back_offers_the_autosave_and_restores_it_into_the_form(editor_client):
    cluster = make_cluster(tagline="Saved tagline.")
    cluster.key_figures.create(label="SMEs", value="168")
    changes = {"tagline_en_gb": "Typed tagline.", "key_figures-0-value_en_gb": "170"}
    editor_client.post(
        url(cluster, "autosave"), form_data(editor_client.get(url(cluster)), **changes)
    )

    page = editor_client.get(url(cluster)).content.decode()
    assert f"There is an autosave of this cluster {OFFER}" in page
    assert 'href="?restore-autosave">restore it?</a>' in page

    restored = editor_client.get(url(cluster) + "?restore-autosave").content.decode()
    assert 'value="Typed tagline."' in restored and 'value="170"' in restored
    assert OFFER not in restored and "The form shows your autosave" in restored


def test_saving_the_form_drops_the_autosave_and_the_offer(editor_client):
    post = make_post()
    form = editor_client.get(url(post))
    editor_client.post(url(post, "autosave"), form_data(form, title_en_gb="Draft of a title"))

    editor_client.post(url(post), form_data(form, title_en_gb="Draft of a title"))

    assert not Autosave.objects.exists()
    assert OFFER not in editor_client.get(url(post)).content.decode()


def test_an_autosave_older_than_the_last_save_is_not_offered(other_client, editor_client):
    post = make_post()
    editor_client.post(url(post, "autosave"), form_data(editor_client.get(url(post))))
    other_client.force_login(make_user(is_staff=True, groups=["Editors"]))
    other_client.post(
        url(post), form_data(other_client.get(url(post)), title_en_gb="Saved later by another")
    )

    assert OFFER not in editor_client.get(url(post)).content.decode()


def test_a_new_post_is_autosaved_and_offered_on_the_add_form(editor_client):
    data = form_data(
        editor_client.get("/admin/clusters/post/add/"), title_en_gb="A post never saved"
    )

    editor_client.post("/admin/clusters/post/autosave/", data)

    page = editor_client.get("/admin/clusters/post/add/").content.decode()
    assert "There is an autosave of a new post that you did not save" in page
    restored = editor_client.get("/admin/clusters/post/add/?restore-autosave").content.decode()
    assert 'value="A post never saved"' in restored
    assert not Post.objects.exists()


def test_autosaves_are_each_editors_own(editor_client, other_client):
    post = make_post()
    editor_client.post(url(post, "autosave"), form_data(editor_client.get(url(post))))
    other_client.force_login(make_user(is_staff=True, groups=["Editors"]))

    assert OFFER not in other_client.get(url(post)).content.decode()


def test_only_people_who_may_change_the_object_can_autosave(client):
    post = make_post()
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))

    assert client.post(url(post, "autosave"), {"title": "x"}).status_code == 403
    assert client.post("/admin/clusters/post/autosave/", {"title": "x"}).status_code == 403
    assert not Autosave.objects.filter(content_type=ContentType.objects.get_for_model(Post))


def test_an_autosave_needs_post_and_the_csrf_token(editor, editor_client):
    post = make_post()
    assert editor_client.get(url(post, "autosave")).status_code == 405
    strict = editor_client.__class__(enforce_csrf_checks=True)
    strict.force_login(editor)

    assert strict.post(url(post, "autosave"), {"title": "x"}).status_code == 403
    assert not Autosave.objects.exists()


def test_a_second_editor_saving_after_the_first_is_warned_and_sees_both_versions(
    other_client, editor_client
):
    client = other_client
    post = make_post(title="The title", body="<p>Opening words.</p>")
    editor_client.post(url(post), form_data(editor_client.get(url(post))))
    second = make_user(is_staff=True, groups=["Editors"], first_name="Grace", last_name="Hopper")
    client.force_login(second)
    their_form, my_form = editor_client.get(url(post)), client.get(url(post))
    editor_client.post(url(post), form_data(their_form, body_en_gb="<p>Ada's words.</p>"))

    response = client.post(url(post), form_data(my_form, body_en_gb="<p>Grace's words.</p>"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Lovelace saved this post since you opened it." in page
    assert "Their version and yours" in page
    conflict = page.split('id="conflict-heading"', 1)[1].split("</section>", 1)[0]
    text = html.unescape(strip_tags(conflict))
    assert "Their version: " in text and "Ada's words." in text
    assert "Yours, not saved" in text and "Grace's words." in text
    post.refresh_from_db()
    assert post.body == "<p>Ada's words.</p>"

    # Saving again is a choice made knowing their version: it goes through.
    response = client.post(url(post), form_data(response, body_en_gb="<p>Grace's words.</p>"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "<p>Grace's words.</p>"


def test_the_change_form_asks_before_leaving_and_autosaves_from_a_static_script(editor_client):
    page = editor_client.get(url(make_post())).content.decode()

    assert "clusters/admin/editing.js" in page
    assert 'data-autosave-seconds="60"' in page
    assert "<script>" not in page.split("<body", 1)[1].split("</form>", 1)[0]


def test_a_new_post_is_previewed_on_its_public_page_before_the_first_save(editor_client):
    data = form_data(
        editor_client.get("/admin/clusters/post/add/"),
        title_en_gb="Partnering days in Lyon",
        slug="partnering-days",
        body_en_gb="<p>Two days of <strong>meetings</strong>.</p>",
    )

    response = editor_client.post("/admin/clusters/post/preview/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Partnering days in Lyon</h1>" in page
    assert "Two days of <strong>meetings</strong>." in page
    assert "no-cache" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    assert not Post.objects.exists()


def test_a_preview_shows_unsaved_changes_and_inline_rows_and_keeps_no_version(editor_client):
    cluster = make_cluster(tagline="Saved tagline.")
    cluster.key_figures.create(label="SMEs", value="168")
    form = editor_client.get(url(cluster))

    response = editor_client.post(
        url(cluster, "preview"),
        form_data(form, tagline_en_gb="Unsaved tagline.", **{"key_figures-0-value_en_gb": "170"}),
    )

    page = response.content.decode()
    assert "Unsaved tagline." in page and "170" in page
    cluster.refresh_from_db()
    assert cluster.tagline == "Saved tagline." and cluster.key_figures.get().value == "168"
    assert not Version.objects.get_for_object(cluster).exists()


def test_a_form_with_mistakes_says_what_to_correct_instead_of_a_preview(editor_client):
    data = form_data(editor_client.get("/admin/clusters/post/add/"), title_en_gb="", slug="x")

    response = editor_client.post("/admin/clusters/post/preview/", data)

    assert response.status_code == 400
    assert "Title: This field is required." in response.content.decode()


def test_only_people_who_may_edit_can_preview(client):
    post = make_post()
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))

    assert client.post(url(post, "preview"), {"title": "x"}).status_code == 403
    assert client.post("/admin/clusters/post/preview/", {"title": "x"}).status_code == 403
