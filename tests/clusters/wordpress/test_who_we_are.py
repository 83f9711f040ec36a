"""Our own export of the old "Who we are" page, imported into an empty site."""

import html
import re

import pytest

from clusters.models import Page
from clusters.revisions import versions_of
from clusters.wordpress.importer import import_wxr
from comments.models import Comment

pytestmark = pytest.mark.django_db

JAPAN = (
    "Japan Mission Report: 60 European healthcare SMEs have participated in a very "
    "successful mission"
)
BIOEUROPE = (
    "International expansion to Canada and America in healthcare: the bioXclusters session at "
    "BIOEurope Spring."
)


def visible_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def test_the_old_page_comes_back_with_its_text_and_its_two_pingbacks(
    client, who_we_are, shared_dir
):
    report = import_wxr(who_we_are).as_dict()
    assert report["counts"]["page"] == {"imported": 1}
    assert report["counts"]["comment"] == {"imported": 2}

    page = Page.objects.get(slug="who-we-are")
    pings = Comment.objects.for_object(page).approved().filter(kind=Comment.Kind.PINGBACK)
    assert sorted(pings.values_list("author_name", flat=True)) == sorted([BIOEUROPE, JAPAN])

    response = client.get("/who-we-are/")
    assert response.status_code == 200
    text = visible_text(response)
    assert "2 thoughts on “Who we are”" in text
    assert f"Pingback: {JAPAN}" in text
    assert f"Pingback: {BIOEUROPE}" in text
    # Every paragraph of the old page, from the introduction to bioPmed's contact.
    old = (shared_dir / "old-site" / "who-we-are.txt").read_text(encoding="utf-8")
    start = old.index("bioXclusters plus is the leading")
    end = old.index("www.biopmed.eu") + len("www.biopmed.eu")
    for paragraph in old[start:end].split("\n\n"):
        paragraph = paragraph.strip()
        for alt_text in ("LyonbiopoleLyonbiopole", "Senza titolo-1", "Einfaches RGB"):
            paragraph = paragraph.replace(alt_text, "Lyonbiopole" if "Lyon" in alt_text else "")
        if paragraph:
            assert " ".join(paragraph.split()) in text
    assert "emilie.romeo@lyonbiopole.com" in text


def test_an_imported_page_has_its_first_version_and_a_second_import_adds_none(who_we_are):
    import_wxr(who_we_are)
    page = Page.objects.get(slug="who-we-are")
    assert [v.revision.comment for v in versions_of(page)] == ["Imported from WordPress."]

    import_wxr(who_we_are)
    assert versions_of(page).count() == 1
