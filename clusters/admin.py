from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, pgettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from bioxclusters.common import display_name
from clusters import services
from clusters.editing import EditingAdmin, LabelledInlineFormSet
from clusters.languages import CODES, english
from clusters.models import (
    Award,
    Category,
    Cluster,
    Contact,
    FocusArea,
    ImportRun,
    KeyFigure,
    MediaImage,
    Menu,
    MenuItem,
    MetaCluster,
    Page,
    Post,
    Redirect,
    Tag,
    post_authors,
)
from clusters.redirects import normalise_new_path, normalise_old_path, redirect_add
from clusters.revisions import versions_kept
from clusters.search import query as search_query
from clusters.search.index import KINDS as SEARCH_KINDS
from clusters.search.results import ranked_objects, written_entries
from clusters.wordpress import tasks as wordpress_tasks
from clusters.wordpress.importer import report_lines
from comments.linkbacks.admin import outcomes_panel

# The discussion switches, last on every commentable object's form.
DISCUSSION_FIELDSET = (_("Discussion"), {"fields": ["allow_comments", "allow_pings"]})
SEARCH_FIELDSET = (
    _("Search engines and sharing"),
    {
        "fields": [
            "seo_title", "meta_description", "social_image", "social_image_alt", "noindex",
        ]
    },
)  # fmt: skip
# The notes of the versions the list actions keep: stored in English, read in the editor's
# language (admin/clusters/editing/object_history.html).
PUBLISHED_NOW = gettext_noop("Published now (list action).")
MADE_DRAFT = gettext_noop("Turned into a draft (list action).")


class OrderableInline(admin.TabularInline):
    extra = 0
    formset = LabelledInlineFormSet


class TranslatedInline(TranslationTabularInline, OrderableInline):
    """Inline rows whose text editors write in each language, the English first."""


class KeyFigureInline(TranslatedInline):
    model = KeyFigure
    fields = ["label", "value", "sort_order"]


class AwardInline(TranslatedInline):
    model = Award
    fields = ["name", "awarded_by", "year", "sort_order"]


class ContactInline(OrderableInline):
    model = Contact
    fields = ["name", "role", "email", "phone", "sort_order"]


class WritesInEnglish:
    """Save and delete in English, whatever language the admin speaks to the editor.

    The form sets each language's field by name; what the save does besides (the search
    index, redirects, linkbacks) must see the English text and addresses.
    """

    def save_model(self, request, obj, form, change):
        with english():
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with english():
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        with english():
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with english():
            super().delete_queryset(request, queryset)


class TranslatedAdmin(WritesInEnglish, TranslationAdmin):
    """A translated model's admin: each translated field shows once per language, English first."""


class TranslatedEditingAdmin(WritesInEnglish, EditingAdmin, TranslationAdmin):
    """A content admin whose translated fields show once per language, the English first.

    EditingAdmin first: its fieldsets (the version note) wrap modeltranslation's, which put each
    language's box of a field under the English one (clusters/translation.py).
    """


class SiteSearchAdmin(TranslatedEditingAdmin):
    """The change list's search box finds what the site search finds, drafts and hidden too, in
    every language an object is written in, best first unless a column is chosen to sort by."""

    def get_search_results(self, request, queryset, search_term):
        query = search_query.parse(search_term)
        if not query:
            return super().get_search_results(request, queryset, search_term)
        entries = written_entries().filter(kind=SEARCH_KINDS[self.model])
        found = ranked_objects(queryset, entries, query, CODES)
        if ORDER_VAR not in request.GET:
            found = found.order_by("search_rank", *queryset.query.order_by)
        return found, False


@admin.register(Cluster)
class ClusterAdmin(SiteSearchAdmin):
    list_display = [
        "name",
        "region",
        "country",
        "is_coordinator",
        "sort_order",
        "view_on_site_link",
    ]
    list_editable = ["sort_order"]
    list_filter = ["country", "is_coordinator", "focus_areas"]
    search_fields = ["name", "region", "city", "country", "tagline", "contacts__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [KeyFigureInline, AwardInline, ContactInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "is_coordinator", "sort_order"]}),
        (_("Profile"), {"fields": ["description", "focus_areas", "website"]}),
        (_("Logo"), {"fields": ["logo", "logo_alt"]}),
        (
            _("Place on the map"),
            {"fields": ["region", "city", "country", "latitude", "longitude", "colour"]},
        ),
        SEARCH_FIELDSET,
        DISCUSSION_FIELDSET,
    ]

    @admin.display(description=_("On site"))
    def view_on_site_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View"))


