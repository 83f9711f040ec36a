"""The site's content: the meta-cluster, its clusters with their contacts, pages and blog posts."""

import os

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from modeltranslation.utils import build_localized_fieldname

from bioxclusters.common import display_name
from bioxclusters.languages import in_current_language
from clusters.html import clean_html, html_to_text, require_alt_text
from clusters.images import validate_image
from clusters.languages import existing_in

EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "Link": {"enableTarget": False},
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        # "Browse…" in the figure dialog opens the Images library as a chooser.
        "Figure": {"pickerUrl": reverse_lazy("admin:clusters_mediaimage_chooser")},
        "Caption": True,
        "Image": True,
        "History": True,
        "HTML": True,
        # Images dropped or pasted into the text are uploaded to the library (image-drop.js).
        "ImageDrop": {"uploadUrl": reverse_lazy("admin:clusters_mediaimage_upload")},
    }
}


def clean_translations(obj, field: str) -> None:
    """Sanitise ``field`` in every language (clusters/translation.py gives it one per language)."""
    for code, _name in settings.LANGUAGES:
        column = build_localized_fieldname(field, code)
        if value := getattr(obj, column):
            setattr(obj, column, clean_html(value))


def rich_text_field(verbose_name: str, **kwargs) -> ProseEditorField:
    """Return an HTML field edited with the rich-text widget and sanitised by ``clean_html``."""
    return ProseEditorField(
        verbose_name,
        config=EDITOR_CONFIG,
        sanitize=clean_html,
        validators=[require_alt_text],
        **kwargs,
    )


class Discussable(models.Model):
    """An object visitors may comment on and other sites may ping (the comments app reads these)."""

    allow_comments = models.BooleanField(
        _("allow comments"), default=True, help_text=_("Untick to close the discussion here.")
    )
    allow_pings = models.BooleanField(
        _("allow pingbacks and trackbacks"),
        default=True,
        help_text=_(
            "Let other sites tell us that they link here (pingback, trackback, webmention)."
        ),
    )

    class Meta:
        abstract = True


