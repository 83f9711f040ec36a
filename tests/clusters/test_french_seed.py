"""The French "Who we are" translates the old page's English and adds nothing to it.

The seed ships the French introduction and Lyonbiopole's profile (``clusters/seed.py``). Read on
``/fr/who-we-are/``, each keeps every number, name, e-mail and web address of the English it
translates (``../shared/old-site/who-we-are.txt``), and holds no number the English lacks
(the profile repeats some in its key figures and label).
"""

import html
import re

import pytest
from django.utils.html import strip_tags

from clusters.seed import load_seed_content

pytestmark = pytest.mark.django_db

INTRO = ("bioXclusters plus is the leading", "innovative partners.")
LYONBIOPOLE = ("LyonbiopoleLyonbiopole, a French", "www.lyonbiopole.com/en/lyonbiopole.")
# The proper names of those parts (each is checked to be in the English first).
NAMES = {
    "intro": ["bioXclusters plus", "Biocat", "BioM", "bioPmed", "Lyonbiopole"],
    "lyonbiopole": [
        "Lyonbiopole", "Auvergne-Rhône-Alpes", "bioXclusters plus", "Sanofi Pasteur",
        "bioMérieux", "Merial", "BD", "ECEI", "Gold Label", "R&D", "Emilie Romeo",
    ],
}  # fmt: skip
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB_ADDRESS = re.compile(r"www\.[\w-]+(?:\.[\w-]+)+(?:/[\w/-]*)?")
ENGLISH_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
# French groups thousands with a (narrow) no-break space and writes decimals with a comma.
FRENCH_NUMBER = re.compile(r"\d+(?:[\u202f\u00a0 ]\d{3})*(?:,\d+)?")


def english_numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in ENGLISH_NUMBER.findall(text)}


def french_numbers(text: str) -> set[str]:
    found = FRENCH_NUMBER.findall(text)
    return {re.sub(r"[\u202f\u00a0 ]", "", n).replace(",", ".") for n in found}


def between(text: str, start: str, end: str) -> str:
    first = text.index(start)
    return text[first : text.index(end, first) + len(end)]


@pytest.fixture
def english(shared_dir) -> dict[str, str]:
    path = shared_dir / "old-site" / "who-we-are.txt"
    if not path.is_file():
        pytest.skip(f"the old page is not at {path}")
    text = path.read_text(encoding="utf-8")
    return {"intro": between(text, *INTRO), "lyonbiopole": between(text, *LYONBIOPOLE)}


@pytest.fixture
def french(client) -> dict[str, str]:
    load_seed_content()
    page = client.get("/fr/who-we-are/").content.decode()
    parts = {
        "intro": between(page, "<h1", "</h1>") + between(page, '<div class="prose">', "</div>"),
        "lyonbiopole": between(
            page, '<section class="profile py-5" id="lyonbiopole"', "</section>"
        ),
    }
    return {name: html.unescape(strip_tags(part)) for name, part in parts.items()}


@pytest.mark.parametrize("part", ["intro", "lyonbiopole"])
def test_the_french_keeps_every_number_name_and_address_of_the_english(english, french, part):
    source, translation = english[part], french[part]

    assert "Qui sommes-nous" in french["intro"] and "Lisez la suite" in french["intro"]
    assert english_numbers(source) == french_numbers(translation)
    for name in NAMES[part]:
        assert name in source and name in translation, name
    for address in EMAIL.findall(source) + WEB_ADDRESS.findall(source):
        assert address.rstrip(".") in translation, address


def test_the_french_is_a_translation_not_the_english_again(english, french):
    for part in ("intro", "lyonbiopole"):
        # The contact sentence is the template's (the interface), not the seed's.
        text = english[part].split("For more information")[0]
        for sentence in re.split(r"(?<=\.)\s+", " ".join(text.split())):
            assert sentence[:40] not in " ".join(french[part].split()), sentence
