"""The site's content: the meta-cluster, its clusters with their contacts, pages and blog posts."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from bioxclusters.common import display_name
from clusters.html import clean_html, html_to_text
from clusters.images import validate_image

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
        "Figure": True,
        "Caption": True,
        "Image": True,
        "History": True,
        "HTML": True,
    }
}


def rich_text_field(verbose_name: str, **kwargs) -> ProseEditorField:
    """Return an HTML field edited with the rich-text widget and sanitised by ``clean_html``."""
    return ProseEditorField(verbose_name, config=EDITOR_CONFIG, sanitize=clean_html, **kwargs)


class Discussable(models.Model):
    """An object visitors may comment on and other sites may ping (the comments app reads these)."""

    allow_comments = models.BooleanField(
        "allow comments", default=True, help_text="Untick to close the discussion here."
    )
    allow_pings = models.BooleanField(
        "allow pingbacks and trackbacks",
        default=True,
        help_text="Let other sites tell us that they link here (pingback, trackback, webmention).",
    )

    class Meta:
        abstract = True


class Orderable(models.Model):
    """A child row that editors order by dragging numbers in an inline."""

    sort_order = models.PositiveSmallIntegerField("order", default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]


# Clusters
# ------------------------------------------------------------------------------


class Term(models.Model):
    """A name with a slug that content is filed under: focus areas, categories, tags."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class FocusArea(Term):
    """A therapeutic or technology area a cluster works in ("Oncology", "Digital health")."""


class ClusterQuerySet(models.QuerySet):
    def for_cards(self):
        """Return clusters with what a card shows, in display order."""
        return self.prefetch_related("focus_areas").order_by("sort_order", "name")


class Cluster(Discussable):
    """One of the meta-cluster's member clusters, with its public profile."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    tagline = models.CharField(
        max_length=300, help_text="One sentence shown on cards and as the page's description."
    )
    region = models.CharField(max_length=100, help_text="For example “Auvergne-Rhône-Alpes”.")
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    latitude = models.DecimalField(
        max_digits=8, decimal_places=5, help_text="Where the cluster's marker stands on the map."
    )
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    colour = models.CharField(
        max_length=7,
        default="#1b5e8c",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")],
        help_text="Brand colour as #rrggbb, used for the map marker and the card.",
    )
    is_coordinator = models.BooleanField(
        default=False, help_text="Tick for the cluster that coordinates the meta-cluster."
    )
    description = rich_text_field("description")
    website = models.URLField(max_length=200, blank=True)
    logo = models.ImageField(upload_to="clusters/logos/", blank=True, validators=[validate_image])
    logo_alt = models.CharField(
        "logo alt text",
        max_length=200,
        blank=True,
        help_text="What the logo says, for people who cannot see it (“Lyonbiopole logo”).",
    )
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="clusters")
    sort_order = models.PositiveSmallIntegerField("order", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from clusters.redirects import old_address_kept  # It imports this module.

        self.description = clean_html(self.description)
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

    def clean(self):
        if self.logo and not self.logo_alt.strip():
            raise ValidationError({"logo_alt": "Describe the logo for people who cannot see it."})


class KeyFigure(Orderable):
    """A label/value row on a cluster profile ("SMEs: 168")."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="key_figures")
    label = models.CharField(max_length=100)
    value = models.CharField(max_length=100)

    class Meta(Orderable.Meta):
        pass

    def __str__(self):
        return f"{self.label}: {self.value}"


class Award(Orderable):
    """A label or award a cluster received ("Gold Label", ECEI, 2014)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(max_length=150)
    awarded_by = models.CharField(max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "label or award"
        verbose_name_plural = "labels and awards"

    def __str__(self):
        return ", ".join(str(part) for part in (self.name, self.awarded_by, self.year) if part)


class Contact(Orderable):
    """A person to contact for more information about a cluster."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta(Orderable.Meta):
        pass

    def __str__(self):
        return self.name


