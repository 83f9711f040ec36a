from django import forms
from django.contrib import admin
from django.utils.html import format_html

from clusters import services
from clusters.models import (
    Award,
    Category,
    Cluster,
    Contact,
    FocusArea,
    KeyFigure,
    MediaImage,
    MetaCluster,
    Page,
    Post,
    Redirect,
    Tag,
)
from clusters.redirects import normalise_new_path, normalise_old_path, redirect_add
from comments.linkbacks.admin import outcomes_panel

# The discussion switches, last on every commentable object's form.
DISCUSSION_FIELDSET = ("Discussion", {"fields": ["allow_comments", "allow_pings"]})


class OrderableInline(admin.TabularInline):
    extra = 0


class KeyFigureInline(OrderableInline):
    model = KeyFigure
    fields = ["label", "value", "sort_order"]


class AwardInline(OrderableInline):
    model = Award
    fields = ["name", "awarded_by", "year", "sort_order"]


class ContactInline(OrderableInline):
    model = Contact
    fields = ["name", "role", "email", "phone", "sort_order"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
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
    filter_horizontal = ["focus_areas"]
    inlines = [KeyFigureInline, AwardInline, ContactInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "is_coordinator", "sort_order"]}),
        ("Profile", {"fields": ["description", "focus_areas", "website"]}),
        ("Logo", {"fields": ["logo", "logo_alt"]}),
        (
            "Place on the map",
            {"fields": ["region", "city", "country", "latitude", "longitude", "colour"]},
        ),
        DISCUSSION_FIELDSET,
    ]

    @admin.display(description="On site")
    def view_on_site_link(self, obj):
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MetaCluster)
class MetaClusterAdmin(admin.ModelAdmin):
    filter_horizontal = ["focus_areas"]

    def has_add_permission(self, request):
        # There is exactly one meta-cluster; it is edited, never added twice.
        return super().has_add_permission(request) and not MetaCluster.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class PublishableAdmin(admin.ModelAdmin):
    """What the page and post admins share: status, publication date and a live marker."""

    list_filter = ["status", "published_at"]
    search_fields = ["title", "excerpt", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    actions = ["publish_now", "make_draft"]

    @admin.display(description="Live", boolean=True)
    def live(self, obj):
        return obj.is_live

    # Every change of publication goes through the publish service (clusters/services.py).
    def save_model(self, request, obj, form, change):
        services.entry_save(obj, by=request.user)

    @admin.action(description="Publish the selected entries now")
    def publish_now(self, request, queryset):
        updated = services.entries_publish_now(queryset, by=request.user)
        self.message_user(request, f"{updated} published.")

    @admin.action(description="Turn the selected entries into drafts")
    def make_draft(self, request, queryset):
        updated = services.entries_make_draft(queryset, by=request.user)
        self.message_user(request, f"{updated} turned into drafts.")


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "slug", "status", "published_at", "live", "menu_order"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "body"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        ("Display", {"fields": ["menu_order", "show_clusters"]}),
        DISCUSSION_FIELDSET,
    ]


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    list_display = ["title", "author", "status", "published_at", "live"]
    list_select_related = ["author"]
    list_filter = ["status", "published_at", "categories", "tags", "clusters", "author"]
    autocomplete_fields = ["categories", "tags", "clusters"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "excerpt", "body"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        ("Filing", {"fields": ["categories", "tags", "clusters"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        DISCUSSION_FIELDSET,
    ]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Outcomes")
    def linkbacks_sent(self, obj):
        return outcomes_panel(obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "linkbacks_sent"]

    def get_fieldsets(self, request, obj=None):
        # A read-only panel, not an inline: the form posts exactly the fields it did before.
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Linkbacks sent", {"fields": ["linkbacks_sent"]})]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MediaImage)
class MediaImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "alt_text", "uploaded_by", "uploaded_at"]
    search_fields = ["title", "alt_text"]
    readonly_fields = ["thumbnail", "address", "uploaded_by", "uploaded_at"]

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        if not obj.file:
            return ""
        return format_html(
            '<img src="{}" alt="{}" height="60">',
            obj.file.url,
            obj.alt_text,
        )

    @admin.display(description="Address to use in a body")
    def address(self, obj):
        return obj.file.url if obj.file else ""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


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
            self.add_error("new_path", "An address cannot redirect to itself.")
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
