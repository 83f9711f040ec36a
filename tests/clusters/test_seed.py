"""The seed loader puts the old "Who we are" page's content in the database, once."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from clusters.models import Award, Cluster, KeyFigure, MetaCluster, Page, Post, Status
from clusters.seed import load_seed_content

pytestmark = pytest.mark.django_db

BROKEN_ALT_TEXTS = {"einfaches rgb", "senza titolo-1"}


@pytest.fixture
def seeded():
    return load_seed_content()


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _row_counts() -> dict[str, int]:
    models = [*apps.get_app_config("clusters").get_models(include_auto_created=True)]
    return {m._meta.label: m.objects.count() for m in [*models, get_user_model()]}


def _logo_files(settings) -> dict[str, tuple[bytes, int]]:
    folder = settings.MEDIA_ROOT / "clusters" / "logos"
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.iterdir()}


def test_four_clusters_with_lyonbiopole_coordinating_first(seeded):
    clusters = list(Cluster.objects.for_cards())

    assert [c.name for c in clusters] == ["Lyonbiopole", "Biocat", "BioM", "bioPmed"]
    assert [c.name for c in clusters if c.is_coordinator] == ["Lyonbiopole"]
    # The regions the old page names, and nothing it does not say (no city, no country).
    assert [c.region for c in clusters] == [
        "Auvergne-Rhône-Alpes",
        "Catalonia",
        "Bavaria",
        "Piedmont",
    ]
    assert {(c.city, c.country) for c in clusters} == {("", "")}


def test_meta_cluster_introduces_the_alliance(seeded):
    meta = MetaCluster.load()

    assert meta.name == "bioXclusters plus"
    assert meta.sme_count == 3300
    assert "3,300 SMEs" in meta.introduction
    assert {area.slug for area in meta.focus_areas.all()} == {
        "personalised-medicine",
        "oncology",
        "cardiovascular-diseases",
        "inflammatory-diseases",
        "infectious-diseases",
        "central-nervous-system",
    }


def test_lyonbiopole_profile_keeps_the_old_page_figures_and_gold_label(seeded):
    lyonbiopole = Cluster.objects.get(slug="lyonbiopole")

    figures = {str(figure) for figure in KeyFigure.objects.filter(cluster=lyonbiopole)}
    assert {"SMEs: almost 168", "Members: 190", "Research centres: 17"} <= figures
    assert str(Award.objects.get(cluster=lyonbiopole)) == (
        "European cluster excellence “Gold Label”, ECEI, 2014"
    )
    assert lyonbiopole.contacts.get().email == "emilie.romeo@lyonbiopole.com"


def test_every_cluster_has_figures_a_contact_and_a_website(seeded):
    for cluster in Cluster.objects.all():
        assert cluster.key_figures.exists(), cluster
        assert cluster.website.startswith("https://"), cluster
        assert cluster.contacts.exclude(name="").exists(), cluster
        assert cluster.description.startswith("<p>"), cluster


def test_every_cluster_colour_is_readable_under_white_text(seeded):
    for cluster in Cluster.objects.all():
        assert re.fullmatch(r"#[0-9a-f]{6}", cluster.colour), cluster
        assert 1.05 / (_relative_luminance(cluster.colour) + 0.05) >= 4.5, cluster


def test_every_logo_is_a_real_png_with_meaningful_alt_text(seeded):
    for cluster in Cluster.objects.all():
        assert cluster.logo.name == f"clusters/logos/{cluster.slug}.png"
        with cluster.logo.open("rb") as file, Image.open(file) as image:
            assert image.format == "PNG"
            assert image.size == (480, 160)
        assert cluster.logo_alt == f"{cluster.name} logo"
        assert cluster.logo_alt.strip().lower() not in BROKEN_ALT_TEXTS


def test_who_we_are_page_is_published_and_shows_the_clusters(seeded):
    page = Page.objects.published().get(slug="who-we-are")

    assert page.title == "Who we are"
    assert page.show_clusters is True
    assert page.menu_order == 1
    assert "meta-cluster on personalised healthcare" in page.body


def test_both_pingback_posts_are_published_and_link_to_who_we_are(seeded):
    posts = Post.objects.published()

    assert {post.title for post in posts} == {
        "Japan Mission Report: 60 European healthcare SMEs have participated in a very "
        "successful mission",
        "International expansion to Canada and America in healthcare: the bioXclusters session "
        "at BIOEurope Spring.",
    }
    for post in posts:
        assert post.status == Status.PUBLISHED
        assert 'href="/who-we-are/"' in post.body
        assert [c.name for c in post.categories.all()] == ["News"]
        assert post.author.username == "bioxclusters"
        assert not post.author.has_usable_password()
        assert not post.author.is_staff


def test_seeded_content_passes_the_admin_validation(seeded):
    for model in (Cluster, KeyFigure, Award, Page, Post, MetaCluster):
        for obj in model.objects.all():
            obj.full_clean()


def test_loading_twice_changes_nothing(seeded, settings):
    rows, logos = _row_counts(), _logo_files(settings)
    updated_at = dict(Cluster.objects.values_list("slug", "updated_at"))

    again = load_seed_content()

    assert _row_counts() == rows
    assert _logo_files(settings) == logos
    assert dict(Cluster.objects.values_list("slug", "updated_at")) == updated_at
    assert again["created"] == {}
    assert again["logos_written"] == 0
    assert seeded["logos_written"] == 4


def test_command_prints_a_one_line_summary(capsys):
    call_command("load_seed_content")

    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "created" in out and "4 logos written" in out


def test_loading_again_keeps_what_editors_changed(seeded):
    Cluster.objects.filter(slug="biocat").update(tagline="Edited by an editor.")
    Cluster.objects.get(slug="biocat").key_figures.all().delete()

    load_seed_content()

    biocat = Cluster.objects.get(slug="biocat")
    assert biocat.tagline == "Edited by an editor."
    assert not biocat.key_figures.exists()