@admin.register(FocusArea)
class FocusAreaAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MetaCluster)
class MetaClusterAdmin(TranslatedEditingAdmin):
    def has_add_permission(self, request):
        # There is exactly one meta-cluster; it is edited, never added twice.
        return super().has_add_permission(request) and not MetaCluster.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class PublishableAdmin(SiteSearchAdmin):
    """What the page and post admins share: status, publication date and a live marker."""

    list_filter = ["status", "published_at"]
    search_fields = ["title", "excerpt", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    actions = ["publish_now", "make_draft"]

    @admin.display(description=_("Live"), boolean=True)
    def live(self, obj):
        return obj.is_live

    # Every change of publication goes through the publish service (clusters/services.py).
    def save_model(self, request, obj, form, change):
        services.entry_save(obj, by=request.user)

    @admin.action(description=_("Publish the selected entries now"))
    def publish_now(self, request, queryset):
        # Keep the ids: the list may be filtered by status, and the update changes the status.
        entries = queryset.model.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        # The service changes them; one revision keeps the version of each, as it is then.
        with versions_kept(user=request.user, comment=PUBLISHED_NOW) as keep:
            updated = services.entries_publish_now(entries, by=request.user)
            keep(entries)
        message = ngettext("%(count)d entry published.", "%(count)d entries published.", updated)
        self.message_user(request, message % {"count": updated})

    @admin.action(description=_("Turn the selected entries into drafts"))
    def make_draft(self, request, queryset):
        entries = queryset.model.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        with versions_kept(user=request.user, comment=MADE_DRAFT) as keep:
            updated = services.entries_make_draft(entries, by=request.user)
            keep(entries)
        message = ngettext(
            "%(count)d entry turned into a draft.", "%(count)d entries turned into drafts.", updated
        )
        self.message_user(request, message % {"count": updated})


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "slug", "status", "published_at", "live", "menu_order"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at"]}),
        (_("Display"), {"fields": ["menu_order", "show_clusters"]}),
        SEARCH_FIELDSET,
        DISCUSSION_FIELDSET,
    ]


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    list_display = ["title", "author_name", "status", "published_at", "live"]
    list_select_related = ["author"]
    list_filter = ["status", "published_at", "categories", "tags", "clusters", "author"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "excerpt", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at"]}),
        (_("Filing"), {"fields": ["categories", "tags", "clusters"]}),
        (_("Featured image"), {"fields": ["featured_image", "featured_image_alt"]}),
        SEARCH_FIELDSET,
        DISCUSSION_FIELDSET,
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if author := form.base_fields.get("author"):
            # Editors write posts; they are shown by name, and a post keeps its author.
            author.queryset = post_authors(obj.author if obj else None)
            author.label_from_instance = display_name
        return form

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description=_("Outcomes"))
    def linkbacks_sent(self, obj):
        return outcomes_panel(obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "linkbacks_sent"]

    def get_fieldsets(self, request, obj=None):
        # A read-only panel, not an inline: the form posts exactly the fields it did before.
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Linkbacks sent"), {"fields": ["linkbacks_sent"]})]


@admin.register(Category)
class CategoryAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# How many images the chooser shows at once (newest first; search finds the others).
CHOOSER_LENGTH = 60


class ImageUploadForm(forms.ModelForm):
    class Meta:
        model = MediaImage
        fields = ["file", "alt_text", "title"]


