"""A visitor finds a cluster on the map of Europe, reads its profile and meets all four."""

from playwright.sync_api import expect

from clusters.models import Page
from clusters.seed import CLUSTERS
from comments.models import Comment
from tests.comments.factories import make_comment
from tests.e2e.browser import thoughts_heading


def test_visitor_goes_from_the_map_to_a_cluster_and_on_to_who_we_are(page):
    biocat = next(cluster for cluster in CLUSTERS if cluster.slug == "biocat")
    who_we_are = Page.objects.get(slug="who-we-are")
    pingbacks = list(
        Comment.objects.for_object(who_we_are).filter(kind=Comment.Kind.PINGBACK).order_by("pk")
    )
    if not pingbacks:
        # The seed content has no pingbacks yet (they come with the linkbacks' seed): one
        # approved comment shows the heading and its count all the same.
        make_comment(who_we_are, author_name="Ada Lovelace", body="Thank you for the contacts.")
    page.goto("/")

    page.locator('a.europe-map__link[aria-label^="Biocat"]').click()

    expect(page).to_have_url(f"/clusters/{biocat.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(biocat.name)
    key_figures = page.locator(".key-figures")
    expect(key_figures).to_be_visible()
    for label, value in biocat.key_figures:
        expect(key_figures).to_contain_text(label)
        expect(key_figures).to_contain_text(value)
    expect(page.get_by_text(biocat.contacts[0].name, exact=True)).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Who we are").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who we are")
    profiles = page.locator("section.profile")
    expect(profiles).to_have_count(len(CLUSTERS))
    for cluster, profile in zip(CLUSTERS, profiles.all(), strict=True):
        expect(profile.get_by_role("heading", level=2)).to_have_text(cluster.name)
        for contact in cluster.contacts:
            expect(profile.get_by_text(contact.name, exact=True)).to_be_visible()
    approved = Comment.objects.for_object(who_we_are).approved().count()
    expect(page.locator("#comments").get_by_role("heading", level=2)).to_have_text(
        thoughts_heading(approved, "Who we are")
    )
    for pingback in pingbacks:
        # The seed's pingbacks are published, as the old site showed them.
        item = page.locator(f"#comment-{pingback.pk}")
        expect(item).to_contain_text(f"Pingback: {pingback.author_name}")
        if pingback.public_url:
            expect(item.get_by_role("link")).to_have_attribute("href", pingback.public_url)