class MetaCluster(models.Model):
    """The meta-cluster itself, introduced on the home page; there is one row."""

    name = models.CharField(max_length=100, default="bioXclusters plus")
    tagline = models.CharField(max_length=300)
    introduction = rich_text_field("introduction")
    sme_count = models.PositiveIntegerField("number of SMEs")
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="+")

    class Meta:
        verbose_name = "meta-cluster"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # A single row: saving always updates it.
        self.introduction = clean_html(self.introduction)
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "MetaCluster | None":
        return cls.objects.prefetch_related("focus_areas").filter(pk=1).first()


# Pages and posts
# ------------------------------------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Return what the public may see: scheduled or published, and its time has come."""
        return self.filter(
            status__in=[Status.SCHEDULED, Status.PUBLISHED], published_at__lte=timezone.now()
        )


class Publishable(Discussable):
    """What pages and posts share: a title, a slug, an HTML body and a publication state."""

    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200)
    excerpt = models.TextField(
        blank=True, help_text="A sentence or two for lists, feeds and search engines."
    )
    body = rich_text_field("body", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        db_index=True,
        help_text="Published and scheduled entries go live at this time, not before.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from clusters.redirects import old_address_kept  # It imports this module.

        self.body = clean_html(self.body)
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


class Page(Publishable):
    """An editor-made page served at ``/<slug>/``."""

    slug = models.SlugField(max_length=200, unique=True)
    show_clusters = models.BooleanField(
        default=False,
        help_text="Show every cluster's profile and contacts below the body (as on “Who we are”).",
    )
    menu_order = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Shown in the main menu in this order; empty: not shown."
    )

    class Meta:
        ordering = ["title"]

    def get_absolute_url(self):
        return reverse("clusters:page_detail", kwargs={"slug": self.slug})


class Category(Term):
    description = models.TextField(blank=True)

    class Meta(Term.Meta):
        verbose_name_plural = "categories"

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})


class Tag(Term):
    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


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


class Post(Publishable):
    """A blog post, served at ``/blog/<yyyy>/<mm>/<slug>/``."""

    # Unique across all posts, as WordPress does, so that a date in the URL never hides a twin.
    slug = models.SlugField(max_length=200, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="posts", help_text="Clusters this post is about."
    )
    featured_image = models.ImageField(
        upload_to="blog/%Y/%m/", blank=True, validators=[validate_image]
    )
    featured_image_alt = models.CharField("featured image alt text", max_length=200, blank=True)
    # Deleting a post deletes the record of the linkbacks it sent and of its new-post mail.
    outgoing_linkbacks = GenericRelation("linkbacks.OutgoingLinkback")
    announcements = GenericRelation("notifications.PostAnnouncement")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [models.Index(fields=["status", "published_at"], name="post_public_idx")]

    def get_absolute_url(self):
        local = timezone.localtime(self.published_at)
        return reverse(
            "blog:post_detail",
            kwargs={"year": local.year, "month": f"{local.month:02d}", "slug": self.slug},
        )

    def clean(self):
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the image for people who cannot see it."}
            )

    @property
    def author_name(self) -> str:
        return display_name(self.author)


# Media
# ------------------------------------------------------------------------------


class MediaImage(models.Model):
    """An image editors upload once and place in bodies by its address."""

    title = models.CharField(max_length=200)
    # Under MEDIA_URL: /media/images/2026/12/…, not /media/media/….
    file = models.ImageField(upload_to="images/%Y/%m/", validators=[validate_image])
    alt_text = models.CharField(
        max_length=200, help_text="What the image shows, for people who cannot see it."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "image"

    def __str__(self):
        return self.title


# Old addresses
# ------------------------------------------------------------------------------


class Redirect(models.Model):
    """An old address of the site that answers with a permanent redirect (301) to its new one.

    Rows are written through ``clusters.redirects.redirect_add`` (the importer, the admin and a
    slug change all do), which keeps every old address in one normal form and never stores a chain.
    """

    old_path = models.CharField(
        "old address",
        max_length=500,
        unique=True,
        help_text="A path on this site as the old site wrote it: /2016/11/15/japan-mission/, "
        "/?p=123. A full address (https://old.example/…) is cut down to its path.",
    )
    new_path = models.CharField(
        "new address",
        max_length=500,
        help_text="Where it moved: a path on this site (/blog/2016/11/japan-mission/) or a full "
        "https:// address elsewhere.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = "redirect"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
