"""Editors keep, compare and restore versions of posts, pages, clusters and the meta-cluster."""

import pytest
from django.contrib.auth.models import Permission
from reversion.models import Version

from clusters.models import Cluster, MetaCluster, Post, Status
from tests.admin_forms import form_data
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db


def change_url(obj, view="change"):
    return f"/admin/clusters/{obj._meta.model_name}/{obj.pk}/{view}/"


def save(client, obj, **changes):
    """Open ``obj``'s change form and save it with ``changes``, as an editor in a browser."""
    response = client.get(change_url(obj))
    response = client.post(change_url(obj), form_data(response, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_every_save_in_the_admin_keeps_a_version_with_who_and_a_note(editor_client):
    post = make_post(body="<p>First words.</p>")

    save(editor_client, post, body_en_gb="<p>Second words.</p>", version_comment="Fixed the intro")

    version = Version.objects.get_for_object(post).get()
    assert version.revision.user.get_full_name() == "Ada Lovelace"
    assert version.revision.comment.startswith("Fixed the intro (Changed Body")
    assert version.field_dict["body_en_gb"] == "<p>Second words.</p>"
    history = editor_client.get(change_url(post, "history")).content.decode()
    assert "Fixed the intro" in history and "Ada Lovelace" in history


def test_a_cluster_version_keeps_its_key_figures_awards_and_contacts(editor_client):
    cluster = make_cluster()
    cluster.key_figures.create(label="SMEs", value="168")
    cluster.contacts.create(name="Jordi Fàbrega")

    save(editor_client, cluster, **{"key_figures-0-value_en_gb": "170"})

    version = Version.objects.get_for_object(cluster).get()
    kept = {sibling.object_repr for sibling in version.revision.version_set.all()}
    assert {"SMEs: 170", "Jordi Fàbrega", cluster.name} <= kept


def test_comparing_two_versions_marks_what_changed_in_body_fields_and_inline_rows(
    editor_client,
):
    cluster = make_cluster(description="<p>Lyon's health cluster.</p><p>Since 2005.</p>")
    cluster.key_figures.create(label="SMEs", value="168")
    save(editor_client, cluster)
    save(
        editor_client,
        cluster,
        tagline_en_gb="The cluster of Auvergne-Rhône-Alpes.",
        description_en_gb="<p>Lyon's health cluster.</p><p>Since 2005, with 250 members.</p>",
        **{"key_figures-0-value_en_gb": "170"},
    )
    old, new = Version.objects.get_for_object(cluster).order_by("pk")

    page = editor_client.get(
        change_url(cluster, "history/compare"), {"old": old.pk, "new": new.pk}
    ).content.decode()

    assert "<h2>Fields</h2>" in page and "<h2>Description</h2>" in page
    assert "<h2>Key figures</h2>" in page
    assert '<span class="diff_sub">Since 2005.</span>' in page
    assert '<span class="diff_add">Since 2005, with 250 members.</span>' in page
    assert 'SMEs: 1<span class="diff_chg">68</span>' in page
    assert 'SMEs: 1<span class="diff_chg">70</span>' in page
    assert "Unchanged:" in page and "Labels and awards" in page


def test_restoring_a_version_brings_it_back_as_a_new_version(editor_client):
    post = make_post(title="The first title")
    save(editor_client, post)
    save(editor_client, post, title_en_gb="A worse title")
    first = Version.objects.get_for_object(post).order_by("pk").first()
    revision_url = change_url(post, f"history/{first.pk}")

    form = editor_client.get(revision_url)
    assert 'value="The first title"' in form.content.decode()
    post.refresh_from_db()
    assert post.title == "A worse title"  # Looking at a version changes nothing.
    response = editor_client.post(revision_url, form_data(form))

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "The first title"
    versions = Version.objects.get_for_object(post)
    assert versions.count() == 3
    assert versions.first().revision.comment.startswith("Reverted to previous version")


def test_the_bulk_actions_keep_a_version_of_each_entry(editor_client):
    draft, page = make_post(status=Status.DRAFT), make_page(status=Status.PUBLISHED)

    editor_client.post(
        "/admin/clusters/post/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )
    editor_client.post(
        "/admin/clusters/page/", {"action": "make_draft", "_selected_action": [page.pk]}
    )

    published = Version.objects.get_for_object(draft).get()
    assert published.field_dict["status"] == Status.PUBLISHED
    assert published.revision.comment == "Published now (list action)."
    assert published.revision.user.get_full_name() == "Ada Lovelace"
    assert Version.objects.get_for_object(page).get().field_dict["status"] == Status.DRAFT


def test_the_versions_list_gives_the_sites_notes_in_the_admins_language(editor_client, settings):
    post = make_post(status=Status.DRAFT, body="<p>First words.</p>")
    editor_client.post(
        "/admin/clusters/post/", {"action": "publish_now", "_selected_action": [post.pk]}
    )
    save(editor_client, post, body_en_gb="<p>Second words.</p>", version_comment="Fixed the intro")
    settings.LANGUAGE_CODE = "de"

    history = editor_client.get(change_url(post, "history")).content.decode()

    assert "Jetzt veröffentlicht (Listenaktion)." in history
    assert "Fixed the intro (" in history  # What an editor wrote stays as written.


def test_the_meta_cluster_keeps_versions_too(editor_client):
    meta = MetaCluster.objects.create(
        tagline="Personalised healthcare.", introduction="<p>Hello.</p>", sme_count=3300
    )

    save(editor_client, meta, sme_count="3400")

    assert Version.objects.get_for_object(meta).get().field_dict["sme_count"] == 3400


@pytest.mark.parametrize("who", ["Moderators", "view only"])
def test_people_who_may_not_edit_see_no_versions(client, editor_client, who):
    post = make_post()
    save(editor_client, post)
    save(editor_client, post, title_en_gb="Changed")
    old, new = Version.objects.get_for_object(post).order_by("pk")
    if who == "view only":
        person = make_user(is_staff=True)
        person.user_permissions.add(Permission.objects.get(codename="view_post"))
    else:
        person = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(person)

    for url in [
        change_url(post, "history"),
        change_url(post, f"history/{old.pk}"),
        change_url(post, "history/compare") + f"?old={old.pk}&new={new.pk}",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(change_url(post, f"history/{old.pk}"), {}).status_code == 403
    assert Post.objects.get().title == "Changed"


def test_comparing_without_two_versions_of_the_object_says_so(editor_client):
    post, other = make_post(), make_post()
    save(editor_client, post)
    save(editor_client, other)
    own, foreign = (
        Version.objects.get_for_object(post).get(),
        Version.objects.get_for_object(other).get(),
    )

    response = editor_client.get(
        change_url(post, "history/compare"), {"old": own.pk, "new": foreign.pk}, follow=True
    )

    assert "Choose two versions of this object to compare." in response.content.decode()


def test_an_object_saved_before_versions_existed_says_it_has_none_yet(editor_client):
    cluster = make_cluster()

    page = editor_client.get(change_url(cluster, "history")).content.decode()

    assert "no versions yet" in page
    assert Cluster.objects.get() == cluster