class SearchMeta(models.Model):
    """What search engines and shared links show of a page, post or cluster profile."""

    seo_title = models.CharField(
        _("title for search engines"),
        max_length=70,
        blank=True,
        help_text=_("Shown in search results and when the page is shared; empty: the title."),
    )
    meta_description = models.CharField(
        _("meta description"),
        max_length=300,
        blank=True,
        help_text=_(
            "One or two sentences for search results (about 160 characters show); "
            "empty: the excerpt."
        ),
    )
    social_image = models.ImageField(
        _("social image"),
        upload_to="social/%Y/%m/",
        blank=True,
        validators=[validate_image],
        help_text=_(
            "Shown when the page is shared (1200×630 pixels is best); empty: its own "
            "image or the site's."
        ),
    )
    social_image_alt = models.CharField(_("social image alt text"), max_length=200, blank=True)
    noindex = models.BooleanField(
        _("hide from search engines"),
        default=False,
        help_text=_("Ask search engines not to list this page, and leave it out of the sitemap."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.social_image and not self.social_image_alt.strip():
            raise ValidationError(
                {"social_image_alt": _("Describe the image for people who cannot see it.")}
            )

    @property
    def search_title(self) -> str:
        return self.seo_title or self.title

    @property
    def search_description(self) -> str:
        return self.meta_description or self.summary

    def share_image(self):
        """Return the image and alt text shown when this is shared, or (None, "")."""
        if self.social_image:
            return self.social_image, self.social_image_alt
        return self.own_image()

    def own_image(self):
        return None, ""


class Orderable(models.Model):
    """A child row that editors order by dragging numbers in an inline."""

    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]


# Clusters
# ------------------------------------------------------------------------------


class Term(models.Model):
    """A name with a slug that content is filed under: focus areas, categories, tags."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class FocusArea(Term):
    """A therapeutic or technology area a cluster works in ("Oncology", "Digital health")."""

    class Meta(Term.Meta):
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")


class ClusterQuerySet(models.QuerySet):
    def for_cards(self):
        """Return clusters with what a card shows, in display order."""
        return self.prefetch_related("focus_areas").order_by("sort_order", "name")


# Every save of a cluster keeps a version of it with its key figures, awards and contacts.
@reversion.register(follow=("key_figures", "awards", "contacts"))
class Cluster(SearchMeta, Discussable):
    """One of the meta-cluster's member clusters, with its public profile."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    tagline = models.CharField(
        _("tagline"),
        max_length=300,
        help_text=_("One sentence shown on cards and as the page's description."),
    )
    region = models.CharField(
        _("region"), max_length=100, help_text=_("For example “Auvergne-Rhône-Alpes”.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        help_text=_("Where the cluster's marker stands on the map."),
    )
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1b5e8c",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))],
        help_text=_("Brand colour as #rrggbb, used for the map marker and the card."),
    )
    is_coordinator = models.BooleanField(
        _("is coordinator"),
        default=False,
        help_text=_("Tick for the cluster that coordinates the meta-cluster."),
    )
    description = rich_text_field(_("description"))
    website = models.URLField(_("website"), max_length=200, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="clusters/logos/", blank=True, validators=[validate_image]
    )
    logo_alt = models.CharField(
        _("logo alt text"),
        max_length=200,
        blank=True,
        help_text=_("What the logo says, for people who cannot see it (“Lyonbiopole logo”)."),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="clusters"
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from clusters.redirects import old_address_kept  # It imports this module.

        clean_translations(self, "description")
        with old_address_kept(self):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clusters:cluster_detail", kwargs={"slug": self.slug})

    @property
    def website_label(self) -> str:
        """Return the website as people write it: "www.biopmed.eu", without the scheme."""
        return self.website.split("://", 1)[-1].rstrip("/")

    @property
    def place(self) -> str:
        """Return the region, and the country if there is one: "Catalonia", "Bavaria, Germany"."""
        return ", ".join(part for part in (self.region, self.country) if part)

    # A profile is always public and is titled by the cluster's name; pages and posts say the same
    # with their own fields, so that comments and linkbacks can treat all three alike.
    is_live = True

    @property
    def title(self) -> str:
        return self.name

    @property
    def summary(self) -> str:
        return self.tagline

    def own_image(self):
        return (self.logo, self.logo_alt) if self.logo else (None, "")

    def clean(self):
        super().clean()
        if self.logo and not self.logo_alt.strip():
            raise ValidationError(
                {"logo_alt": _("Describe the logo for people who cannot see it.")}
            )


@reversion.register()
class KeyFigure(Orderable):
    """A label/value row on a cluster profile ("SMEs: 168")."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="key_figures"
    )
    label = models.CharField(_("label"), max_length=100)
    value = models.CharField(_("value"), max_length=100)

    class Meta(Orderable.Meta):
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")

    def __str__(self):
        return f"{self.label}: {self.value}"


@reversion.register()
class Award(Orderable):
    """A label or award a cluster received ("Gold Label", ECEI, 2014)."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="awards"
    )
    name = models.CharField(_("name"), max_length=150)
    awarded_by = models.CharField(_("awarded by"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("label or award")
        verbose_name_plural = _("labels and awards")

    def __str__(self):
        return ", ".join(str(part) for part in (self.name, self.awarded_by, self.year) if part)


@reversion.register()
class Contact(Orderable):
    """A person to contact for more information about a cluster."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


@reversion.register()
class MetaCluster(models.Model):
    """The meta-cluster itself, introduced on the home page; there is one row."""

    name = models.CharField(_("name"), max_length=100, default="bioXclusters plus")
    tagline = models.CharField(_("tagline"), max_length=300)
    introduction = rich_text_field(_("introduction"))
    sme_count = models.PositiveIntegerField(_("number of SMEs"))
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meta-cluster")
        verbose_name_plural = _("meta-clusters")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # A single row: saving always updates it.
        clean_translations(self, "introduction")
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "MetaCluster | None":
        return cls.objects.prefetch_related("focus_areas").filter(pk=1).first()


# Pages and posts
# ------------------------------------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Return what the public may see: scheduled or published, and its time has come."""
        return self.filter(
            status__in=[Status.SCHEDULED, Status.PUBLISHED], published_at__lte=timezone.now()
        )

    def in_language(self, language: str | None = None):
        """Return the entries written in ``language`` (the active one if None; all in English)."""
        return self.filter(existing_in(self.model, language))


class Publishable(SearchMeta, Discussable):
    """What pages and posts share: a title, a slug, an HTML body and a publication state."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=200)
    excerpt = models.TextField(
        _("excerpt"),
        blank=True,
        help_text=_("A sentence or two for lists, feeds and search engines."),
    )
    body = rich_text_field(_("body"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        db_index=True,
        help_text=_("Published and scheduled entries go live at this time, not before."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from clusters.redirects import old_address_kept  # It imports this module.

        clean_translations(self, "body")
        with old_address_kept(self):
            super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        """Return True if the public can see this entry now."""
        return self.status != Status.DRAFT and self.published_at <= timezone.now()

    @property
    def summary(self) -> str:
        """Return the excerpt, or the start of the body as plain text."""
        return self.excerpt or html_to_text(self.body)


@reversion.register()
class Page(Publishable):
    """An editor-made page served at ``/<slug>/``."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    show_clusters = models.BooleanField(
        _("show clusters"),
        default=False,
        help_text=_(
            "Show every cluster's profile and contacts below the body (as on “Who we are”)."
        ),
    )
    menu_order = models.PositiveSmallIntegerField(
        _("menu order"),
        null=True,
        blank=True,
        help_text=_("Shown in the main menu in this order; empty: not shown."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def get_absolute_url(self):
        return reverse("clusters:page_detail", kwargs={"slug": self.slug})


class Category(Term):
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta(Term.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})


class Tag(Term):
    class Meta(Term.Meta):
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


def post_authors(current=None):
    """Return the people a post's author is chosen among: editors (and ``current``, if any)."""
    chosen = Q(is_active=True) & (Q(groups__name="Editors") | Q(is_superuser=True))
    if current is not None:
        chosen |= Q(pk=current.pk)
    User = get_user_model()
    return User.objects.filter(pk__in=User.objects.filter(chosen).values("pk")).order_by(
        "first_name", "last_name", "username"
    )


class PostQuerySet(PublishableQuerySet):
    def for_cluster(self, cluster):
        return self.filter(clusters=cluster)

    def for_list(self):
        """Return posts with what a list item shows, newest first, in a fixed number of queries."""
        return (
            self.select_related("author")
            .prefetch_related("categories")
            .order_by("-published_at", "-pk")
        )

    def related_to(self, post):
        """Return other posts sharing tags, categories or clusters with ``post``, most first.

        One query: each candidate's shared rows are counted in a subquery per link table. (A
        join of the three tables multiplies their rows, and PostgreSQL's estimate of that was
        high enough for it to compile the query to machine code, 0.6 s on every post page.)
        """
        shared, candidates = Value(0), Q()
        for name in ("tags", "categories", "clusters"):
            field = Post._meta.get_field(name)
            links = field.remote_field.through.objects
            post_column, term = field.m2m_column_name(), field.m2m_reverse_name()
            common = links.filter(
                **{f"{term}__in": links.filter(**{post_column: post.pk}).values(term)}
            )
            count = common.filter(**{post_column: OuterRef("pk")}).values(post_column)
            count = count.annotate(n=Count("*")).values("n")
            shared = shared + Coalesce(Subquery(count), 0)
            candidates |= Q(pk__in=common.values(post_column))
        return (
            self.filter(candidates)
            .exclude(pk=post.pk)
            .annotate(shared=shared)
            .order_by("-shared", "-published_at", "-pk")
        )

    def before(self, post):
        """Return the posts published before ``post``, the nearest first."""
        return self.filter(
            Q(published_at__lt=post.published_at)
            | Q(published_at=post.published_at, pk__lt=post.pk)
        ).order_by("-published_at", "-pk")

    def after(self, post):
        """Return the posts published after ``post``, the nearest first."""
        return self.filter(
            Q(published_at__gt=post.published_at)
            | Q(published_at=post.published_at, pk__gt=post.pk)
        ).order_by("published_at", "pk")


@reversion.register()
class Post(Publishable):
    """A blog post, served at ``/blog/<yyyy>/<mm>/<slug>/``."""

    # Unique across all posts, as WordPress does, so that a date in the URL never hides a twin.
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="posts"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="posts")
    clusters = models.ManyToManyField(
        Cluster,
        verbose_name=_("clusters"),
        blank=True,
        related_name="posts",
        help_text=_("Clusters this post is about."),
    )
    featured_image = models.ImageField(
        _("featured image"), upload_to="blog/%Y/%m/", blank=True, validators=[validate_image]
    )
    featured_image_alt = models.CharField(_("featured image alt text"), max_length=200, blank=True)
    # Deleting a post deletes the record of the linkbacks it sent and of its new-post mail.
    outgoing_linkbacks = GenericRelation("linkbacks.OutgoingLinkback")
    announcements = GenericRelation("notifications.PostAnnouncement")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["status", "published_at"], name="post_public_idx")]

    def get_absolute_url(self):
        local = timezone.localtime(self.published_at)
        return reverse(
            "blog:post_detail",
            kwargs={"year": local.year, "month": f"{local.month:02d}", "slug": self.slug},
        )

    def own_image(self):
        if self.featured_image:
            return self.featured_image, self.featured_image_alt
        return None, ""

    def clean(self):
        super().clean()
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": _("Describe the image for people who cannot see it.")}
            )

    @property
    def author_name(self) -> str:
        return display_name(self.author)


