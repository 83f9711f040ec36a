"""The site's starting content: the old "Who we are" page, its four clusters and the two posts.

The one source is the old WordPress.com page "Who we are" (``../shared/old-site/who-we-are.txt``):
every sentence of its introduction and of the four cluster profiles is here unchanged and in its
order (a profile's first paragraph or sentence is its tagline, the rest its description; the
closing "For more information, please contact …" sentence is made by the template from the
contact and the website), and so is every figure, label, contact, e-mail and web address.
``tests/clusters/test_old_page.py`` holds the site to that, word for word. What the site needs
and the page does not say is only what makes the site work: map coordinates (a point in the
region the page names), colours and placeholder logos. The seed's dates are the day it is loaded.
The French introduction and Lyonbiopole profile (``FRENCH``) translate that English, adding nothing.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname
from PIL import Image, ImageDraw, ImageFont

from clusters import services
from clusters.languages import english
from clusters.models import (
    Award,
    Category,
    Cluster,
    Contact,
    FocusArea,
    KeyFigure,
    MetaCluster,
    Page,
    Post,
    Status,
    Tag,
)
from clusters.search import index as search_index

PARIS = ZoneInfo("Europe/Paris")
WHO_WE_ARE_LINK = '<a href="/who-we-are/">Who we are</a>'
LOGO_SIZE = (480, 160)


def _paragraphs(*texts: str) -> str:
    """Return ``texts`` as HTML paragraphs."""
    return "\n".join(f"<p>{text}</p>" for text in texts)


def _web_link(address: str) -> str:
    """Return a link to a web address written as the old page wrote it ("www.biopmed.eu")."""
    return f'<a href="https://{address}">{address}</a>'


@dataclass(frozen=True)
class AwardSeed:
    name: str
    awarded_by: str = ""
    year: int | None = None


@dataclass(frozen=True)
class ContactSeed:
    name: str
    email: str


@dataclass(frozen=True)
class ClusterSeed:
    name: str
    slug: str
    tagline: str
    region: str
    latitude: Decimal
    longitude: Decimal
    colour: str
    # The "visit the webpage at …" address, as the old page wrote it, without "https://".
    webpage: str
    description: str
    focus_areas: tuple[str, ...]
    key_figures: tuple[tuple[str, str], ...]
    awards: tuple[AwardSeed, ...] = ()
    contacts: tuple[ContactSeed, ...] = ()
    is_coordinator: bool = False

    @property
    def website(self) -> str:
        return f"https://{self.webpage}"


@dataclass(frozen=True)
class PostSeed:
    title: str
    body: str
    tags: tuple[str, ...]

    @property
    def slug(self) -> str:
        # WordPress made the old slugs from the titles; do the same so old links keep their shape.
        return slugify(self.title)


# The meta-cluster and the "Who we are" page
# ------------------------------------------------------------------------------

# The areas the introduction names.
META_FOCUS_AREAS = (
    "Personalised medicine",
    "Oncology",
    "Cardiovascular diseases",
    "Inflammatory diseases",
    "Infectious diseases",
    "Central nervous system",
)

INTRODUCTION = _paragraphs(
    "bioXclusters plus is the leading, European meta-cluster on personalised healthcare that "
    "brings together four of the most dynamic and fastest growing life science and healthcare "
    "clusters in Europe: Biocat (Catalonia), BioM (Bavaria), bioPmed (Piedmont) and Lyonbiopole "
    "(Auvergne-Rhône-Alps). Lyonbiopole is the cluster which coordinates the alliance. "
    "bioXclusters plus represents 3,300 SMEs which mainly operate in the areas of personalised "
    "medicine, oncology, cardiovascular, inflammatory, infectious diseases, and the central "
    "nervous system.",
    "Read on to find out more about each of the meta-cluster’s innovative partners.",
)

META_CLUSTER = {
    "name": "bioXclusters plus",
    "tagline": "The leading, European meta-cluster on personalised healthcare",
    "introduction": INTRODUCTION,
    "sme_count": 3300,
}

WHO_WE_ARE = {
    "title": "Who we are",
    # No excerpt: lists and search engines get the introduction's first words.
    "excerpt": "",
    "body": INTRODUCTION,
    "status": Status.PUBLISHED,
    "show_clusters": True,
    "menu_order": 1,
}

# The privacy notice the comment form links to (an editable page; slug "privacy")
# ------------------------------------------------------------------------------

PRIVACY_NOTICE = {
    "title": "Privacy notice",
    "excerpt": (
        "What this website stores when you comment or subscribe, why, for how long, and how to "
        "download or erase it yourself."
    ),
    "body": "\n".join(
        [
            _paragraphs(
                "The partners of bioXclusters plus run this website. This notice says what it "
                "stores about you when you comment, subscribe to its e-mail or sign in, and what "
                "you can do about it, as the General Data Protection Regulation (GDPR) asks.",
            ),
            "<h2>What we store when you comment</h2>",
            "<ul><li>The name, e-mail address and website you type. Your e-mail address is never "
            "shown publicly.</li><li>Your comment and its date.</li><li>Your IP address and your "
            "browser’s user agent, to fight spam and abuse. We delete both 60 days after you "
            "comment.</li><li>If you signed in: your account and the service you signed in "
            "with.</li></ul>",
            _paragraphs(
                "When our spam filter, Akismet, is switched on, your comment with your name, "
                "e-mail address, website, IP address and user agent is sent to Automattic Inc. to "
                "be checked.",
                "Why: to publish your comment, because you asked us to by sending the form, and "
                "to keep the discussion free of spam and abuse, which is our legitimate interest "
                "(GDPR article 6(1)(f)). Comments stay as long as the page they are on, unless "
                "you erase them.",
            ),
            "<h2>E-mail</h2>",
            _paragraphs(
                "We e-mail you only if you ask: “Notify me of follow-up comments” and “Notify me "
                "of new posts” on the comment form. We first send you a confirmation e-mail, and "
                "nothing else before you click its link; a request you do not confirm is deleted "
                "after 7 days. Every e-mail has a link that unsubscribes you in one click.",
            ),
            "<h2>Your data, your choice</h2>",
            _paragraphs(
                'On <a href="/discussion/your-data/">Your data</a>, type your e-mail address: we '
                "send you a link where you download everything we hold about it as a file, erase "
                "it, or end your subscriptions. Erased comments stay in their discussion signed "
                "“Anonymous”, without your e-mail address, website or IP address, so that the "
                "replies to them still make sense.",
                "You may also ask us to correct or restrict what we hold, or object to it, and "
                "complain to your data protection authority (in France the CNIL, in Spain the "
                "AEPD, in Germany your Land’s authority, in Italy the Garante).",
            ),
            "<h2>In your browser</h2>",
            _paragraphs(
                "If you tick “Save my name, e-mail and website in this browser”, they are kept in "
                "your browser only. After you comment, a cookie lets you see your own comment "
                "while it waits for moderation; it holds nothing but the comment’s number.",
            ),
        ]
    ),
    "status": Status.PUBLISHED,
    "published_at": datetime(2026, 1, 1, 9, 0, tzinfo=PARIS),
    "allow_comments": False,
    "allow_pings": False,
}

# The clusters, coordinator first, each profile in the old page's order
# ------------------------------------------------------------------------------

# Coordinates put each marker at a point in the region the page names; colours are the
# markers' and placeholder logos'. Neither is a fact of the old page.
CLUSTERS = (
    ClusterSeed(
        name="Lyonbiopole",
        slug="lyonbiopole",
        tagline=(
            "Lyonbiopole, a French healthcare cluster fostering innovation in "
            "Auvergne-Rhône-Alpes, a vibrant territory in the heart of Europe. It is the cluster "
            "which coordinates bioXclusters plus."
        ),
        region="Auvergne-Rhône-Alpes",
        latitude=Decimal("45.76404"),
        longitude=Decimal("4.83566"),
        colour="#0b5394",
        webpage="www.lyonbiopole.com/en/lyonbiopole",
        is_coordinator=True,
        description=_paragraphs(
            "Lyonbiopole is the gateway to healthcare innovation in Auvergne Rhône-Alpes Region. "
            "The cluster supports ambitious projects and companies in the health sector (including "
            "infectious diseases, cancer, nutrition, metabolic diseases). Its aim is to support "
            "innovative technologies, products and services for a more personalised medicine to "
            "the patient’s benefit.",
            "The cluster’s missions are: 1) promoting the emergence of innovative R&amp;D "
            "collaborative projects; 2) supporting SMEs for strategic partnerships, access to "
            "private investors, expertise and training; 3) fostering SME internationalisation and "
            "the cluster position at EU and an international level; 4) giving access to "
            "high-level, dedicated facilities. In 2015, Lyonbiopole represents a community of 190 "
            "members: 5 world-class leaders including Lyonbiopole’s founders (Sanofi Pasteur, "
            "bioMérieux, Merial, BD) – 17 research centres including 3 hospital university centres "
            "and almost 168 SMEs. Lyonbiopole received the European cluster excellence “Gold "
            "Label” from ECEI in 2014.",
        ),
        focus_areas=(
            "Infectious diseases",
            "Cancer",
            "Nutrition",
            "Metabolic diseases",
            "Personalised medicine",
        ),
        key_figures=(
            ("Members", "190"),
            ("World-class leaders", "5"),
            ("Research centres", "17"),
            ("Hospital university centres", "3"),
            ("SMEs", "almost 168"),
        ),
        awards=(AwardSeed("European cluster excellence “Gold Label”", "ECEI", 2014),),
        contacts=(ContactSeed("Emilie Romeo", "emilie.romeo@lyonbiopole.com"),),
    ),
    ClusterSeed(
        name="Biocat",
        slug="biocat",
        tagline=(
            "Biocat coordinates and promotes the healthcare and life sciences sector in Catalonia."
        ),
        region="Catalonia",
        latitude=Decimal("41.38788"),
        longitude=Decimal("2.16992"),
        colour="#b3261e",
        webpage="www.biocat.cat/en",
        description=_paragraphs(
            "Its mission is to dynamise and support the public and private stakeholders that make "
            "up the BioRegion, Catalonia’s bioscience cluster, which encompasses companies, "
            "research groups and bodies, hospitals, universities, administrations and knowledge- "
            "and innovation-transfer support structures.",
            "With a population of more than 7.5 million and a territory comparable to that of "
            "European countries like Finland, Belgium, the Netherlands and Israel, Catalonia has "
            "the most dynamic life sciences cluster in Spain and one of the most active in "
            "southern Europe. Biocat promotes initiatives to encourage research, innovation and "
            "business growth, with the aim of making this sector a driving force for the Catalan "
            "economy and boosting its global recognition.",
            "The BioRegion of Catalonia is made up of 734 healthcare and life sciences companies "
            "and 89 research bodies, including 41 research centers, 15 university hospitals, 13 "
            "science and technology parks, 11 universities offering biosciences degrees, 7 "
            "technology centers and 2 large-scale facilities like the Alba-Cells Synchrotron and "
            "the Barcelona Supercomputing Center (BSC). The companies in the sector post yearly "
            "turnover of €14.36 billions, 7% of the GDP of Catalonia and employ 42,133 workers.",
        ),
        focus_areas=(),
        key_figures=(
            ("Healthcare and life sciences companies", "734"),
            ("Research bodies", "89"),
            ("Yearly turnover", "€14.36 billions"),
            ("GDP of Catalonia", "7%"),
            ("Workers", "42,133"),
        ),
        contacts=(ContactSeed("Jordi Fàbrega", "jfabrega@biocat.cat"),),
    ),
    ClusterSeed(
        name="BioM",
        slug="biom",
        tagline=(
            "BioM Biotech Cluster Development GmbH is the coordinating agency of the Bavarian "
            "Biotech Cluster for all fields of biotechnology."
        ),
        region="Bavaria",
        latitude=Decimal("48.10970"),
        longitude=Decimal("11.45530"),
        colour="#1e6b3a",
        webpage="www.bio-m.org/en",
        description=_paragraphs(
            "In addition, BioM coordinates the Munich Biotech Cluster with a focus on "
            "pharmaceutical biotechnology and personalised medicine. On behalf of the Bavarian "
            "Ministry of Economic Affairs, it serves as the one-stop-shop for biotechnology "
            "companies and start-ups in the region as well as the first point of contact for "
            "international business partners.",
            "Bavaria is a constantly growing hotbed of innovation and ranks among the top biotech "
            "clusters in Europe – with more than 350 companies in the life science sector "
            "(biotech, pharma, CRO, suppliers – additionally another 1,000 companies belong to the "
            "sector of medical engineering), including 166 biotech SMEs and a well-filled drug "
            "development pipeline with more than 60 candidate drugs in clinical development and "
            "more than 80 candidates in the preclinic. BioM collaborates with other cluster "
            "organisations (e.g. medtech), life science incubators and research institutions in "
            "Bavaria, in order to connect the Bavarian life science hotspots within one large "
            "state-wide network.",
            "BioM offers a wide range of services and events, including networking and partnering "
            "services for incoming global players interested in business contacts in Bavaria. It "
            "also manages a comprehensive information portal with an interactive company database "
            f"and a large job market ({_web_link('www.bio-m.org')}). In a nation-wide competition "
            "in 2010, the Munich Biotech Cluster was awarded “Leading-Edge Cluster” status for the "
            "Munich research initiative “m4 – Personalized Medicine and Targeted Therapies”, also "
            "managed by BioM.",
        ),
        focus_areas=("Pharmaceutical biotechnology", "Personalised medicine"),
        key_figures=(
            ("Companies in the life science sector", "more than 350"),
            ("Biotech SMEs", "166"),
            ("Candidate drugs in clinical development", "more than 60"),
            ("Candidates in the preclinic", "more than 80"),
        ),
        awards=(AwardSeed("“Leading-Edge Cluster” status", year=2010),),
        contacts=(ContactSeed("Dr. Stephanie Wehnelt", "wehnelt@bio-m.org"),),
    ),
    ClusterSeed(
        name="bioPmed",
        slug="biopmed",
        tagline=(
            "bioPmed is the cluster for life sciences and human health for the Piedmont Region of "
            "Italy."
        ),
        region="Piedmont",
        latitude=Decimal("45.07049"),
        longitude=Decimal("7.68682"),
        colour="#6a1b9a",
        webpage="www.biopmed.eu",
        description=_paragraphs(
            "Launched in 2009, bioPmed is now the result of the formal aggregation of about 70 "
            "players, ranging from large multinational corporations to hi-tech start-ups and "
            "innovative SMEs, and including universities and research foundations. They all work "
            "together and share a solid strategic plan to create innovation and development in "
            "the field of health.",
            "“Creating a territorial innovation system in the field of life sciences and human "
            "health, internationally relevant and able to build value on a economic and social "
            "level and to improve quality of life for citizens”. This is the vision that will "
            "guide the development of bioPmed over the next five years.",
            "Thanks to a community of over 350 companies, bioPmed is today the strongest regional "
            "health cluster in Italy, made up of firms, skills and motivated and open-minded "
            "people, who recognise the value of collaboration and use it as the core of their "
            "daily action. The 2016-2020 development plan envisages four strategic priorities: "
            "innovation, internationalisation, business development and positioning, each based "
            "on a series of targeted and specific services and activities, all geared to offer "
            "sectoral support to the regional players.",
            "bioPmed is managed by Bioindustry Park Silvano Fumero SpA "
            f"({_web_link('www.bioindustrypark.eu')}), which in 2015 obtained the GOLD LABEL "
            "Certification of Excellence in Cluster Management from ESCA, the European Secretariat "
            "for Cluster Analysis: the only one awarded in Italy in the health sector and part of "
            "a restricted group of less than 10 throughout Europe.",
        ),
        focus_areas=(),
        key_figures=(
            ("Players", "about 70"),
            ("Companies", "over 350"),
            ("Launched", "2009"),
        ),
        awards=(
            AwardSeed("GOLD LABEL Certification of Excellence in Cluster Management", "ESCA", 2015),
        ),
        contacts=(ContactSeed("Alberto Baldi", "baldi@bioindustrypark.it"),),
    ),
)

# In French: the introduction and the coordinator's profile
# ------------------------------------------------------------------------------
# Translated from the English above, sentence by sentence, adding nothing: every number, name,
# e-mail and web address is the English one's (tests/clusters/test_french_seed.py). The other
# languages, and the other profiles, show the English text until an editor translates them.

FRENCH = "fr"

INTRODUCTION_FR = _paragraphs(
    "bioXclusters plus est le méta-cluster européen de premier plan en santé personnalisée, qui "
    "réunit quatre des clusters des sciences de la vie et de la santé les plus dynamiques et à "
    "la croissance la plus rapide d’Europe : Biocat (Catalogne), BioM (Bavière), bioPmed "
    "(Piémont) et Lyonbiopole (Auvergne-Rhône-Alpes). Lyonbiopole est le cluster qui coordonne "
    "l’alliance. bioXclusters plus représente 3\u202f300 PME qui interviennent principalement "
    "dans les domaines de la médecine personnalisée, de l’oncologie, des maladies "
    "cardiovasculaires, inflammatoires et infectieuses, et du système nerveux central.",
    "Lisez la suite pour en savoir plus sur chacun des partenaires innovants du méta-cluster.",
)

META_CLUSTER_FR = {
    "tagline": "Le méta-cluster européen de premier plan en santé personnalisée",
    "introduction": INTRODUCTION_FR,
}

WHO_WE_ARE_FR = {"title": "Qui sommes-nous", "body": INTRODUCTION_FR}

# The English name of each focus area the French texts name.
FOCUS_AREAS_FR = {
    "Personalised medicine": "Médecine personnalisée",
    "Oncology": "Oncologie",
    "Cardiovascular diseases": "Maladies cardiovasculaires",
    "Inflammatory diseases": "Maladies inflammatoires",
    "Infectious diseases": "Maladies infectieuses",
    "Central nervous system": "Système nerveux central",
    "Cancer": "Cancer",
    "Nutrition": "Nutrition",
    "Metabolic diseases": "Maladies métaboliques",
}

LYONBIOPOLE_FR = {
    "tagline": (
        "Lyonbiopole, un cluster français de la santé qui favorise l’innovation en "
        "Auvergne-Rhône-Alpes, un territoire dynamique au cœur de l’Europe. C’est le cluster qui "
        "coordonne bioXclusters plus."
    ),
    "description": _paragraphs(
        "Lyonbiopole est la porte d’entrée de l’innovation en santé de la région Auvergne "
        "Rhône-Alpes. Le cluster accompagne des projets et des entreprises ambitieux du secteur de "
        "la santé (notamment les maladies infectieuses, le cancer, la nutrition, les maladies "
        "métaboliques). Son objectif est de soutenir des technologies, des produits et des "
        "services innovants pour une médecine plus personnalisée, au bénéfice du patient.",
        "Les missions du cluster sont : 1) favoriser l’émergence de projets collaboratifs "
        "innovants de R&amp;D ; 2) accompagner les PME dans leurs partenariats stratégiques, "
        "l’accès aux investisseurs privés, l’expertise et la formation ; 3) favoriser "
        "l’internationalisation des PME et la position du cluster à l’échelle de l’UE et à "
        "l’international ; 4) donner accès à des équipements dédiés de haut niveau. En 2015, "
        "Lyonbiopole représente une communauté de 190 membres : 5 leaders mondiaux, dont les "
        "fondateurs de Lyonbiopole (Sanofi Pasteur, bioMérieux, Merial, BD) – 17 centres de "
        "recherche, dont 3 centres hospitaliers universitaires, et près de 168 PME. Lyonbiopole "
        "a reçu de l’ECEI en 2014 le label européen d’excellence des clusters « Gold Label ».",
    ),
}

# Each key figure's and award's English label and its French label (and value).
KEY_FIGURES_FR = {
    "Members": ("Membres", "190"),
    "World-class leaders": ("Leaders mondiaux", "5"),
    "Research centres": ("Centres de recherche", "17"),
    "Hospital university centres": ("Centres hospitaliers universitaires", "3"),
    "SMEs": ("PME", "près de 168"),
}
AWARDS_FR = {
    "European cluster excellence “Gold Label”": "Label européen d’excellence des clusters "
    "« Gold Label »",
}

# Blog: the two posts that pinged the old page
# ------------------------------------------------------------------------------

AUTHOR = {"username": "bioxclusters", "first_name": "bioXclusters", "last_name": "team"}
CATEGORY = {"name": "News", "slug": "news", "description": "News from the meta-cluster."}

# The old page names them only by their titles; their bodies state nothing else, and link to
# "Who we are" as they did (the self-pings that make its two pingbacks).
POSTS = (
    PostSeed(
        title=(
            "Japan Mission Report: 60 European healthcare SMEs have participated in a very "
            "successful mission"
        ),
        body=_paragraphs(f"Meet the meta-cluster’s partners on the {WHO_WE_ARE_LINK} page."),
        tags=("Japan",),
    ),
    PostSeed(
        title=(
            "International expansion to Canada and America in healthcare: the bioXclusters session "
            "at BIOEurope Spring."
        ),
        body=_paragraphs(
            f"Find out more about each of the meta-cluster’s innovative partners on the "
            f"{WHO_WE_ARE_LINK} page."
        ),
        tags=("Canada",),
    ),
)


# Loading
# ------------------------------------------------------------------------------


class _Tally:
    """Count, per model, the rows the loader created and those it found already there."""

    def __init__(self):
        self.created = Counter()
        self.kept = Counter()
        self.logos_written = 0

    def as_dict(self) -> dict:
        return {
            "created": dict(self.created),
            "kept": dict(self.kept),
            "logos_written": self.logos_written,
        }


def _ensure(tally: _Tally, model: type[models.Model], lookup: dict, **values):
    """Return ``(row, created)``: the row matching ``lookup``, created from ``values`` if missing.

    A row that exists is left exactly as it is: `make run` loads the seed every time, and an
    editor's changes must survive it.
    """
    row, created = model.objects.get_or_create(**lookup, defaults=values)
    (tally.created if created else tally.kept)[model.__name__] += 1
    return row, created


def render_logo(name: str, colour: str) -> bytes:
    """Return a PNG placeholder logo: ``name`` in white, centred on ``colour``."""
    width, height = LOGO_SIZE
    image = Image.new("RGB", LOGO_SIZE, colour)
    draw = ImageDraw.Draw(image)
    size = 72
    font = ImageFont.load_default(size=size)
    while draw.textlength(name, font=font) > width * 0.85:
        size -= 4
        font = ImageFont.load_default(size=size)
    draw.text((width / 2, height / 2), name, fill="white", font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _placeholder_logo(tally: _Tally, seed: ClusterSeed) -> str:
    """Return the path of the cluster's placeholder logo, writing the file if it is missing."""
    path = f"clusters/logos/{seed.slug}.png"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(render_logo(seed.name, seed.colour)))
        tally.logos_written += 1
    return path


