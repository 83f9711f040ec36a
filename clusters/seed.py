"""The site's starting content: the old "Who we are" page, its four clusters and the two posts.

Sources (figures as of 2015-2017, the old page's time, unless said otherwise):
- https://bioxclusters.eu/who-we-are/ (introduction, Lyonbiopole text, figures, Gold Label, contact)
- https://clustercollaboration.eu/community-news/bioxclusters-plus-partnership-and-australian-organisations-sign-international
  (Emilie Romeo, project coordinator; Jordi Fàbrega, Biocat, communication contact)
- https://lyonbiopole.com/en/bioxclusters-plus, https://lyonbiopole.com/en/international/europe
- https://www.biocat.cat/en/current-news/news/biocat-10-years-building-innovative-healthcare-ecosystem-catalonia
  (2016 figures), https://www.biocat.cat/en/who-we-are/about-biocat,
  https://www.biocat.cat/en/what-we-do/european-networks-and-projects/bioxclusters-alliance
- https://www.bio-m.org/nachrichten/detail/biotechnologie-netzwerk-biom-feiert-20-jaehriges-jubilaeum.html
  (Bavarian Biotech Report 2016/17 figures), http://www.bio-m.org/services/internationales/vision.html
  (m4 leading-edge cluster), https://mynewschannel.net/2021/04/biom-erhaelt-erneut-europaeisches-gold-label
- http://archivio.biopmed.eu/index.php?view=article&catid=35%3Ail-polo-biopmed&id=87%3Abiopmed&tmpl=component&print=1&layout=default&page=&lang=en
  (community, founding agreement), https://bioindustrypark.eu/biopmed (Gold Label, July 2015),
  https://wnews.warranthub.it/it/notizie/novita/1560-piemonte-presentato-il-nuovo-polo-di-innovazione-bio-p-med.html
  (first focus areas), http://insight.ebdgroup.com/partneringnews/bioindustry-park-and-biopmed-sustainable-innovation-in-a-connected-cluster
  (Fabrizio Conicella, cluster coordinator)
- https://biotechinfo.fr/article/bioxclusters-plus-signe-un-accord-de-cooperation-avec-osaka-bio-headquarter/
  (Japan mission, October 2016; Osaka agreement, 8 November 2016)
- https://www.goingpublic.de/ankuendigung-bio-europe-spring-2017-in-barcelona-vom-20-bis-22-maerz
  (BIO-Europe Spring 2017, Barcelona, 20-22 March, co-hosted by Biocat)
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
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from clusters import services
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

PARIS = ZoneInfo("Europe/Paris")
WHO_WE_ARE_LINK = '<a href="/who-we-are/">Who we are</a>'
LOGO_SIZE = (480, 160)


def _paragraphs(*texts: str) -> str:
    """Return ``texts`` as HTML paragraphs."""
    return "\n".join(f"<p>{text}</p>" for text in texts)


@dataclass(frozen=True)
class AwardSeed:
    name: str
    awarded_by: str = ""
    year: int | None = None


@dataclass(frozen=True)
class ContactSeed:
    name: str
    role: str = ""
    email: str = ""


@dataclass(frozen=True)
class ClusterSeed:
    name: str
    slug: str
    tagline: str
    region: str
    city: str
    country: str
    latitude: Decimal
    longitude: Decimal
    colour: str
    website: str
    description: str
    focus_areas: tuple[str, ...]
    key_figures: tuple[tuple[str, str], ...]
    awards: tuple[AwardSeed, ...] = ()
    contacts: tuple[ContactSeed, ...] = ()
    is_coordinator: bool = False


@dataclass(frozen=True)
class PostSeed:
    title: str
    published_at: datetime
    excerpt: str
    body: str
    tags: tuple[str, ...]
    clusters: tuple[str, ...]

    @property
    def slug(self) -> str:
        # WordPress made the old slugs from the titles; do the same so old links keep their shape.
        return slugify(self.title)


# The meta-cluster and the "Who we are" page
# ------------------------------------------------------------------------------

META_FOCUS_AREAS = (
    "Personalised medicine",
    "Oncology",
    "Cardiovascular diseases",
    "Inflammatory diseases",
    "Infectious diseases",
    "Central nervous system",
)

# The old page's own introduction, word for word (but for the region's usual spelling).
INTRODUCTION = _paragraphs(
    "bioXclusters plus is the leading, European meta-cluster on personalised healthcare that "
    "brings together four of the most dynamic and fastest growing life science and healthcare "
    "clusters in Europe: Biocat (Catalonia), BioM (Bavaria), bioPmed (Piedmont) and Lyonbiopole "
    "(Auvergne-Rhône-Alpes). Lyonbiopole is the cluster which coordinates the alliance. "
    "bioXclusters plus represents 3,300 SMEs which mainly operate in the areas of personalised "
    "medicine, oncology, cardiovascular, inflammatory, infectious diseases, and the central "
    "nervous system.",
    "Read on to find out more about each of the meta-cluster’s innovative partners.",
)

META_CLUSTER = {
    "name": "bioXclusters plus",
    "tagline": "The European meta-cluster on personalised healthcare.",
    "introduction": INTRODUCTION,
    "sme_count": 3300,
}

WHO_WE_ARE = {
    "title": "Who we are",
    "excerpt": (
        "Four of Europe’s most dynamic life science and healthcare clusters, working together as "
        "one meta-cluster on personalised healthcare."
    ),
    "body": INTRODUCTION,
    "status": Status.PUBLISHED,
    # The old page's own date is not known; bioXclusters plus started in January 2016.
    "published_at": datetime(2016, 2, 1, 9, 0, tzinfo=PARIS),
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

# The clusters, coordinator first
# ------------------------------------------------------------------------------

CLUSTERS = (
    ClusterSeed(
        name="Lyonbiopole",
        slug="lyonbiopole",
        tagline=(
            "The healthcare cluster of Auvergne-Rhône-Alpes, and the coordinator of bioXclusters "
            "plus."
        ),
        region="Auvergne-Rhône-Alpes",
        city="Lyon",
        country="France",
        latitude=Decimal("45.76404"),
        longitude=Decimal("4.83566"),
        colour="#0b5394",
        website="https://lyonbiopole.com/",
        is_coordinator=True,
        # The old page's own text.
        description=_paragraphs(
            "Lyonbiopole, a French healthcare cluster fostering innovation in "
            "Auvergne-Rhône-Alpes, a vibrant territory in the heart of Europe. It is the cluster "
            "which coordinates bioXclusters plus.",
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
            "Oncology",
            "Personalised medicine",
            "Nutrition",
            "Metabolic diseases",
        ),
        key_figures=(
            ("Members", "190"),
            ("World-class industrial leaders", "5"),
            ("Research centres", "17"),
            ("Hospital university centres", "3"),
            ("SMEs", "168"),
        ),
        awards=(AwardSeed("Gold Label", "ECEI", 2014),),
        contacts=(
            ContactSeed(
                "Emilie Romeo",
                "bioXclusters plus project coordinator",
                "emilie.romeo@lyonbiopole.com",
            ),
        ),
    ),
    ClusterSeed(
        name="Biocat",
        slug="biocat",
        tagline=(
            "The organisation that coordinates and promotes life sciences and healthcare "
            "innovation in Catalonia."
        ),
        region="Catalonia",
        city="Barcelona",
        country="Spain",
        latitude=Decimal("41.38788"),
        longitude=Decimal("2.16992"),
        colour="#b3261e",
        website="https://www.biocat.cat/",
        description=_paragraphs(
            "Biocat, the organisation that coordinates and promotes the life sciences and "
            "healthcare sector of Catalonia, from its base in Barcelona.",
            "Biocat was set up in 2006 as a public-private foundation by the Government of "
            "Catalonia and Barcelona City Council. It works for the whole BioRegion of Catalonia – "
            "companies, research centres, hospitals, universities and the bodies that support them "
            "– helping research become innovation and business, backing entrepreneurs, and making "
            "the region known abroad. Within bioXclusters plus, Biocat looks after the "
            "meta-cluster’s communication.",
            "In 2016, Biocat’s tenth year, the BioRegion counted 871 companies and 95 research "
            "organisations. The sector employs around 150,000 people, has a turnover of €29.2 "
            "billion and accounts for 7.1% of Catalonia’s GDP.",
        ),
        focus_areas=(
            "Personalised medicine",
            "Oncology",
            "Cardiovascular diseases",
            "Central nervous system",
        ),
        key_figures=(
            ("Companies", "871"),
            ("Research organisations", "95"),
            ("Employees", "about 150,000"),
            ("Turnover", "€29.2 bn"),
            ("Share of Catalonia’s GDP", "7.1%"),
            ("Founded", "2006"),
        ),
        contacts=(ContactSeed("Jordi Fàbrega", "bioXclusters plus communication contact"),),
    ),
    ClusterSeed(
        name="BioM",
        slug="biom",
        tagline="The network organisation of the biotechnology sector in Munich and Bavaria.",
        region="Bavaria",
        city="Planegg-Martinsried",
        country="Germany",
        latitude=Decimal("48.10970"),
        longitude=Decimal("11.45530"),
        colour="#1e6b3a",
        website="https://www.bio-m.org/",
        description=_paragraphs(
            "BioM, the network organisation of biotechnology in Munich and Bavaria, based on the "
            "Martinsried campus on the edge of Munich.",
            "BioM was founded in 1997, after Munich won the German government’s BioRegio "
            "competition, and is supported by the Bavarian Ministry of Economic Affairs. It "
            "manages the Munich biotech cluster: it advises founders – five to ten new companies a "
            "year – connects SMEs with large companies and research institutes, and helps them "
            "into foreign markets such as Japan. The region’s strength is the development of new "
            "therapeutics and diagnostics for personalised medicine, recognised by the federal "
            "government with the m4 leading-edge cluster.",
            "According to the Bavarian Biotech Report 2016/17, Bavaria had 225 biotechnology "
            "companies in 2016, 188 of them in the Munich area, and 360 biopharmaceutical firms "
            "once pharmaceutical companies, contract research organisations and suppliers are "
            "counted; together they employ about 32,000 people. Since 1997, €3.8 billion of "
            "private capital has been invested in the region’s biotechnology.",
        ),
        focus_areas=("Personalised medicine", "Oncology"),
        key_figures=(
            ("Biotech companies in Bavaria", "225"),
            ("Biotech companies in the Munich area", "188"),
            ("Biopharmaceutical firms", "360"),
            ("Employees", "about 32,000"),
            ("Private capital invested since 1997", "€3.8 bn"),
            ("Founded", "1997"),
        ),
        awards=(
            AwardSeed(
                "Leading-edge cluster m4 – Personalised Medicine", "German federal government"
            ),
            # Renewed in 2021 ("for the second time"); the year of the first award is not known.
            AwardSeed("Gold Label", "ECEI", 2021),
        ),
        contacts=(ContactSeed("Horst Domdey", "Managing director"),),
    ),
    ClusterSeed(
        name="bioPmed",
        slug="biopmed",
        tagline="The innovation cluster for human health and life sciences in Piedmont.",
        region="Piedmont",
        city="Turin",
        country="Italy",
        latitude=Decimal("45.07049"),
        longitude=Decimal("7.68682"),
        colour="#6a1b9a",
        website="https://www.biopmed.eu/",
        description=_paragraphs(
            "bioPmed, Piedmont’s innovation cluster for human health and life sciences, run by the "
            "Bioindustry Park Silvano Fumero in Colleretto Giacosa, near Ivrea and Turin.",
            "bioPmed was created in 2009 on the initiative of the Piedmont Region, with European "
            "regional development funds. It links start-ups, SMEs and large companies with the "
            "region’s three universities, research centres, foundations and associations, and "
            "encourages joint research, shared facilities, technology transfer and international "
            "growth. Its first priorities were cell and molecular therapies and diagnostic and "
            "imaging technologies, applied to oncology, cardiovascular and autoimmune diseases.",
            "The bioPmed community counts around 470 companies, three universities and several "
            "research centres; 80 organisations signed the agreement that founded the cluster and "
            "form its core. In July 2015, Bioindustry Park Silvano Fumero, which manages bioPmed, "
            "received the Gold Label for cluster management excellence from ESCA.",
        ),
        focus_areas=("Oncology", "Cardiovascular diseases", "Inflammatory diseases"),
        key_figures=(
            ("Companies in the community", "about 470"),
            ("Universities", "3"),
            ("Founding member organisations", "80"),
            ("Founded", "2009"),
        ),
        awards=(AwardSeed("Gold Label", "ESCA (European Secretariat for Cluster Analysis)", 2015),),
        contacts=(ContactSeed("Fabrizio Conicella", "bioPmed cluster coordinator"),),
    ),
)

# Blog: the two posts that pinged the old page
# ------------------------------------------------------------------------------

AUTHOR = {"username": "bioxclusters", "first_name": "bioXclusters", "last_name": "team"}
CATEGORY = {"name": "News", "slug": "news", "description": "News from the meta-cluster."}
ALL_CLUSTERS = tuple(cluster.slug for cluster in CLUSTERS)

POSTS = (
    PostSeed(
        title=(
            "Japan Mission Report: 60 European healthcare SMEs have participated in a very "
            "successful mission"
        ),
        # After the Osaka agreement of 8 November 2016, which the post reports.
        published_at=datetime(2016, 11, 15, 10, 0, tzinfo=PARIS),
        excerpt="Sixty European healthcare SMEs went to Japan with bioXclusters plus in 2016.",
        body=_paragraphs(
            "In October 2016, bioXclusters plus led a mission to Japan, the world’s second "
            "healthcare market after the United States. Sixty European healthcare SMEs took part "
            "and met Japanese companies, investors and cluster organisations.",
            "The mission’s contacts led to a two-year cooperation agreement with Osaka Bio "
            "Headquarters, signed on 8 November 2016 at BIO-Europe: both sides will share "
            "information useful to their companies, such as rules and market access, and promote "
            "each other’s biotech and medtech events.",
            f"Meet the four clusters behind the mission on the {WHO_WE_ARE_LINK} page.",
        ),
        tags=("Internationalisation", "Japan"),
        clusters=ALL_CLUSTERS,
    ),
    PostSeed(
        title=(
            "International expansion to Canada and America in healthcare: the bioXclusters session "
            "at BIOEurope Spring."
        ),
        # Shortly before the convention (20-22 March 2017); the post's own date is not known.
        published_at=datetime(2017, 3, 13, 9, 0, tzinfo=PARIS),
        excerpt=(
            "At BIO-Europe Spring 2017 in Barcelona, bioXclusters plus holds a session on entering "
            "the Canadian and American healthcare markets."
        ),
        body=_paragraphs(
            "BIO-Europe Spring 2017 takes place in Barcelona from 20 to 22 March, co-hosted by "
            "Biocat, one of the four clusters of bioXclusters plus. The meta-cluster holds a "
            "session there on international expansion in healthcare, towards Canada and the United "
            "States.",
            "North America is among the markets of the clusters’ joint international strategy: the "
            "United States since the first bioXclusters project, and Canada, where the alliance "
            "has signed a partnership agreement with TOHealth in Toronto.",
            f"Find out more about the clusters on the {WHO_WE_ARE_LINK} page.",
        ),
        tags=("Internationalisation", "Canada"),
        clusters=ALL_CLUSTERS,
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
        city=seed.city,
        country=seed.country,
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
            Contact(cluster=cluster, name=contact.name, role=contact.role, email=contact.email,
                    sort_order=order)
            for order, contact in enumerate(seed.contacts)
        )  # fmt: skip
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


def load_seed_content() -> dict:
    """Create whatever seed content is missing and return what was created and kept."""
    tally = _Tally()
    with transaction.atomic():
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

        clusters = {
            seed.slug: _load_cluster(tally, seed, order, areas)
            for order, seed in enumerate(CLUSTERS)
        }
        _ensure(tally, Page, {"slug": "who-we-are"}, **WHO_WE_ARE)
        _ensure(tally, Page, {"slug": "privacy"}, **PRIVACY_NOTICE)

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
                excerpt=seed.excerpt,
                body=seed.body,
                status=Status.PUBLISHED,
                published_at=seed.published_at,
                author=author,
            )
            if created:
                post.categories.set([category])
                post.tags.set([tags[name] for name in seed.tags])
                post.clusters.set([clusters[slug] for slug in seed.clusters])
            # The old page's two pingbacks came from these posts: self-pings, as editors' make.
            services.entry_went_live(post)
    return tally.as_dict()
