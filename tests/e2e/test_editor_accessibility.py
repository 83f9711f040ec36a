"""The editors' forms pass axe-core and fit a laptop's screen; the editor is usable as it opens."""

import pytest
from playwright.sync_api import expect

from clusters.models import Cluster, MediaImage, Page, Post
from tests.e2e.browser import (
    accessibility_violations,
    horizontal_overflow,
    load_axe,
    log_in,
    seed_pages,
)

LAPTOP = {"width": 1366, "height": 768}


def change_forms():
    image = MediaImage.objects.first()
    return {
        "post": f"/admin/clusters/post/{Post.objects.first().pk}/change/",
        "new post": "/admin/clusters/post/add/",
        "page": f"/admin/clusters/page/{Page.objects.first().pk}/change/",
        "cluster": f"/admin/clusters/cluster/{Cluster.objects.get(slug='biocat').pk}/change/",
        "image": f"/admin/clusters/mediaimage/{image.pk}/change/"
        if image
        else "/admin/clusters/mediaimage/add/",
        "menu": "/admin/clusters/menu/1/change/",
    }


@pytest.mark.parametrize("kind", ["post", "new post", "page", "cluster", "image", "menu"])
def test_change_form_has_no_serious_violations_and_fits_a_laptop(open_page, staff_user, kind):
    page = open_page(kind, viewport=LAPTOP)
    log_in(page, staff_user("Editors"))

    page.goto(change_forms()[kind])
    expect(page.locator("#content-main form")).to_be_visible()
    if kind not in ("image", "menu"):
        expect(page.locator(".prose-menubar").first).to_be_visible()

    assert accessibility_violations(page) == []
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize(
    "kind", ["home", "who-we-are", "cluster", "blog", "post", "post-with-comments"]
)
def test_public_pages_have_headings_in_order(page, post_with_comments, kind):
    page.goto(seed_pages()[kind])
    load_axe(page)

    results = page.evaluate(
        "axe.run(document, {runOnly: {type: 'rule', values: ['heading-order']}})"
    )

    assert [node["target"] for v in results["violations"] for node in v["nodes"]] == []
