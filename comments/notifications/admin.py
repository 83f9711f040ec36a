"""Staff tools: a person's data from the comment admin, subscriptions, the outbox, preferences."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import privacy
from comments.models import DiscussionSettings
from comments.notifications import tasks
from comments.notifications.models import (
    MailPreference,
    OutgoingMail,
    PersonalDataSettings,
    Subscription,
)


def export_response(emails: list[str]) -> JsonResponse:
    """Return a JSON download of everything stored about each of ``emails``."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "people": [privacy.export(email) for email in emails],
    }
    return privacy.json_download(data, f"personal-data-{timezone.localdate()}.json")


def erase_after_confirmation(model_admin, request, queryset, emails: list[str]):
    """Ask "are you sure?" on a page of its own; erase each of ``emails`` once confirmed."""
    if request.POST.get("confirm") == "yes":
        for email in emails:
            erasure = privacy.erase(email)
            model_admin.message_user(
                request,
                _("Erased %(email)s: %(summary)s.") % {"email": email, "summary": erasure.summary},
                messages.SUCCESS,
            )
        return None
    discussion = DiscussionSettings.load()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Erase personal data"),
        "opts": model_admin.model._meta,
        "emails": emails,
        "selected": queryset.values_list("pk", flat=True),
        "action": request.POST.get("action", ""),
        "erasure_mode": discussion.get_erasure_mode_display(),
    }
    return TemplateResponse(request, "notifications/admin/erase_confirm.html", context)


def _emails(values) -> list[str]:
    return sorted({privacy.normalise(email) for email in values if email and email.strip()})


class PersonalDataAdminMixin:
    """The comment admin's personal-data actions, and when IP addresses were forgotten."""

    def _people(self, request, queryset) -> list[str]:
        emails = _emails(queryset.values_list("author_email", flat=True))
        if not emails:
            self.message_user(
                request, _("None of the selected comments has an e-mail address."), messages.WARNING
            )
        return emails

    @admin.action(
        description=_("Export the personal data of the selected comments’ authors"),
        permissions=["moderate"],
    )
    def export_personal_data(self, request, queryset):
        if emails := self._people(request, queryset):
            return export_response(emails)
        return None

    @admin.action(
        description=_("Erase the personal data of the selected comments’ authors"),
        permissions=["delete"],
    )
    def erase_personal_data(self, request, queryset):
        if emails := self._people(request, queryset):
            return erase_after_confirmation(self, request, queryset, emails)
        return None

    def _forgotten(self, obj) -> str:
        # Both fields below ask on the same page: the retention setting is read once.
        if not hasattr(obj, "_forgotten_note"):
            days = privacy.forgotten_after(obj)
            obj._forgotten_note = (
                ngettext("forgotten after %(count)d day", "forgotten after %(count)d days", days)
                % {"count": days}
                if days
                else "—"
            )
        return obj._forgotten_note

    @admin.display(description=_("IP address"))
    def ip_or_forgotten(self, obj):
        return obj.ip_address or self._forgotten(obj)

    @admin.display(description=_("user agent"))
    def agent_or_forgotten(self, obj):
        return obj.user_agent or self._forgotten(obj)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "describe", "confirmed_at", "created_at"]
    list_filter = ["kind", ("confirmed_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = ["email", "kind", "describe", "comment", "created_at", "confirmed_at"]
    readonly_fields = fields
    actions = ["export_personal_data", "erase_personal_data"]

    def has_add_permission(self, request):
        # Only their owners subscribe, by confirming a link; staff can end subscriptions.
        return False

    def get_queryset(self, request):
        # The "what" column names what each subscription is about: fetched with the list.
        return super().get_queryset(request).with_targets()

    @admin.display(description=_("what"))
    def describe(self, obj):
        return obj.describe()

    @admin.action(
        description=_("Export the personal data of the selected subscribers"), permissions=["view"]
    )
    def export_personal_data(self, request, queryset):
        return export_response(_emails(queryset.values_list("email", flat=True)))

    @admin.action(
        description=_("Erase the personal data of the selected subscribers"), permissions=["delete"]
    )
    def erase_personal_data(self, request, queryset):
        emails = _emails(queryset.values_list("email", flat=True))
        return erase_after_confirmation(self, request, queryset, emails)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "to", "kind", "subject", "status", "attempts", "last_error", "created_at",
        "next_attempt_at", "sent_at", "body_text",
    ]  # fmt: skip
    fields = readonly_fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected unsent mail again"), permissions=["change"])
    def send_again(self, request, queryset):
        # A mail still queued is safe to queue twice: ``deliver`` claims each attempt.
        unsent = list(queryset.exclude(status=OutgoingMail.Status.SENT))
        for outgoing in unsent:
            outgoing.status = OutgoingMail.Status.QUEUED
            outgoing.attempts = 0
            outgoing.save(update_fields=["status", "attempts"])
        tasks.dispatch(unsent)
        queued = ngettext(
            "%(count)d mail queued again.", "%(count)d mails queued again.", len(unsent)
        )
        self.message_user(request, queued % {"count": len(unsent)}, messages.SUCCESS)


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "moderation", "comments_on_my_posts", "last_digest_at"]
    list_filter = ["moderation", "comments_on_my_posts"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(PersonalDataSettings)
class PersonalDataSettingsAdmin(admin.ModelAdmin):
    fields = ["erasure_mode", "ip_retention_days"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row, shared with the discussion settings: the list is the form.
        PersonalDataSettings.objects.get_or_create(pk=1)
        return redirect("admin:notifications_personaldatasettings_change", 1)
