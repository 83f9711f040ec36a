"""Translations: a complete, compiled catalogue per language and domain, up to date with the source.

English is the source language (no catalogue). For each other language and each domain
(``django``: templates and Python; ``djangojs``: the scripts, through Django's JavaScript
catalog) ``locale/<lang>/LC_MESSAGES/<domain>.po`` must translate every entry (none empty, none
fuzzy), keep each placeholder of the English text, be compiled into the ``.mo`` committed beside
it, and hold exactly the messages the source marks today (``make messages`` brings it up to date;
README "Languages").
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
# What `make messages` leaves out (Makefile: MESSAGES_IGNORE), and our own catalogues.
IGNORED = ["static/vendor/*", "staticfiles/*", "tests/*", "build/*"]
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".js"}
# printf-style placeholders, as gettext's python-format and javascript-format read them.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")

CATALOGUES = [(language, domain) for language in LANGUAGES for domain in DOMAINS]
ids = [f"{language}-{domain}" for language, domain in CATALOGUES]


def po_path(language: str, domain: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def catalogue(language: str, domain: str) -> polib.POFile:
    path = po_path(language, domain)
    assert path.is_file(), f"{path.relative_to(settings.BASE_DIR)} is missing: run `make messages`"
    return polib.pofile(str(path))


def messages(entries) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in entries if not entry.obsolete}


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


@pytest.mark.parametrize(("language", "domain"), CATALOGUES, ids=ids)
def test_every_message_is_translated_and_none_is_fuzzy(language, domain):
    po = catalogue(language, domain)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"
    assert untranslated == [], f"{len(untranslated)} untranslated"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy"


@pytest.mark.parametrize(("language", "domain"), CATALOGUES, ids=ids)
def test_translations_keep_the_placeholders_of_the_english(language, domain):
    wrong = []
    for entry in catalogue(language, domain).translated_entries():
        if entry.msgid_plural:
            # A singular form may say "one" instead of its number: each form uses only the
            # English forms' placeholders, and the forms together use all of them.
            english = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            forms = [placeholders(text) for text in entry.msgstr_plural.values()]
            if any(set(form) - set(english) for form in forms) or set().union(*forms) != set(
                english
            ):
                wrong.append(entry.msgid)
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize(("language", "domain"), CATALOGUES, ids=ids)
def test_the_committed_mo_is_the_po_compiled(language, domain):
    po = catalogue(language, domain)
    mo_path = po_path(language, domain).with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path.name} is missing: run `make messages`"

    def translations(entries):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
            for entry in entries
            if entry.msgid and not entry.obsolete
        }

    mo = polib.mofile(str(mo_path))
    compiled = translations(mo)
    expected = translations(e for e in po.translated_entries() if "fuzzy" not in e.flags)
    # polib reads the plural forms of a .mo with integer keys, as it writes them in a .po.
    assert compiled == expected, "the .mo is out of date: run `make messages`"


def _source_only(folder: str, names: list[str]) -> set[str]:
    """Leave out of the copy what makemessages does not read, and the catalogues themselves."""
    left_out = set()
    for name in names:
        path = Path(folder) / name
        if path.is_dir():
            if name.startswith(".") or name in {
                "locale",
                "tests",
                "vendor",
                "media",
                "build",
                "staticfiles",
                "__pycache__",
                "node_modules",
            }:
                left_out.add(name)  # fmt: skip
        elif path.suffix not in SOURCE_SUFFIXES:
            left_out.add(name)
    return left_out


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """Return a locale folder made by makemessages from today's source, for every language.

    makemessages writes beside the source it reads: it runs in a copy, never on ``locale/``.
    """
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("gettext is not installed (apt-get install gettext): cannot read the source")
    copy = tmp_path_factory.mktemp("fresh") / "source"
    shutil.copytree(settings.BASE_DIR, copy, ignore=_source_only)
    folder = copy / "locale"
    folder.mkdir()
    here = os.getcwd()
    os.chdir(copy)  # makemessages reads the source below the current folder.
    try:
        with override_settings(LOCALE_PATHS=[folder]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=LANGUAGES,
                    domain=domain,
                    ignore_patterns=IGNORED,
                    verbosity=0,
                )
    finally:
        os.chdir(here)
    return folder


@pytest.mark.parametrize(("language", "domain"), CATALOGUES, ids=ids)
def test_the_catalogues_hold_the_messages_the_source_marks_today(
    fresh_catalogues, language, domain
):
    fresh = fresh_catalogues / language / "LC_MESSAGES" / f"{domain}.po"
    marked = messages(polib.pofile(str(fresh))) if fresh.is_file() else set()
    committed = messages(catalogue(language, domain))

    assert sorted(marked - committed, key=str) == [], "new messages: run `make messages`"
    assert sorted(committed - marked, key=str) == [], "messages gone: run `make messages`"
