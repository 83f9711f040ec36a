"""The moderators' side: the comment queue, its bulk actions, replies, history and settings."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy, pgettext_lazy

from comments import registry, services
from comments.forms import WebURLField
from comments.models import MAX_URL_LENGTH, Comment, CommentStatusChange, DiscussionSettings
from comments.notifications.admin import PersonalDataAdminMixin
from comments.reasons import reason
from comments.rendering import find_links

Status = Comment.Status
# Where a Spam or Trash done without JavaScript leaves its Undo for the next page of the queue.
UNDO_SESSION_KEY = "comments_undo"
# The desk's keyboard, as WordPress's Comments screen has it; listed on the queue's page.
SHORTCUTS = [
    ("J", _("next comment")),
    ("K", _("previous comment")),
    ("A", _("approve")),
    ("U", _("unapprove")),
    ("S", _("mark as spam")),
    ("T", _("move to the trash")),
    ("Z", _("restore from spam or trash, or undo")),
    ("R", _("reply")),
    ("Q", _("quick edit")),
    ("E", _("edit on its own page")),
]
# The queue's title for each status filter.
QUEUE_TITLES = {
    Status.PENDING: _("Pending comments"),
    Status.APPROVED: _("Approved comments"),
    Status.SPAM: _("Spam comments"),
    Status.TRASH: _("Trash comments"),
}


def comment_named(comment: Comment) -> str:
    """Return how messages name a comment: "Comment #12 by Ann"."""
    return _("Comment #%(pk)s by %(author)s") % {
        "pk": comment.pk,
        "author": comment.author_name or _("Anonymous"),
    }


def also_approved(ancestors) -> str:
    """Return the message saying which comments replied to were approved as well."""
    return ngettext(
        "Also approved the comment replied to: %(comments)s.",
        "Also approved the comments replied to: %(comments)s.",
        len(ancestors),
    ) % {
        "comments": ", ".join(
            _("#%(pk)s by %(author)s") % {"pk": ancestor.pk, "author": ancestor.author_name}
            for ancestor in ancestors
        )
    }


class StatusFilter(admin.SimpleListFilter):
    """Filter by status, with a count for each; no choice made means the pending queue."""

    title = _("status")
    parameter_name = "status"
    template = "admin/comments/comment/status_filter.html"
    ALL = "all"

    def lookups(self, request, model_admin):
        self.counts = Comment.objects.status_counts()
        choices = [(status.value, status.label) for status in Status]
        return [*choices, (self.ALL, _("All"))]

    def selected(self) -> str:
        return self.value() or Status.PENDING

    def queryset(self, request, queryset):
        if self.selected() == self.ALL:
            return queryset
        return queryset.filter(status=self.selected())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            count = sum(self.counts.values()) if lookup == self.ALL else self.counts[lookup]
            yield {
                "selected": self.selected() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": f"{title} ({count})",
                "label": title,
                "status": lookup,
                "count": count,
            }


class OnObjectTypeFilter(admin.SimpleListFilter):
    """Filter by the kind of object commented on: the kinds registered, no query of comments."""

    title = _("object type")
    parameter_name = "content_type__id__exact"

    def lookups(self, request, model_admin):
        models = [entry.model for entry in registry.entries()]
        types = ContentType.objects.get_for_models(*models)
        return [(str(types[model].pk), model._meta.verbose_name) for model in models]

    def queryset(self, request, queryset):
        chosen = self.value()
        if chosen in dict(self.lookup_choices):
            return queryset.filter(content_type_id=chosen)
        return queryset


class SignedInWithFilter(admin.AllValuesFieldListFilter):
    """Filter by sign-in provider; comments without one are "not signed in", not a blank link."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": choice["display"] or _("Not signed in")}


@dataclass(frozen=True)
class RowAction:
    """A button on a comment of the queue: the statuses that offer it and its keyboard key."""

    name: str
    label: str
    key: str
    offered_for: frozenset[str]
    # What is said once done, of one comment ("%(comment)s approved.").
    done: str
    # The status it moves the comment to; None: back to where it was before spam or trash.
    status: str | None = None
    permission: str = "moderate"

    @property
    def offers_undo(self) -> bool:
        return self.status is not None and Status(self.status).is_removed