def _load_cluster(tally: _Tally, seed: ClusterSeed, sort_order: int, areas: dict) -> Cluster:
    """Create one cluster with its focus areas, key figures, labels and contacts."""
    cluster, created = _ensure(
        tally,
        Cluster,
        {"slug": seed.slug},
        name=seed.name,
        tagline=seed.tagline,
        region=seed.region,
        latitude=seed.latitude,
        longitude=seed.longitude,
        colour=seed.colour,
        is_coordinator=seed.is_coordinator,
        description=seed.description,
        website=seed.website,
        logo_alt=f"{seed.name} logo",
        sort_order=sort_order,
    )
    if created:
        cluster.logo = _placeholder_logo(tally, seed)
        cluster.save(update_fields=["logo"])
        cluster.focus_areas.set([areas[name] for name in seed.focus_areas])
        KeyFigure.objects.bulk_create(
            KeyFigure(cluster=cluster, label=label, value=value, sort_order=order)
            for order, (label, value) in enumerate(seed.key_figures)
        )
        Award.objects.bulk_create(
            Award(cluster=cluster, name=award.name, awarded_by=award.awarded_by,
                  year=award.year, sort_order=order)
            for order, award in enumerate(seed.awards)
        )  # fmt: skip
        Contact.objects.bulk_create(
            Contact(cluster=cluster, name=contact.name, email=contact.email, sort_order=order)
            for order, contact in enumerate(seed.contacts)
        )
    return cluster


