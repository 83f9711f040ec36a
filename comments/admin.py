"""The moderators' side: the comment queue, its bulk actions, replies, history and settings."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from comments import services
from comments.forms import WebURLField
from comments.models import MAX_URL_LENGTH, Comment, CommentStatusChange, DiscussionSettings
from comments.notifications.admin import PersonalDataAdminMixin

Status = Comment.Status


class StatusFilter(admin.SimpleListFilter):
    """Filter by status, with a count for each; no choice made means the pending queue."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(Count("pk")))
        choices = [(status.value, f"{status.label} ({counts.get(status, 0)})") for status in Status]
        return [*choices, (self.ALL, f"All ({sum(counts.values())})")]

    def selected(self) -> str:
        return self.value() or Status.PENDING

    def queryset(self, request, queryset):
        if self.selected() == self.ALL:
            return queryset
        return queryset.filter(status=self.selected())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.selected() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class CommentStatusChangeInline(admin.TabularInline):
    model = CommentStatusChange
    fields = ["at", "by", "old_status", "new_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommentAdminForm(forms.ModelForm):
    author_url = WebURLField(label="Website", max_length=MAX_URL_LENGTH, required=False)
    set_status = forms.ChoiceField(
        label="Change status to",
        required=False,
        choices=[("", "— keep —"), *Status.choices],
    )
    reply = forms.CharField(
        label="Reply",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Published at once under this comment, in your name; approves the comment.",
    )

    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "author_url", "body"]