# Menus
# ------------------------------------------------------------------------------


class Menu(models.Model):
    """One of the site's menus, which staff fill with items in the admin."""

    class Place(models.TextChoices):
        MAIN = "main", _("Main menu")
        FOOTER = "footer", _("Footer")

    place = models.CharField(_("place"), max_length=10, choices=Place.choices, unique=True)

    class Meta:
        ordering = ["place"]
        verbose_name = _("menu")
        verbose_name_plural = _("menus")

    def __str__(self):
        return self.get_place_display()


# What a menu item may lead to, besides an address typed in.
MENU_TARGETS = ("page", "cluster", "post", "category")


class MenuItem(Orderable):
    """A link in a menu: to a page, cluster, post or category, or to an address; one level deep."""

    menu = models.ForeignKey(
        Menu, verbose_name=_("menu"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Put this item under another (saved) item of the menu: one level only."),
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Empty: the title of what it leads to.")
    )
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, null=True, blank=True
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, null=True, blank=True
    )
    post = models.ForeignKey(
        "Post", verbose_name=_("post"), on_delete=models.CASCADE, null=True, blank=True
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, null=True, blank=True
    )
    url = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        validators=[
            RegexValidator(
                r"^(https?://|/)", _("Enter an address starting with https://, http:// or /.")
            )
        ],
        help_text=_("Another site's address, or one of this site's (“/blog/”)."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")

    def __str__(self):
        return self.title

    @property
    def target(self):
        """Return what the item leads to (a page, cluster, post or category), or None."""
        return next((t for name in MENU_TARGETS if (t := getattr(self, name)) is not None), None)

    @property
    def title(self) -> str:
        target = self.target
        return self.label or (str(target) if target is not None else self.url)

    @property
    def href(self) -> str:
        # One of the site's own addresses ("/blog/") leads to that page in the visitor's language.
        if self.target is not None:
            return self.target.get_absolute_url()
        return in_current_language(self.url) if self.url.startswith("/") else self.url

    @property
    def is_public(self) -> bool:
        """Return False when it leads to a draft or scheduled page or post."""
        return getattr(self.target, "is_live", True)

    def clean(self):
        chosen = [name for name in MENU_TARGETS if getattr(self, f"{name}_id")]
        if self.url:
            chosen.append("url")
        if len(chosen) != 1:
            raise ValidationError(
                _(
                    "Choose one thing for the item to lead to: a page, a cluster, a post, a "
                    "category or an address."
                )
            )
        if self.parent is not None and (
            self.parent.parent_id is not None
            or self.parent.menu_id != self.menu_id
            or self.parent_id == self.pk
            or (self.pk is not None and self.children.exists())
        ):
            raise ValidationError(
                {"parent": _("Choose a top-level item of the same menu: menus are one level deep.")}
            )


# Media
# ------------------------------------------------------------------------------


class MediaImage(models.Model):
    """An image editors upload once and place in bodies by its address."""

    title = models.CharField(_("title"), max_length=200)
    # Under MEDIA_URL already: the folder says what is in it, not "media" again.
    file = models.ImageField(
        _("file"), upload_to="images/%Y/%m/", blank=True, validators=[validate_image]
    )
    original_url = models.URLField(
        _("original address"),
        max_length=2000,
        blank=True,
        help_text=_("Where an imported file was on the old site, when it was not copied here."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=200,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title

    def clean(self):
        if not self.file and not self.original_url:
            raise ValidationError({"file": _("Upload the image.")})

    @property
    def url(self) -> str:
        """Return the address to show the file at: ours, or the old site's if not copied."""
        return self.file.url if self.file else self.original_url


# WordPress import
# ------------------------------------------------------------------------------


class ImportedItem(models.Model):
    """One WordPress record brought over and the object it became; a re-import finds it here."""

    class Kind(models.TextChoices):
        AUTHOR = "author", _("Author")
        CATEGORY = "category", _("Category")
        TAG = "tag", _("Tag")
        POST = "post", _("Post")
        PAGE = "page", _("Page")
        ATTACHMENT = "attachment", _("Attachment")
        COMMENT = "comment", _("Comment")

    source = models.CharField(max_length=200, help_text=_("The old blog's address."))
    kind = models.CharField(max_length=10, choices=Kind.choices)
    wp_id = models.CharField(
        _("WordPress id"),
        max_length=200,
        help_text=_("Its id in WordPress (a login or slug if none)."),
    )
    guid = models.CharField(_("GUID"), max_length=2000, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    # A hash of what the export said: the same again is skipped, anything else updates.
    digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="imported_item_once")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="imported_object_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wp_id} of {self.source}"


class PrivateStorage(FileSystemStorage):
    """Files never served to the public: an export holds commenters' e-mail and IP addresses."""

    # Read at each use, not cached as FileSystemStorage does, so that it follows the setting.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage() -> PrivateStorage:
    return PrivateStorage()


class ImportRun(models.Model):
    """A WordPress export uploaded in the admin and its import, run by a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(
        _("WordPress export (WXR)"), upload_to="imports/", storage=private_storage, blank=True
    )
    filename = models.CharField(_("filename"), max_length=255, editable=False)
    dry_run = models.BooleanField(
        _("dry run"),
        default=True,
        help_text=_("Report what an import would do, and write nothing."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, editable=False
    )
    progress = models.PositiveIntegerField(default=0, editable=False)
    total = models.PositiveIntegerField(default=0, editable=False)
    report = models.JSONField(default=dict, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")

    def __str__(self):
        status = self.get_status_display()
        if self.dry_run:
            return _("%(file)s (dry run, %(status)s)") % {"file": self.filename, "status": status}
        return f"{self.filename} ({status})"


# Old addresses
# ------------------------------------------------------------------------------


class Redirect(models.Model):
    """An old address of the site that answers with a permanent redirect (301) to its new one.

    Rows are written through ``clusters.redirects.redirect_add`` (the importer, the admin and a
    slug change all do), which keeps every old address in one normal form and never stores a chain.
    """

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_(
            "A path on this site as the old site wrote it: /2016/11/15/japan-mission/, "
            "/?p=123. A full address (https://old.example/…) is cut down to its path."
        ),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=500,
        help_text=_(
            "Where it moved: a path on this site (/blog/2016/11/japan-mission/) or a full "
            "https:// address elsewhere."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"


# Editing
# ------------------------------------------------------------------------------


class Autosave(models.Model):
    """What an editor had typed into a change form, kept every minute until they save it.

    Never the live content: one row per (object, editor), ``object_id`` empty for an object not
    yet added; ``data`` holds the form's fields as ``[name, value]`` pairs, as the browser sent.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    data = models.JSONField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_autosave_per_editor"
            )
        ]

    def __str__(self):
        return f"Autosave of {self.content_type.name} {self.object_id or '(new)'} by {self.user}"


# Site search
# ------------------------------------------------------------------------------


class SearchEntry(models.Model):
    """What the site search in one language finds of one post, page, cluster, category or tag.

    Written by ``clusters.search.index`` whenever its object is saved, never at query time: one
    row per object and site language (``language``), holding the text and address a visitor of
    that language sees, which is written in ``text_language`` (that language where the object
    is translated into it, else English); the search reads it with that language's stemming.
    ``search_vector`` is PostgreSQL's (weighted title A, excerpt B, body C), SQLite keeps the
    same text in an FTS5 table instead (``clusters.search.backends``). Drafts and entries hidden
    from search engines have rows (staff search the admin with them) that are not ``public``.
    """

    class Kind(models.TextChoices):
        POST = "post", _("Post")
        PAGE = "page", _("Page")
        CLUSTER = "cluster", _("Cluster")
        CATEGORY = "category", _("Category")
        TAG = "tag", _("Tag")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # Codes of settings.LANGUAGES.
    language = models.CharField(max_length=10)
    text_language = models.CharField(max_length=10)
    title = models.CharField(max_length=250)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateTimeField(null=True, blank=True)
    public = models.BooleanField(default=True)
    # The public sees the entry from then on (a scheduled post); empty: always.
    visible_from = models.DateTimeField(null=True, blank=True)
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="+")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="search_entry_once_per_language"
            )
        ]
        # What search filters on, by entry: read without the rows' long text (SQLite's backend).
        indexes = [
            models.Index(
                fields=["id", "language", "text_language", "public", "visible_from", "date"],
                name="search_entry_filter_idx",
            )
        ]
        # The GIN indexes of the language with search_vector and with the title's trigrams are
        # PostgreSQL's only: made by migrations 0011 and 0014 for that database.

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