def _load_author(tally: _Tally):
    """Return the user the seed posts are signed by, created without a usable password."""
    user, created = _ensure(
        tally,
        get_user_model(),
        {"username": AUTHOR["username"]},
        first_name=AUTHOR["first_name"],
        last_name=AUTHOR["last_name"],
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _translate(obj: models.Model, language: str, values: dict) -> None:
    """Write ``values`` in ``language`` where ``obj`` has no text in it yet (editors' stays)."""
    changed = []
    for field, value in values.items():
        column = build_localized_fieldname(field, language)
        if not getattr(obj, column):
            setattr(obj, column, value)
            changed.append(column)
    if changed:
        obj.save(update_fields=changed)


def _load_french() -> None:
    """Add the French introduction, "Who we are" and the coordinator's profile (see FRENCH)."""
    _translate(MetaCluster.objects.get(pk=1), FRENCH, META_CLUSTER_FR)
    _translate(Page.objects.get(slug="who-we-are"), FRENCH, WHO_WE_ARE_FR)
    for area in FocusArea.objects.filter(name_en_gb__in=FOCUS_AREAS_FR):
        _translate(area, FRENCH, {"name": FOCUS_AREAS_FR[area.name_en_gb]})
    lyonbiopole = Cluster.objects.filter(slug="lyonbiopole").first()
    if lyonbiopole is None:
        return
    _translate(lyonbiopole, FRENCH, LYONBIOPOLE_FR)
    for figure in lyonbiopole.key_figures.filter(label_en_gb__in=KEY_FIGURES_FR):
        label, value = KEY_FIGURES_FR[figure.label_en_gb]
        _translate(figure, FRENCH, {"label": label, "value": value})
    for award in lyonbiopole.awards.filter(name_en_gb__in=AWARDS_FR):
        _translate(award, FRENCH, {"name": AWARDS_FR[award.name_en_gb]})


def load_seed_content() -> dict:
    """Create whatever seed content is missing and return what was created and kept."""
    tally = _Tally()
    # The old page gives no dates: the seed's page and posts are published when it is loaded.
    now = timezone.now()
    # The English text goes to the English fields, the French to the French ones (below).
    with transaction.atomic(), english():
        area_names = dict.fromkeys(
            META_FOCUS_AREAS + tuple(name for seed in CLUSTERS for name in seed.focus_areas)
        )
        areas = {
            name: _ensure(tally, FocusArea, {"slug": slugify(name)}, name=name)[0]
            for name in area_names
        }
        meta, created = _ensure(tally, MetaCluster, {"pk": 1}, **META_CLUSTER)
        if created:
            meta.focus_areas.set([areas[name] for name in META_FOCUS_AREAS])

        for order, seed in enumerate(CLUSTERS):
            _load_cluster(tally, seed, order, areas)
        _ensure(tally, Page, {"slug": "who-we-are"}, published_at=now, **WHO_WE_ARE)
        _ensure(tally, Page, {"slug": "privacy"}, **PRIVACY_NOTICE)
        _load_french()

        author = _load_author(tally)
        category, _ = _ensure(
            tally,
            Category,
            {"slug": CATEGORY["slug"]},
            name=CATEGORY["name"],
            description=CATEGORY["description"],
        )
        tag_names = dict.fromkeys(name for post in POSTS for name in post.tags)
        tags = {
            name: _ensure(tally, Tag, {"slug": slugify(name)}, name=name)[0] for name in tag_names
        }
        for seed in POSTS:
            post, created = _ensure(
                tally,
                Post,
                {"slug": seed.slug},
                title=seed.title,
                body=seed.body,
                status=Status.PUBLISHED,
                published_at=now,
                author=author,
            )
            if created:
                post.categories.set([category])
                post.tags.set([tags[name] for name in seed.tags])
            # The old page's two pingbacks came from these posts: self-pings, as editors' make.
            services.entry_went_live(post)
        search_index.rebuild()
    return tally.as_dict()