REMOVED = frozenset({Status.SPAM, Status.TRASH})
LIVE = frozenset({Status.PENDING, Status.APPROVED})
ROW_ACTIONS = [
    RowAction(
        "approve",
        _("Approve"),
        "a",
        frozenset({Status.PENDING}),
        _("%(comment)s approved."),
        Status.APPROVED,
    ),
    RowAction(
        "unapprove",
        _("Unapprove"),
        "u",
        frozenset({Status.APPROVED}),
        _("%(comment)s unapproved."),
        Status.PENDING,
    ),
    RowAction("spam", _("Spam"), "s", LIVE, _("%(comment)s marked as spam."), Status.SPAM),
    RowAction("trash", _("Trash"), "t", LIVE, _("%(comment)s moved to the trash."), Status.TRASH),
    RowAction(
        "not_spam",
        _("Not spam"),
        "z",
        frozenset({Status.SPAM}),
        _("%(comment)s restored from spam."),
    ),
    RowAction(
        "restore",
        _("Restore"),
        "z",
        frozenset({Status.TRASH}),
        _("%(comment)s restored from the trash."),
    ),
    RowAction(
        "delete",
        _("Delete permanently"),
        "",
        REMOVED,
        _("%(comment)s deleted permanently."),
        None,
        "delete",
    ),
]
# Offered only by the message that follows Spam or Trash.
UNDO = RowAction("undo", _("Undo"), "z", REMOVED, _("%(comment)s put back where it was."))
ACTIONS = {action.name: action for action in [*ROW_ACTIONS, UNDO]}


def wants_json(request) -> bool:
    """Return True for the desk's scripts, which ask for JSON; a plain form post gets a page."""
    return request.headers.get("Accept", "").startswith("application/json")


class QuickEditForm(forms.ModelForm):
    """What a moderator may correct in a comment: its author and its text."""

    author_url = WebURLField(label=_("Website"), max_length=MAX_URL_LENGTH, required=False)

    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "author_url", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def clean_author_email(self):
        # Lower-case, as comment_submit stores it, so that "is this author known?" still matches.
        return self.cleaned_data["author_email"].lower()


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))


class CommentAdminForm(QuickEditForm):
    set_status = forms.ChoiceField(
        label=_("Change status to"),
        required=False,
        choices=[("", _("— keep —")), *Status.choices],
    )
    reply = forms.CharField(
        label=_("Reply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published at once under this comment, in your name; approves the comment."),
    )

    class Meta(QuickEditForm.Meta):
        widgets = {}