@admin.register(Comment)
class CommentAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    form = CommentAdminForm
    list_display = [
        "author",
        "auth_provider",
        "excerpt",
        "on_object",
        "status",
        "kind",
        "reasons",
        "created_at",
        "ip_address",
    ]
    list_display_links = ["excerpt"]
    list_filter = [
        StatusFilter,
        "kind",
        "auth_provider",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["author_name", "author_email", "ip_address", "body"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = [
        "approve",
        "unapprove",
        "mark_spam",
        "mark_not_spam",
        "move_to_trash",
        "restore",
        "delete_permanently",
        "export_personal_data",
        "erase_personal_data",
    ]
    inlines = [CommentStatusChangeInline]
    readonly_fields = [
        "on_object",
        "in_reply_to",
        "kind",
        "status",
        "reasons",
        "user",
        "auth_provider",
        "ip_or_forgotten",
        "agent_or_forgotten",
        "created_at",
    ]
    moderation_fieldset = ("Moderation", {"fields": ["set_status", "reply"]})
    fieldsets = [
        (None, {"fields": ["on_object", "in_reply_to", "kind", "status", "reasons"]}),
        (
            "Author",
            {"fields": ["author_name", "author_email", "author_url", "user", "auth_provider"]},
        ),
        (None, {"fields": ["body"]}),
        ("Sent from", {"fields": ["ip_or_forgotten", "agent_or_forgotten", "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("content_object")

    def has_add_permission(self, request):
        # Comments come from the site; moderators add theirs by replying to one.
        return False

    @staticmethod
    def can_moderate(request) -> bool:
        return request.user.has_perm("comments.can_moderate")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.can_moderate(request):
            fieldsets.insert(1, self.moderation_fieldset)
        return fieldsets

    def get_actions(self, request):
        # Django's own bulk delete would bypass the rule that only spam and trash are deleted.
        # The others are pruned by their ``permissions``: "moderate" asks has_moderate_permission.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_moderate_permission(self, request):
        return self.can_moderate(request)

    def changelist_view(self, request, extra_context=None):
        status = request.GET.get(StatusFilter.parameter_name) or Status.PENDING
        label = dict(Status.choices).get(status, "All")
        extra_context = {"title": f"{label} comments", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    # Columns
    # --------------------------------------------------------------------------

    @admin.display(description="author", ordering="author_name")
    def author(self, obj):
        return format_html(
            "{}<br><small>{}</small><br><small>{}</small>",
            obj.author_name or "Anonymous",
            obj.author_email,
            obj.author_url,
        )

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(" ".join(obj.body.split())).chars(120) or "(empty)"

    @admin.display(description="on")
    def on_object(self, obj):
        target = obj.content_object
        if target is None:
            return "(deleted)"
        return format_html(
            '<a href="{}#{}">{}</a> <small>({})</small>',
            target.get_absolute_url(),
            obj.anchor,
            target.title,
            target._meta.verbose_name,
        )

    @admin.display(description="in reply to")
    def in_reply_to(self, obj):
        if obj.parent_id is None:
            return "—"
        url = reverse("admin:comments_comment_change", args=[obj.parent_id])
        return format_html('<a href="{}">#{}</a>', url, obj.parent_id)

    @admin.display(description="reasons")
    def reasons(self, obj):
        if not obj.held_reasons:
            return "—"
        return format_html_join(", ", "{}", ((reason,) for reason in obj.held_reasons))

    # Saving, replying and changing status from the change form
    # --------------------------------------------------------------------------

    def _tell_about_ancestors(self, request, also):
        if also:
            self.message_user(
                request,
                "Also approved the comment(s) replied to: "
                + ", ".join(f"#{comment.pk} by {comment.author_name}" for comment in also)
                + ".",
                messages.INFO,
            )

    def save_model(self, request, obj, form, change):
        services.comment_edit(comment=obj, by=request.user)
        if not self.can_moderate(request):
            return
        if new_status := form.cleaned_data.get("set_status"):
            changed = services.comment_set_status(comment=obj, status=new_status, by=request.user)
            self._tell_about_ancestors(request, changed[1:])
        if reply := form.cleaned_data.get("reply", "").strip():
            try:
                staff_reply = services.comment_reply_as_staff(
                    parent=obj, user=request.user, body=reply
                )
            except services.CommentRejected as rejection:
                self.message_user(request, rejection.message, messages.ERROR)
            else:
                self.message_user(
                    request, f"Your reply #{staff_reply.pk} is published.", messages.SUCCESS
                )

    # Bulk actions: each comment goes through the service, as from the site
    # --------------------------------------------------------------------------

    def _apply(self, request, queryset, change, done):
        """Run ``change`` (a service call returning the comments it changed) on each comment."""
        moved, also = 0, []
        for comment in queryset:
            changed = change(comment)
            moved += bool(changed)
            also.extend(changed[1:])
        self.message_user(request, f"{moved} comment(s) {done}.", messages.SUCCESS)
        self._tell_about_ancestors(request, also)

    def _set_status(self, request, queryset, status, done):
        self._apply(
            request,
            queryset,
            lambda comment: services.comment_set_status(
                comment=comment, status=status, by=request.user
            ),
            done,
        )

    def _restore(self, request, queryset, done):
        self._apply(
            request,
            queryset,
            lambda comment: services.comment_restore(comment=comment, by=request.user),
            done,
        )

    @admin.action(description="Approve", permissions=["moderate"])
    def approve(self, request, queryset):
        self._set_status(request, queryset, Status.APPROVED, "approved")

    @admin.action(description="Unapprove", permissions=["moderate"])
    def unapprove(self, request, queryset):
        approved = queryset.filter(status=Status.APPROVED)
        self._set_status(request, approved, Status.PENDING, "unapproved")

    @admin.action(description="Mark as spam", permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Status.SPAM, "marked as spam")

    @admin.action(description="Not spam", permissions=["moderate"])
    def mark_not_spam(self, request, queryset):
        self._restore(request, queryset.filter(status=Status.SPAM), "restored from spam")

    @admin.action(description="Move to trash", permissions=["moderate"])
    def move_to_trash(self, request, queryset):
        self._set_status(request, queryset, Status.TRASH, "moved to trash")

    @admin.action(description="Restore from trash", permissions=["moderate"])
    def restore(self, request, queryset):
        self._restore(request, queryset.filter(status=Status.TRASH), "restored from trash")

    @admin.action(description="Delete permanently (spam and trash only)", permissions=["delete"])
    def delete_permanently(self, request, queryset):
        deleted = kept = 0
        for comment in queryset:
            try:
                services.comment_delete(comment=comment, by=request.user)
                deleted += 1
            except services.CommentRejected:
                kept += 1
        self.message_user(request, f"{deleted} comment(s) deleted permanently.", messages.SUCCESS)
        if kept:
            self.message_user(
                request,
                f"{kept} comment(s) kept: only spam and trash can be deleted permanently.",
                messages.WARNING,
            )


@admin.register(CommentStatusChange)
class CommentStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["comment", "old_status", "new_status", "by", "at", "note"]
    list_filter = ["new_status", "at"]
    search_fields = ["note", "comment__author_name"]
    list_select_related = ["comment", "by"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Default settings", {"fields": ["send_pings", "comments_open", "pings_open"]}),
        (
            "Other comment settings",
            {
                "fields": [
                    "require_name_email",
                    "require_sign_in",
                    "close_after_days",
                    "thread_depth",
                    "page_comments",
                    "comments_per_page",
                    "default_page",
                    "show_avatars",
                ]
            },
        ),
        ("Before a comment appears", {"fields": ["manual_approval", "auto_approve_known_authors"]}),
        ("Comment moderation", {"fields": ["hold_links", "moderation_words"]}),
        ("Disallowed comment keys", {"fields": ["disallowed_words"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list is the form.
        DiscussionSettings.objects.get_or_create(pk=1)
        return redirect("admin:comments_discussionsettings_change", 1)
