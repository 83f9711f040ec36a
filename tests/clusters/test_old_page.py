"""The site says what the old "Who we are" page said, word for word, and nothing else.

The old page is ``../shared/old-site/who-we-are.txt`` (its README explains the logos' broken alt
texts, which are not content). Its content runs from "bioXclusters plus is the leading" to
"www.biopmed.eu": the introduction, then the four cluster profiles, each ending with its "For more
information" sentence.
"""

import re
from html.parser import HTMLParser

import pytest

from clusters.models import Cluster
from clusters.seed import load_seed_content

pytestmark = pytest.mark.django_db

FIRST_WORDS, LAST_WORDS = "bioXclusters plus is the leading", "www.biopmed.eu"
# The logos' alt texts, glued to the first word of a profile or standing alone.
ALT_TEXTS = [
    ("LyonbiopoleLyonbiopole", "Lyonbiopole"),
    ("Senza titolo-1", ""),
    ("Einfaches RGB", ""),
]
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
# A sentence ends at . ! or ? and a space, but not after "Dr." or "e.g.".
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!Dr\.)(?<!e\.g\.)\s+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB_ADDRESS = re.compile(r"www\.[\w-]+(?:\.[\w-]+)+(?:/[\w/-]*)?")
BLOCKS = {"address", "article", "aside", "br", "dd", "div", "dl", "dt", "figure", "footer",
          "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "section",
          "table", "td", "th", "tr", "ul"}  # fmt: skip


def normalised(text: str) -> str:
    return " ".join(text.translate(QUOTES).split())


class PageText(HTMLParser):
    """The text a reader sees, blocks apart, with every link's address and text."""

    def __init__(self):
        super().__init__()
        self.parts, self.links, self._skip, self._link = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag == "a":
            self._link = [dict(attrs).get("href", ""), ""]
            self.links.append(self._link)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self._link is not None:
                self._link[1] += data

    @property
    def text(self) -> str:
        return normalised("".join(self.parts))


def page(client, url) -> PageText:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = PageText()
    parser.feed(response.content.decode())
    return parser


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(normalised(text)) if s]


@pytest.fixture
def old_page(shared_dir) -> str:
    """Return the old page's content, the logos' alt texts taken out."""
    path = shared_dir / "old-site" / "who-we-are.txt"
    if not path.is_file():
        pytest.skip(f"the old page is not at {path}")
    text = path.read_text(encoding="utf-8")
    start = text.index(FIRST_WORDS)
    content = text[start : text.index(LAST_WORDS, start) + len(LAST_WORDS)]
    lines = []
    for line in content.splitlines():
        for alt_text, replacement in ALT_TEXTS:
            line = line.replace(alt_text, replacement, 1) if line.startswith(alt_text) else line
        lines.append(line)
    return "\n".join(lines)


@pytest.fixture
def profiles(old_page) -> list[str]:
    """Return the four profiles' texts, in the old page's order, each up to its contact sentence."""
    intro_end = old_page.index("innovative partners.") + len("innovative partners.")
    texts = re.findall(r".*?^For more information[^\n]*", old_page[intro_end:], re.S | re.M)
    assert len(texts) == 4
    return [text.strip() for text in texts]


@pytest.fixture
def seeded(db):
    load_seed_content()


def assert_in_order(expected: list[str], text: str):
    position = 0
    for sentence in expected:
        found = text.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)


def test_who_we_are_carries_every_sentence_of_the_old_page_in_its_order(client, seeded, old_page):
    text = page(client, "/who-we-are/").text
    expected = sentences(old_page)

    assert len(expected) >= 38  # The whole content, not a fragment of it.
    assert expected[0].startswith(FIRST_WORDS) and expected[-1].endswith(LAST_WORDS)
    assert_in_order(expected, text)


def test_who_we_are_shows_every_email_address_as_a_mailto_link(client, seeded, old_page):
    who_we_are = page(client, "/who-we-are/")
    emails = EMAIL.findall(old_page)

    assert len(emails) == 4
    for email in emails:
        assert [f"mailto:{email}", email] in who_we_are.links, email


def test_who_we_are_links_every_web_address_as_the_old_page_wrote_it(client, seeded, old_page):
    who_we_are = page(client, "/who-we-are/")
    addresses = [address.rstrip("/") for address in WEB_ADDRESS.findall(old_page)]

    assert set(addresses) == {
        "www.lyonbiopole.com/en/lyonbiopole", "www.biocat.cat/en", "www.bio-m.org",
        "www.bio-m.org/en", "www.bioindustrypark.eu", "www.biopmed.eu",
    }  # fmt: skip
    for address in addresses:
        assert [f"https://{address}", address] in who_we_are.links, address


def test_each_cluster_profile_page_shows_its_part_of_the_old_page(client, seeded, profiles):
    clusters = list(Cluster.objects.order_by("sort_order"))

    assert [c.name for c in clusters] == ["Lyonbiopole", "Biocat", "BioM", "bioPmed"]
    for cluster, profile in zip(clusters, profiles, strict=True):
        assert profile.startswith(cluster.name)
        assert_in_order(sentences(profile), page(client, cluster.get_absolute_url()).text)


def test_the_discussion_below_is_the_old_pages_two_pingbacks_and_the_reply_form(client, seeded):
    text = page(client, "/who-we-are/").text

    assert normalised("2 thoughts on “Who we are”") in text
    assert_in_order(
        [
            "Pingback: Japan Mission Report: 60 European healthcare SMEs have participated in a "
            "very successful mission",
            "Pingback: International expansion to Canada and America in healthcare: the "
            "bioXclusters session at BIOEurope Spring.",
            "Leave a Reply",
        ],
        text,
    )


# Nothing added: every fact the seed holds is in the old page
# ------------------------------------------------------------------------------


def source_sentence_with(old_page: str, *parts: str) -> str | None:
    """Return the old page's sentence that holds every one of ``parts`` (any case), or None."""
    for sentence in sentences(old_page):
        if all(normalised(part).lower() in sentence.lower() for part in parts):
            return sentence
    return None


def test_every_key_figure_is_a_figure_and_label_of_one_sentence_of_the_old_page(seeded, old_page):
    for cluster in Cluster.objects.prefetch_related("key_figures"):
        for figure in cluster.key_figures.all():
            assert source_sentence_with(old_page, figure.value, figure.label), (cluster, figure)


def test_every_label_and_award_is_named_with_its_body_and_year_by_the_old_page(seeded, old_page):
    awards = [award for cluster in Cluster.objects.all() for award in cluster.awards.all()]

    assert len(awards) == 3
    for award in awards:
        parts = [award.name, award.awarded_by, str(award.year or "")]
        assert source_sentence_with(old_page, *[part for part in parts if part]), award


def test_every_contact_email_and_website_is_the_old_pages(seeded, old_page):
    for cluster in Cluster.objects.prefetch_related("contacts"):
        contacts = list(cluster.contacts.all())
        assert len(contacts) == 1, cluster
        for contact in contacts:
            assert source_sentence_with(old_page, f"contact {contact.name} at {contact.email}")
            assert (contact.role, contact.phone) == ("", ""), contact
        assert f"visit the webpage at {cluster.website_label}" in normalised(old_page), cluster
        assert cluster.region in old_page, cluster
        assert normalised(cluster.tagline) in normalised(old_page), cluster


def test_every_link_in_a_profile_is_an_address_the_old_page_gives(seeded, old_page):
    for cluster in Cluster.objects.all():
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', cluster.description):
            assert href == f"https://{label}" and label in old_page, (cluster, href)