@admin.register(Comment)
class CommentAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    form = CommentAdminForm
    # The queue draws its own rows (change_list.html); the columns only order and search it.
    list_display = ["author_name", "created_at"]
    list_filter = [
        StatusFilter,
        "kind",
        ("auth_provider", SignedInWithFilter),
        OnObjectTypeFilter,
        "created_at",
    ]
    search_fields = ["author_name", "author_email", "ip_address", "body"]
    list_per_page = 50
    # The status filter counts every status already; no second count of the whole table.
    show_full_result_count = False
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
        "reports",
        "history",
    ]
    moderation_fieldset = (_("Moderation"), {"fields": ["set_status", "reply"]})
    fieldsets = [
        (None, {"fields": ["on_object", "in_reply_to", "kind", "status", "reasons"]}),
        (
            _("Author"),
            {"fields": ["author_name", "author_email", "author_url", "user", "auth_provider"]},
        ),
        (None, {"fields": ["body"]}),
        (_("Sent from"), {"fields": ["ip_or_forgotten", "agent_or_forgotten", "created_at"]}),
        (_("Reports"), {"fields": ["reports"]}),
        (_("History"), {"fields": ["history"]}),
    ]

    class Media:
        css = {"all": ["comments/admin/desk.css"]}
        js = ["comments/admin/desk.js"]

    def get_queryset(self, request):
        # Everything a row shows, in one query (plus one per kind of object commented on).
        return (
            super()
            .get_queryset(request)
            .with_approved_from_author()
            .with_report_count()
            .prefetch_related("content_object")
        )

    def has_add_permission(self, request):
        # Comments come from the site; moderators add theirs by replying to one.
        return False

    def has_delete_permission(self, request, obj=None):
        # Only spam and trash can be deleted (services.comment_delete): no "Delete" elsewhere.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or Status(obj.status).is_removed)

    def get_deleted_objects(self, objs, request):
        # A comment's history goes with it; nobody may delete history rows on their own.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(CommentStatusChange._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj, by=request.user)

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

    def get_urls(self):
        def view(function, name):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(function),
                name=f"comments_comment_{name.replace('-', '_')}",
            )

        return [
            view(self.moderate_view, "moderate"),
            view(self.reply_view, "reply"),
            view(self.quick_edit_view, "quick-edit"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        status = request.GET.get(StatusFilter.parameter_name) or Status.PENDING
        extra_context = {
            "title": QUEUE_TITLES.get(status, _("All comments")),
            "undo": request.session.pop(UNDO_SESSION_KEY, None),
            "shortcuts": SHORTCUTS,
            **(extra_context or {}),
        }
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if "cl" in context:
            selectable = bool(context.get("action_form"))
            context["queue_rows"] = [
                self.queue_row(request, comment, selectable=selectable)
                for comment in context["cl"].result_list
            ]
        return response

    # The queue's rows
    # --------------------------------------------------------------------------

    def may(self, request, action: RowAction, comment: Comment) -> bool:
        if action.permission == "delete":
            return self.has_delete_permission(request, comment)
        return self.can_moderate(request)

    def queue_row(self, request, comment: Comment, *, selectable: bool) -> dict:
        """Return what the queue shows of ``comment`` and what the moderator may do to it."""
        removed = Status(comment.status).is_removed
        target = comment.content_object
        return {
            "selectable": selectable,
            "comment": comment,
            "actions": [
                action
                for action in ROW_ACTIONS
                if comment.status in action.offered_for and self.may(request, action, comment)
            ],
            "can_reply": self.can_moderate(request) and not removed and not comment.is_linkback,
            "can_edit": self.has_change_permission(request, comment),
            "excerpt": Truncator(comment.body).chars(300),
            "links": find_links(comment.body),
            "target": target,
            "target_kind": target._meta.verbose_name if target is not None else "",
        }

    def render_row(self, request, pk: int) -> str:
        comment = self.get_queryset(request).filter(pk=pk).first()
        if comment is None:
            return ""
        return render_to_string(
            "admin/comments/comment/queue_row.html",
            {
                "row": self.queue_row(request, comment, selectable=bool(self.get_actions(request))),
                "next": self._next_url(request),
            },
            request=request,
        )

    def _answer(self, request, comment_pk: int, message: str, *, level=messages.SUCCESS, **extra):
        """Tell the desk's script what changed, or a plain page what to show after a redirect."""
        if wants_json(request):
            return JsonResponse(
                {
                    "message": message,
                    "level": messages.DEFAULT_TAGS[level],
                    "row": self.render_row(request, comment_pk),
                    "counts": Comment.objects.status_counts(),
                    **extra,
                },
                status=400 if level == messages.ERROR else 200,
            )
        self.message_user(request, message, level)
        return redirect(self._next_url(request))

    def _next_url(self, request) -> str:
        url = request.POST.get("next") or request.GET.get("next", "")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return reverse("admin:comments_comment_changelist")

    def _get_comment(self, request, pk) -> Comment:
        comment = self.get_object(request, str(pk))
        if comment is None:
            raise Http404(_("No such comment."))
        return comment

    def moderate_view(self, request, pk):
        """Approve, unapprove, spam, trash, restore, undo or delete one comment (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self._get_comment(request, pk)
        action = ACTIONS.get(request.POST.get("do", ""))
        if action is None:
            return HttpResponseBadRequest(_("Unknown moderation action."))
        if not self.may(request, action, comment):
            raise PermissionDenied
        who = comment_named(comment)
        if comment.status not in action.offered_for:
            # Someone else moved it meanwhile: show where it stands now.
            now = _("%(comment)s is %(status)s now.") % {
                "comment": who,
                "status": Status(comment.status).label.lower(),
            }
            return self._answer(request, pk, now, level=messages.WARNING, done=False)
        try:
            changed = self._perform(action, comment, request.user)
        except services.CommentRejected as rejection:
            return self._answer(request, pk, rejection.message, level=messages.ERROR)
        message = action.done % {"comment": who}
        if also := changed[1:]:
            message = f"{message} {also_approved(also)}"
        if action.offers_undo and not wants_json(request):
            request.session[UNDO_SESSION_KEY] = {"pk": comment.pk, "message": message}
            return redirect(self._next_url(request))
        return self._answer(
            request,
            pk,
            message,
            done=True,
            status=comment.status if action.name != "delete" else "",
            undo=action.offers_undo,
        )

    @staticmethod
    def _perform(action: RowAction, comment: Comment, user) -> list[Comment]:
        if action.name == "delete":
            services.comment_delete(comment=comment, by=user)
            return [comment]
        if action.status is None:
            reasons = [reason("undone")] if action is UNDO else []
            return services.comment_restore(comment=comment, by=user, reasons=reasons)
        return services.comment_set_status(comment=comment, status=action.status, by=user)

    def _form_page(self, request, comment, form, *, title, submit_label, hint=""):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "comment": comment,
            "form": form,
            "next": self._next_url(request),
            "media": self.media + form.media,
            "submit_label": submit_label,
            "hint": hint,
        }
        return TemplateResponse(request, "admin/comments/comment/desk_form.html", context)

    def _form_errors(self, request, comment, form, **page):
        if wants_json(request):
            errors = "; ".join(error for errors in form.errors.values() for error in errors)
            return self._answer(request, comment.pk, errors, level=messages.ERROR)
        return self._form_page(request, comment, form, **page)

    def reply_view(self, request, pk):
        """Reply to a comment in the moderator's name: a page without JavaScript, JSON with it."""
        comment = self._get_comment(request, pk)
        if not self.can_moderate(request):
            raise PermissionDenied
        page = {
            "title": _("Reply to comment #%(pk)s") % {"pk": comment.pk},
            "submit_label": _("Reply"),
            "hint": _(
                "Published at once under the comment, in your name; approves it if it waits."
            ),
        }
        form = ReplyForm(request.POST or None)
        if request.method != "POST" or not form.is_valid():
            return self._form_errors(request, comment, form, **page)
        try:
            reply = services.comment_reply_as_staff(
                parent=comment,
                user=request.user,
                body=form.cleaned_data["body"],
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except services.CommentRejected as rejection:
            form.add_error("body", rejection.message)
            return self._form_errors(request, comment, form, **page)
        return self._answer(
            request,
            pk,
            _("Your reply #%(pk)s is published.") % {"pk": reply.pk},
            done=True,
            reply=reply.pk,
        )

    def quick_edit_view(self, request, pk):
        """Correct a comment's author and text: a page without JavaScript, JSON with it."""
        comment = self._get_comment(request, pk)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        page = {
            "title": _("Quick edit comment #%(pk)s") % {"pk": comment.pk},
            "submit_label": _("Save"),
        }
        if request.method != "POST":
            if wants_json(request):
                fields = QuickEditForm.Meta.fields
                return JsonResponse({field: getattr(comment, field) for field in fields})
            return self._form_page(request, comment, QuickEditForm(instance=comment), **page)
        form = QuickEditForm(request.POST, instance=comment)
        if not form.is_valid():
            return self._form_errors(request, comment, form, **page)
        services.comment_edit(comment=form.instance, by=request.user)
        saved = _("Comment #%(pk)s saved.") % {"pk": comment.pk}
        return self._answer(request, pk, saved, done=True)

    # Columns of the change page
    # --------------------------------------------------------------------------

    @admin.display(description=pgettext_lazy("the object a comment is on", "on"))
    def on_object(self, obj):
        target = obj.content_object
        if target is None:
            return _("(deleted)")
        return format_html(
            '<a href="{}#{}">{}</a> <small>({})</small>',
            target.get_absolute_url(),
            obj.anchor,
            target.title,
            target._meta.verbose_name,
        )

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, obj):
        if obj.parent_id is None:
            return "—"
        url = reverse("admin:comments_comment_change", args=[obj.parent_id])
        return format_html('<a href="{}">{}</a>', url, _("comment #%(pk)s") % {"pk": obj.parent_id})

    @admin.display(description=_("reported by visitors"))
    def reports(self, obj):
        dates = [
            date_format(localtime(report.at), "DATETIME_FORMAT") for report in obj.reports.all()
        ]
        if not dates:
            return _("None")
        return ngettext(
            "%(count)d visitor: %(dates)s", "%(count)d visitors: %(dates)s", len(dates)
        ) % {
            "count": len(dates),
            "dates": "; ".join(dates),
        }

    @admin.display(description=_("changes of status"))
    def history(self, obj):
        # A table of its own, not an inline: read-only, with a header for every column.
        changes = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(localtime(change.at), "DATETIME_FORMAT"),
                    change.by or _("the site"),
                    change.get_old_status_display()
                    or pgettext_lazy("status of a new comment", "new"),
                    change.get_new_status_display(),
                    change.note_text() or "—",
                )
                for change in obj.status_changes.select_related("by")
            ),
        )
        if not changes:
            return "—"
        return format_html(
            '<table class="comment-history"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("When"),
            _("By"),
            _("From"),
            _("To"),
            _("Note"),
            changes,
        )

    @admin.display(description=_("reasons"))
    def reasons(self, obj):
        if not obj.held_reasons:
            return "—"
        return format_html_join(", ", "{}", ((text,) for text in obj.held_reason_texts()))

    # Saving, replying and changing status from the change form
    # --------------------------------------------------------------------------

    def _tell_about_ancestors(self, request, also):
        if also:
            self.message_user(request, also_approved(also), messages.INFO)

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
                published = _("Your reply #%(pk)s is published.") % {"pk": staff_reply.pk}
                self.message_user(request, published, messages.SUCCESS)

    # Bulk actions: all the comments chosen go through the service at once
    # --------------------------------------------------------------------------

    def _set_status(self, request, queryset, status, done):
        """Move the comments of ``queryset`` to ``status`` (the restore status of each if None).

        ``done`` says it of a number of comments (``ngettext_lazy`` counting ``count``).
        """
        ids = set(queryset.order_by().values_list("pk", flat=True))
        if status is None:
            groups = {}
            for comment in Comment.objects.filter(pk__in=ids).only("status_before_removal"):
                groups.setdefault(comment.restore_status(), []).append(comment.pk)
        else:
            groups = {status: ids}
        changed = []
        for new, pks in groups.items():
            changed += services.comments_set_status(pks, new, by=request.user)
        moved = sum(comment.pk in ids for comment in changed)
        self.message_user(request, done % {"count": moved}, messages.SUCCESS)
        self._tell_about_ancestors(request, [c for c in changed if c.pk not in ids])

    @admin.action(description=_("Approve"), permissions=["moderate"])
    def approve(self, request, queryset):
        done = ngettext_lazy("%(count)d comment approved.", "%(count)d comments approved.", "count")
        self._set_status(request, queryset, Status.APPROVED, done)

    @admin.action(description=_("Unapprove"), permissions=["moderate"])
    def unapprove(self, request, queryset):
        approved = queryset.filter(status=Status.APPROVED)
        done = ngettext_lazy(
            "%(count)d comment unapproved.", "%(count)d comments unapproved.", "count"
        )
        self._set_status(request, approved, Status.PENDING, done)

    @admin.action(description=_("Mark as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        done = ngettext_lazy(
            "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"
        )
        self._set_status(request, queryset, Status.SPAM, done)

    @admin.action(description=_("Not spam"), permissions=["moderate"])
    def mark_not_spam(self, request, queryset):
        done = ngettext_lazy(
            "%(count)d comment restored from spam.",
            "%(count)d comments restored from spam.",
            "count",
        )
        self._set_status(request, queryset.filter(status=Status.SPAM), None, done)

    @admin.action(description=_("Move to trash"), permissions=["moderate"])
    def move_to_trash(self, request, queryset):
        done = ngettext_lazy(
            "%(count)d comment moved to trash.", "%(count)d comments moved to trash.", "count"
        )
        self._set_status(request, queryset, Status.TRASH, done)

    @admin.action(description=_("Restore from trash"), permissions=["moderate"])
    def restore(self, request, queryset):
        done = ngettext_lazy(
            "%(count)d comment restored from trash.",
            "%(count)d comments restored from trash.",
            "count",
        )
        self._set_status(request, queryset.filter(status=Status.TRASH), None, done)

    @admin.action(description=_("Delete permanently (spam and trash only)"), permissions=["delete"])
    def delete_permanently(self, request, queryset):
        deleted = kept = 0
        for comment in queryset:
            try:
                services.comment_delete(comment=comment, by=request.user)
                deleted += 1
            except services.CommentRejected:
                kept += 1
        done = ngettext(
            "%(count)d comment deleted permanently.",
            "%(count)d comments deleted permanently.",
            deleted,
        )
        self.message_user(request, done % {"count": deleted}, messages.SUCCESS)
        if kept:
            refused = ngettext(
                "%(count)d comment kept: only spam and trash can be deleted permanently.",
                "%(count)d comments kept: only spam and trash can be deleted permanently.",
                kept,
            )
            self.message_user(request, refused % {"count": kept}, messages.WARNING)


@admin.register(CommentStatusChange)
class CommentStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["comment", "old_status", "new_status", "by", "at", "why"]
    list_filter = ["new_status", "at"]
    # The words of a reason are found as stored: a moderation word, a host, a number.
    search_fields = ["note", "reasons", "comment__author_name"]
    list_select_related = ["comment", "by"]
    date_hierarchy = "at"
    fields = readonly_fields = ["comment", "old_status", "new_status", "by", "at", "why"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Note"))
    def why(self, obj):
        return obj.note_text()


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (_("Default settings"), {"fields": ["send_pings", "comments_open", "pings_open"]}),
        (
            _("Other comment settings"),
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
        (
            _("Before a comment appears"),
            {"fields": ["manual_approval", "auto_approve_known_authors"]},
        ),
        (
            _("Comment moderation"),
            {"fields": ["hold_links", "moderation_words", "reports_to_hold"]},
        ),
        (_("Disallowed comment keys"), {"fields": ["disallowed_words"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list is the form.
        DiscussionSettings.objects.get_or_create(pk=1)
        return redirect("admin:comments_discussionsettings_change", 1)
