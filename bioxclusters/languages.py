"""The site's languages as a page offers them: the switcher's links and the hreflang alternates.

A public page exists at one address per language (English unprefixed, the others under /fr/,
/es/…, with the same slugs: ``bioxclusters/urls.py``); ``translate_url`` turns the address of the
page being shown into each language's. An address outside the language-prefixed patterns (the
admin, sign-in, the comment form's post) is the same in every language: it offers no switcher.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from bioxclusters.common import absolute_url


@dataclass(frozen=True, slots=True)
class LanguageLink:
    code: str  # The language code, also the link's ``hreflang`` and ``lang``.
    name: str  # The language's name in itself: "Français".
    href: str  # The same page in that language, with the query it was asked with (?page=2).
    alternate: str  # The page's canonical address in that language (no query), from SITE_URL.
    is_current: bool
    is_default: bool  # English: also the ``x-default`` alternate.


def language_links(request) -> list[LanguageLink]:
    """Return the links to the page ``request`` shows in every language, or [] if it has none."""
    path = request.path
    paths = {code: translate_url(path, code) for code, _ in settings.LANGUAGES}
    if len(set(paths.values())) < len(paths):
        return []  # Not under i18n_patterns (or not found): one address for every language.
    query = request.META.get("QUERY_STRING", "")
    current = translation.get_language()
    return [
        LanguageLink(
            code=code,
            name=name,
            href=f"{paths[code]}?{query}" if query else paths[code],
            alternate=absolute_url(paths[code]),
            is_current=code == current,
            is_default=code == settings.LANGUAGE_CODE,
        )
        for code, name in settings.LANGUAGES
    ]


def in_current_language(path: str) -> str:
    """Return the site's English address ``path`` ("/blog/") in the language being shown."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(settings.LANGUAGE_CODE):  # The address is resolved as English.
        return translate_url(path, language)


def context(request):
    """Give every template ``languages``: ``language_links`` of the page, built when first read."""
    return {"languages": SimpleLazyObject(lambda: language_links(request))}