@admin.register(MediaImage)
class MediaImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "alt_text", "uploaded_by", "uploaded_at"]
    search_fields = ["title", "alt_text"]
    readonly_fields = ["thumbnail", "address", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("Preview"))
    def thumbnail(self, obj):
        if not obj.url:
            return ""
        return format_html(
            '<img src="{}" alt="{}" height="60">',
            obj.url,
            obj.alt_text,
        )

    @admin.display(description=_("Address to use in a body"))
    def address(self, obj):
        return obj.url

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # The rich-text editor's way in: a chooser for its figure dialog, and uploads from it
    # (dropped or pasted images, static/clusters/admin/image-drop.js).

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("chooser/", view(self.chooser_view), name="clusters_mediaimage_chooser"),
            path("upload/", view(self.upload_view), name="clusters_mediaimage_upload"),
            *super().get_urls(),
        ]

    def chooser_view(self, request):
        """List the images to choose from (searched by title and alt text), and an upload form."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        images = self.get_queryset(request)
        if query:
            images = images.filter(Q(title__icontains=query) | Q(alt_text__icontains=query))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose an image"),
            "is_popup": True,
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "images": images[:CHOOSER_LENGTH],
            "upload_form": ImageUploadForm(auto_id="chooser-%s"),
            "upload_url": reverse("admin:clusters_mediaimage_upload"),
        }
        return TemplateResponse(request, "admin/clusters/mediaimage/chooser.html", context)

    def upload_view(self, request):
        """Add an image to the library from the editor; answer its address, or what is wrong."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
            return JsonResponse({"error": " ".join(errors)}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        return JsonResponse({"url": image.file.url, "alt": image.alt_text, "id": image.pk})


class MenuItemInline(OrderableInline):
    model = MenuItem
    fields = ["label", "page", "cluster", "post", "category", "url", "parent", "sort_order"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only a saved top-level item of this menu can hold others: menus are one level deep.
        formset.form.base_fields["parent"].queryset = MenuItem.objects.filter(menu=obj, parent=None)
        return formset


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    """The main menu and the footer: their items, in order, each under another or not."""

    list_display = ["__str__", "item_count"]
    inlines = [MenuItemInline]
    fields = readonly_fields = ["place"]

    @admin.display(description=_("Items"))
    def item_count(self, obj):
        return obj.items.count()

    # Both menus are made by a migration; they are edited, never added or deleted.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Upload a WordPress export, dry-run or import it in the background, read the report."""

    list_display = ["filename", "dry_run", "status", "started_by", "created_at", "finished_at"]
    list_filter = ["status", "dry_run"]
    fields = ["file", "dry_run"]
    readonly_fields = ["filename", "dry_run", "status", "progress_bar", "result", "started_by"]

    def has_change_permission(self, request, obj=None):
        return False  # A run is a record of what happened: read, never edited.

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_add_permission(request)

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.filename = obj.file.name.rsplit("/", 1)[-1][:255]
        obj.started_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(partial(wordpress_tasks.run_import.enqueue, obj.pk))

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the run's page, which follows its progress and then shows the report.
        return redirect("admin:clusters_importrun_change", obj.pk)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["running"] = obj is not None and obj.status in {
            ImportRun.Status.QUEUED,
            ImportRun.Status.RUNNING,
        }
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @admin.display(description=_("Progress"))
    def progress_bar(self, obj):
        done, total = wordpress_tasks.live_progress(obj)
        if not total:
            return _("Waiting for the worker…") if obj.status == ImportRun.Status.QUEUED else "—"
        return format_html(
            '<progress value="{}" max="{}"></progress> {}',
            done,
            total,
            _("%(done)s of %(total)s records") % {"done": done, "total": total},
        )

    @admin.display(description=pgettext_lazy("what an import did", "Report"))
    def result(self, obj):
        if obj.error:
            return obj.error
        if not obj.report:
            return "—"
        return format_html("<pre>{}</pre>", "\n".join(report_lines(obj.report)))


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]

    def _normalised(self, field, normalise):
        try:
            return normalise(self.cleaned_data[field])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_old_path(self):
        return self._normalised("old_path", normalise_old_path)

    def clean_new_path(self):
        return self._normalised("new_path", normalise_new_path)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old_path") and cleaned.get("old_path") == cleaned.get("new_path"):
            self.add_error("new_path", _("An address cannot redirect to itself."))
        return cleaned


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]

    def save_model(self, request, obj, form, change):
        # Through the table's one writer, so that staff's rows never make a chain or a loop.
        if change and "old_path" in form.changed_data:
            Redirect.objects.filter(pk=obj.pk).delete()
        redirect_add(obj.old_path, obj.new_path)
        obj.pk = Redirect.objects.get(old_path=obj.old_path).pk
