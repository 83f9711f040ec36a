"""Staff's view of linkbacks: what each post sent, and the webmentions received.

The content app's admin shows ``outcomes_panel(obj)`` as a read-only field of a post's form
(not an inline, so the post form posts exactly the fields it did before). The received
linkbacks themselves are comments, moderated in the comment queue.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import registry

from .models import OutgoingLinkback, ReceivedWebmention
from .tasks import retry

PANEL_COLUMNS = (
    _("Link"),
    _("Protocol"),
    _("Status"),
    _("Answer or error"),
    _("Tries"),
    _("Next try"),
    _("Sent"),
)


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def outcomes_panel(obj) -> str:
    """Return the table of ``obj``'s outgoing linkbacks, for its admin form."""
    rows = list(OutgoingLinkback.objects.for_object(obj).order_by("pk")) if obj.pk else []
    if not rows:
        return _("Nothing sent yet: links to other sites are notified when the post is live.")
    header = format_html_join("", "<th scope='col'>{}</th>", ((name,) for name in PANEL_COLUMNS))
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                row.target_url,
                row.get_protocol_display() or "—",
                row.get_status_display(),
                row.error or row.answer or "—",
                row.attempts,
                _when(row.next_retry_at),
                _when(row.sent_at),
            )
            for row in rows
        ),
    )
    changelist = reverse("admin:linkbacks_outgoinglinkback_changelist")
    return format_html(
        '<table class="linkback-outcomes"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
        '<p><a href="{}?content_type__id__exact={}&amp;object_id={}">{}</a></p>',
        header,
        body,
        changelist,
        ContentType.objects.get_for_model(obj).pk,
        obj.pk,
        _("Open in the list of outgoing linkbacks"),
    )


def _may(request, action: str) -> bool:
    """Return True if the user may ``action`` ("view", "change") a model that sends linkbacks."""
    return any(
        request.user.has_perm(f"{entry.model._meta.app_label}.{action}_{entry.kind}")
        for entry in registry.entries()
        if entry.sends_linkbacks
    )


@admin.register(OutgoingLinkback)
class OutgoingLinkbackAdmin(admin.ModelAdmin):
    list_display = [
        "target_url",
        "source",
        "protocol",
        "status",
        "attempts",
        "next_retry_at",
        "sent_at",
    ]
    list_filter = ["status", "protocol"]
    search_fields = ["target_url", "endpoint"]
    actions = ["send_again"]
    fields = [
        "source",
        "target_url",
        "protocol",
        "endpoint",
        "status",
        "answer",
        "error",
        "attempts",
        "next_retry_at",
        "sent_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("source")

    # The outcomes belong to the posts: whoever may see posts may see them.
    def has_module_permission(self, request):
        return _may(request, "view")

    def has_view_permission(self, request, obj=None):
        return _may(request, "view")

    def lookup_allowed(self, lookup, value, request=None):
        # The post form's panel links to the list of one post's linkbacks.
        return lookup in {"content_type__id__exact", "object_id"} or super().lookup_allowed(
            lookup, value, request
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return _may(request, "change")

    @admin.action(description=_("Send the selected linkbacks again now"), permissions=["send"])
    def send_again(self, request, queryset):
        count = retry(queryset)
        queued = ngettext("%(count)d linkback queued.", "%(count)d linkbacks queued.", count)
        self.message_user(request, queued % {"count": count})


@admin.register(ReceivedWebmention)
class ReceivedWebmentionAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "status", "reason", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["source", "target"]
    fields = [
        "source",
        "target",
        "status",
        "reason",
        "comment",
        "ip_address",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    # Part of moderating linkbacks: whoever may moderate comments may see them.
    def has_module_permission(self, request):
        return request.user.has_perm("comments.can_moderate")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("comments.can_moderate")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
