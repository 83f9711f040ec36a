"""Staff's view of linkbacks: what each post sent, and the webmentions received.

The post admin (``clusters.admin.PostAdmin``) takes ``SendLinkbacksMixin``: saving a post or
publishing it with the list action notifies the pages it links to, and its form shows a
read-only "Linkbacks sent" panel (a read-only field, not an inline, so the post form posts
exactly the fields it did before). The received linkbacks themselves are comments, moderated in
the comment queue.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .models import OutgoingLinkback, ReceivedWebmention
from .tasks import notify_linked_sites, retry

PANEL_COLUMNS = ("Link", "Protocol", "Status", "Answer or error", "Tries", "Next try", "Sent")


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def outcomes_panel(post) -> str:
    """Return the table of ``post``'s outgoing linkbacks, for its admin form."""
    rows = list(post.outgoing_linkbacks.order_by("pk")) if post.pk else []
    if not rows:
        return "Nothing sent yet: links to other sites are notified when the post is live."
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
        '<p><a href="{}?post__id__exact={}">Open in the list of outgoing linkbacks</a></p>',
        header,
        body,
        changelist,
        post.pk,
    )


class SendLinkbacksMixin:
    """For the post admin: notify linked pages after a save or "Publish now"; show outcomes."""

    linkbacks_fieldset = ("Linkbacks sent", {"fields": ["linkbacks_sent"]})

    @admin.display(description="Outcomes")
    def linkbacks_sent(self, obj):
        return outcomes_panel(obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "linkbacks_sent"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        return [*fieldsets, self.linkbacks_fieldset] if obj is not None else fieldsets

    def entries_published(self, request, entries):
        super().entries_published(request, entries)
        for post in entries:
            notify_linked_sites(post)


@admin.register(OutgoingLinkback)
class OutgoingLinkbackAdmin(admin.ModelAdmin):
    list_display = [
        "target_url",
        "post",
        "protocol",
        "status",
        "attempts",
        "next_retry_at",
        "sent_at",
    ]
    list_filter = ["status", "protocol"]
    list_select_related = ["post"]
    search_fields = ["target_url", "endpoint", "post__title"]
    actions = ["send_again"]
    fields = [
        "post",
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

    # The outcomes belong to the posts: whoever may see posts may see them.
    def has_module_permission(self, request):
        return request.user.has_perm("clusters.view_post")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("clusters.view_post")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return request.user.has_perm("clusters.change_post")

    @admin.action(description="Send the selected linkbacks again now", permissions=["send"])
    def send_again(self, request, queryset):
        count = retry(queryset)
        self.message_user(request, f"{count} linkback(s) queued.")


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
