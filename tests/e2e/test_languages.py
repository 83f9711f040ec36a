"""Every public page in every language, and a visitor who changes language on the way."""

import re

import pytest
from django.conf import settings
from django.urls import translate_url
from playwright.sync_api import expect

from tests.e2e.browser import accessibility_violations, seed_pages

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
KINDS = [
    "home",
    "who-we-are",
    "clusters",
    "cluster",
    "blog",
    "post",
    "post-with-comments",
    "search",
]


def public_pages() -> dict[str, str]:
    return {**seed_pages(), "clusters": "/clusters/", "search": "/search/?q=oncology"}


@pytest.mark.parametrize("code", LANGUAGE_CODES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_public_page_reads_in_every_language(page, post_with_comments, kind, code):
    address = translate_url(public_pages()[kind], code)

    response = page.goto(address)

    assert response.status == 200, address
    assert page.locator("html").get_attribute("lang").lower() == code
    alternates = page.locator("link[rel=alternate][hreflang]")
    hreflangs = alternates.evaluate_all("links => links.map(link => link.hreflang)")
    assert sorted(hreflangs) == sorted([*LANGUAGE_CODES, "x-default"])
    for href in alternates.evaluate_all("links => links.map(link => link.href)"):
        assert page.request.get(href, max_redirects=0).status == 200, href
    assert accessibility_violations(page) == []


def test_visitor_switches_to_french_reads_who_we_are_then_switches_to_german(page):
    switcher = page.get_by_role("navigation", name=re.compile("Languages|Langues|Sprachen"))
    page.goto("/")

    switcher.get_by_role("link", name="Français").click()

    expect(page).to_have_url(re.compile(r"/fr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(switcher.locator("[aria-current=page]")).to_have_text("Français")

    page.locator("main a[href$='/fr/who-we-are/'], header a[href$='/fr/who-we-are/']").first.click()

    expect(page).to_have_url(re.compile(r"/fr/who-we-are/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    switcher.get_by_role("link", name="Deutsch").click()

    expect(page).to_have_url(re.compile(r"/de/who-we-are/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(switcher.locator("[aria-current=page]")).to_have_text("Deutsch")
