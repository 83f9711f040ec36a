"""Importing real WordPress exports: what lands in the database, again and again."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from clusters.models import Category, ImportedItem, MediaImage, Page, Post, Status, Tag
from clusters.wordpress.importer import import_wxr
from comments.models import Comment

pytestmark = pytest.mark.django_db
User = get_user_model()


def database_counts():
    return {
        "users": User.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
        "posts": Post.objects.count(),
        "pages": Page.objects.count(),
        "media": MediaImage.objects.count(),
        "comments": Comment.objects.count(),
        "records": ImportedItem.objects.count(),
    }


def test_the_theme_unit_test_file_is_imported_whole(theme_unit_test):
    report = import_wxr(theme_unit_test).as_dict()
    # The file: 58 posts, 21 pages, 37 attachments, 68 categories, 110 tags (and 4 more that
    # only its posts name), 33 comments, and 3 authors (2 declared, 1 only named by its posts);
    # its 70 menu items are not content.
    assert database_counts() == {
        "users": 3,
        "categories": 68,
        "tags": 114,
        "posts": 58,
        "pages": 21,
        "media": 37,
        "comments": 33,
        "records": 3 + 68 + 110 + 58 + 21 + 37 + 33,
    }
    assert report["counts"]["post"] == {"imported": 58}
    assert report["counts"]["other"] == {"skipped": 70}
    assert all(not user.is_active and not user.has_usable_password() for user in User.objects.all())

    # Statuses
    assert Counter(Post.objects.values_list("status", flat=True)) == {
        Status.PUBLISHED: 55,
        Status.DRAFT: 2,  # The draft, and the password-protected post (we have no passwords).
        Status.SCHEDULED: 1,
    }
    assert Post.objects.get(title="Scheduled").status == Status.SCHEDULED

    # Pings are kept; unapproved comments wait for a moderator.
    assert Counter(Comment.objects.values_list("kind", flat=True)) == {
        Comment.Kind.COMMENT: 29,
        Comment.Kind.PINGBACK: 2,
        Comment.Kind.TRACKBACK: 2,
    }
    assert Comment.objects.pending().count() == 3
    assert Comment.objects.filter(kind=Comment.Kind.PINGBACK).first().source_url.startswith("http")

    # A thread ten levels deep is rebuilt, each reply under its own parent.
    post = Post.objects.get(title="Template: Comments")
    thread = list(Comment.objects.for_object(post).in_thread_order())
    assert len(thread) == 20
    deepest = max(thread, key=lambda comment: comment.depth)
    assert deepest.depth == 10
    chain = [deepest]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    assert [comment.depth for comment in reversed(chain)] == list(range(1, 11))
    assert deepest.path.split("/") == [f"{comment.pk:010d}" for comment in reversed(chain)]
    assert all(comment.card_html and comment.body_html for comment in thread)

    # Categories keep their parents.
    assert Category.objects.get(slug="child-category-01").parent.slug == "parent-category"


def test_the_same_file_twice_creates_nothing_new(theme_unit_test):
    import_wxr(theme_unit_test)
    before = database_counts()
    report = import_wxr(theme_unit_test).as_dict()
    assert database_counts() == before
    for kind, outcomes in report["counts"].items():
        assert set(outcomes) <= {"unchanged", "skipped"}, (kind, outcomes)


def test_small_export_imports_users_terms_and_entries(fixtures):
    import_wxr(fixtures / "small-export.xml")
    editor = User.objects.get(username="editor")
    assert (editor.email, editor.first_name, editor.last_name) == (
        "editor@example.org",
        "FirstName",
        "LastName",
    )
    assert User.objects.get(username="admin").email == "local@host.null"
    assert User.objects.get(username="author").email == "author@example.org"
    assert (Category.objects.count(), Tag.objects.count()) == (30, 3)
    assert Category.objects.get(slug="foo").parent is None
    assert Category.objects.get(slug="foo-bar").parent.slug == "bar"
    # Five published posts and a private one, kept out of public view as a draft.
    assert Counter(Post.objects.values_list("status", flat=True)) == {"published": 5, "draft": 1}
    assert Counter(Page.objects.values_list("status", flat=True)) == {"published": 4, "draft": 1}
    assert Comment.objects.count() == 1
    assert Post.objects.get(title="Many Categories").categories.count() == 27
    assert set(Post.objects.get(title="Private Post").tags.values_list("slug", flat=True)) == {
        "tag1",
        "tag2",
        "tag3",
    }
    assert Post.objects.get(title="Hello world!").author.username == "author"
    assert Page.objects.get(title="Draft Page").slug  # WordPress left it empty; ours needs one.


def test_small_export_twice_gives_identical_counts(fixtures):
    import_wxr(fixtures / "small-export.xml")
    before = database_counts()
    import_wxr(fixtures / "small-export.xml")
    assert database_counts() == before


def test_backslashes_and_quotes_are_kept(fixtures):
    import_wxr(fixtures / "slashes.xml")
    assert Category.objects.get().name == 'a \\"great\\" category'
    assert Tag.objects.get().name == "foo\\'bar"
    assert 'Slashes aren\\\'t \\"cool\\"' in Post.objects.get().body
    assert Comment.objects.get().body == "\\o/ ¯\\_(ツ)_/¯"


def test_a_comment_with_meta_is_imported_approved(fixtures):
    import_wxr(fixtures / "test-serialized-comment-meta.xml")
    assert Comment.objects.approved().count() == 1


def test_a_current_wordpress_com_export_skips_what_is_not_content(shared_dir):
    path = (
        shared_dir / "testdata" / "jekyll-import-wpcom" / "sitetitle.wordpress.2025-01-19.000.xml"
    )
    report = import_wxr(path).as_dict()
    assert (Post.objects.count(), Page.objects.count(), MediaImage.objects.count()) == (7, 1, 6)
    skipped = {problem["reason"] for problem in report["problems"]}
    assert "post type “wp_global_styles” is not imported" in skipped
    assert "post type “wp_navigation” is not imported" in skipped


def test_a_dry_run_writes_nothing_and_reports_what_it_would_do(theme_unit_test):
    before = database_counts()
    report = import_wxr(theme_unit_test, dry_run=True).as_dict()
    assert database_counts() == before
    assert report["dry_run"] is True
    assert report["counts"]["post"] == {"imported": 58}


def test_items_not_imported_are_reported_with_their_reason_and_the_rest_goes_on(fixtures):
    report = import_wxr(fixtures / "namespace-edge-cases.xml").as_dict()
    assert Post.objects.count() == 5
    assert report["problems"] == [
        {
            "type": "other",
            "id": "",
            "title": "Hijacked Namespace",
            "reason": "post type “none” is not imported",
        }
    ]


@pytest.mark.parametrize(
    "name",
    ["malformed.xml", "malformed-simple.xml", "missing-version-tag.xml", "invalid-version-tag.xml"],
)
def test_the_command_refuses_a_broken_file_in_one_line_and_writes_nothing(fixtures, name):
    with pytest.raises(CommandError) as refused:
        call_command("import_wordpress", str(fixtures / name))
    # manage.py prints "CommandError: <message>" and exits with this code.
    assert refused.value.returncode == 1
    assert str(refused.value).startswith(f"{name}: ") and "\n" not in str(refused.value)
    assert database_counts() == dict.fromkeys(database_counts(), 0)


def test_the_command_prints_plain_progress_and_the_report(fixtures, capsys):
    call_command("import_wordpress", str(fixtures / "small-export.xml"))
    out = capsys.readouterr().out
    assert "47/47 items" in out
    assert "Import finished." in out
    assert "  post: 6 imported" in out
    assert "private in WordPress: imported as a draft" in out


def test_the_command_says_so_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_wordpress", str(tmp_path / "nothing.xml"))
