"""The pages the links in discussion mail open, and the self-service privacy pages.

Every link is a signed token (``tokens``); a GET only ever shows a page with a button, and the
button's POST acts, so a mail scanner that follows links changes nothing. A link that cannot be
used gets ``notifications/link_problem.html`` with a sentence saying why, never an error page.
"""

from __future__ import annotations

import hashlib
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from comments import antispam, privacy, services
from comments.models import Comment, DiscussionSettings
from comments.notifications import subscriptions, tasks, tokens
from comments.notifications.forms import EmailForm, ErasureForm, MailPreferenceForm
from comments.notifications.models import MailPreference, Subscription
from comments.notifications.notify import MODERATION_ACTIONS
from comments.reasons import reason

ADMIN_LOGIN = reverse_lazy("admin:login")
# Self-service links by mail: at most this many requests an hour per address and per client.
PRIVACY_REQUESTS_PER_EMAIL = 3
PRIVACY_REQUESTS_PER_IP = 10


def _problem(request, message: str, *, status: int = 400, hint: str = "", hint_url: str = ""):
    """Render the page of a link that cannot be used.

    Templates: ``notifications/link_problem.html``.
    Context: ``message``, ``hint`` and ``hint_url`` (what to do instead, if anything).
    """
    context = {"message": message, "hint": hint, "hint_url": hint_url}
    return render(request, "notifications/link_problem.html", context, status=status)


def _new_link_hint() -> dict:
    return {
        "hint": _("Ask for a new link to your subscriptions and data"),
        "hint_url": reverse("notifications:privacy_request"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def moderate(request, token):
    """Show a held comment and the one action its mail link names; the POST does it.

    Templates: ``notifications/moderate.html``.
    Context: ``comment``, ``target``, ``action`` (the label), ``status`` (the status it sets).
    """
    queue = {
        "hint": _("Open the comment queue"),
        "hint_url": reverse("admin:comments_comment_changelist"),
    }
    try:
        payload = tokens.read(tokens.MODERATE, token)
    except tokens.TokenError as error:
        return _problem(request, error.message, **queue)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=ADMIN_LOGIN)
    if not request.user.has_perm("comments.can_moderate"):
        return _problem(request, _("Only moderators can use this link."), status=403)
    if payload.get("u") != request.user.pk:
        message = _(
            "This link was sent to another moderator: each moderator's links are their own."
        )
        return _problem(request, message, status=403, **queue)
    if payload.get("a") not in MODERATION_ACTIONS:
        return _problem(request, tokens.TokenError.message)
    status, label, done, already = MODERATION_ACTIONS[payload["a"]]
    comment = Comment.objects.filter(pk=payload.get("c")).first()
    if comment is None:
        return _problem(request, _("This comment no longer exists."), status=404, **queue)

    if request.method == "POST":
        try:
            with transaction.atomic():
                tokens.spend(tokens.MODERATE, payload)
                changed = services.comment_set_status(
                    comment=comment,
                    status=status,
                    by=request.user,
                    reasons=[reason("mail_link")],
                )
        except tokens.TokenUsed as error:
            return _problem(request, error.message, **queue)
        if changed:
            messages.success(request, done % {"pk": comment.pk, "author": comment.author_name})
        else:
            messages.info(request, already % {"pk": comment.pk})
        return redirect("admin:comments_comment_changelist")

    context = {
        "comment": comment,
        "target": comment.content_object,
        "action": label,
        "status": status,
    }
    return render(request, "notifications/moderate.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Show the subscriptions a confirmation link names; the POST confirms them.

    Templates: ``notifications/confirm.html``.
    Context: ``subscriptions``, ``confirmed`` (True after the POST), ``manage_url``.
    """
    try:
        payload = tokens.read(tokens.CONFIRM, token)
    except tokens.TokenError as error:
        return _problem(request, error.message, **_new_link_hint())
    found = subscriptions.from_token(payload)
    if not found:
        return _problem(request, _("These subscriptions no longer exist."), status=404)
    if request.method == "POST":
        subscriptions.confirm(found)
    context = {
        "subscriptions": found,
        "confirmed": all(subscription.is_confirmed for subscription in found),
        "manage_url": subscriptions.manage_url(found[0].email),
    }
    return render(request, "notifications/confirm.html", context)


# RFC 8058: a mail client's one-click POST comes without cookies or a CSRF token; the signed
# token in the address is the proof, and it can only end mail, never start any.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Show what a one-click unsubscribe link ends; the POST (a button, or a mail client) ends it.

    Templates: ``notifications/unsubscribe.html``.
    Context: ``what`` (a sentence fragment), ``done`` (True after the POST), ``manage_url``.
    """
    try:
        payload = tokens.read(tokens.UNSUBSCRIBE, token)
    except tokens.TokenError as error:
        return _problem(request, error.message, **_new_link_hint())
    context = {"done": request.method == "POST", "manage_url": ""}
    if "u" in payload:
        user = get_user_model().objects.filter(pk=payload["u"]).first()
        if user is None or payload.get("p") not in subscriptions.OPT_OUTS:
            return _problem(
                request, _("This link is for an account that no longer exists."), status=404
            )
        context["what"] = subscriptions.OPT_OUTS[payload["p"]][2]
        if request.method == "POST":
            subscriptions.opt_out(user, payload["p"])
    else:
        found = subscriptions.from_token(payload)
        context["what"] = "; ".join(subscription.describe() for subscription in found)
        if request.method == "POST":
            Subscription.objects.filter(pk__in=[s.pk for s in found]).delete()
        if found:
            context["manage_url"] = subscriptions.manage_url(found[0].email)
    return render(request, "notifications/unsubscribe.html", context)


def _posted_id(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """List an address's subscriptions, each with a button that ends (or confirms) it.

    The link came by mail to the address, so a subscription waiting for confirmation can be
    confirmed here too, with its own button.

    Templates: ``notifications/manage.html``.
    Context: ``email``, ``subscriptions``, ``privacy_url``.
    """
    try:
        payload = tokens.read(tokens.MANAGE, token)
    except tokens.TokenError as error:
        return _problem(request, error.message, **_new_link_hint())
    email = subscriptions.email_from_token(payload)
    owned = Subscription.objects.for_email(email)
    if request.method == "POST" and "confirm" in request.POST:
        subscriptions.confirm(list(owned.filter(pk=_posted_id(request, "confirm"))))
        messages.success(request, _("Subscription confirmed."))
        return redirect(request.path)
    if request.method == "POST":
        chosen = owned if "all" in request.POST else owned.filter(pk=_posted_id(request, "end"))
        ended = chosen.delete()[0]
        message = ngettext("%(count)d subscription ended.", "%(count)d subscriptions ended.", ended)
        messages.success(request, message % {"count": ended})
        return redirect(request.path)
    context = {
        "email": email,
        "subscriptions": list(owned.with_targets().order_by("kind", "created_at")),
        "privacy_url": reverse("notifications:privacy_request"),
    }
    return render(request, "notifications/manage.html", context)


def _over_limit(key: str, limit: int) -> bool:
    # Keys are hashed: the cache (Redis in production) need not hold addresses.
    hashed = hashlib.sha256(key.encode()).hexdigest()
    return antispam.over_limit(f"privacy-request:{hashed}", limit=limit, window=3600)


@never_cache
@require_http_methods(["GET", "POST"])
def privacy_request(request):
    """Ask for the link to one's data by e-mail; the answer never says whether we hold any.

    Templates: ``notifications/privacy_request.html``.
    Context: ``form``, ``sent`` (True once a request was taken).
    """
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = privacy.normalise(form.cleaned_data["email"])
        ip = antispam.client_ip(request.META) or "unknown"
        limited = _over_limit(f"ip:{ip}", PRIVACY_REQUESTS_PER_IP) or _over_limit(
            f"email:{email}", PRIVACY_REQUESTS_PER_EMAIL
        )
        if not limited:
            # Whether the address is known is found out in a task: the answer, and the time it
            # takes, are the same for any address.
            transaction.on_commit(
                partial(tasks.mail_privacy_link.enqueue, email, request.LANGUAGE_CODE), robust=True
            )
        return redirect(f"{reverse('notifications:privacy_request')}?sent=1")
    context = {"form": form, "sent": request.GET.get("sent") == "1"}
    return render(request, "notifications/privacy_request.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def privacy_page(request, token):
    """Show what we hold about an address, with its download and erasure buttons.

    POST ``action=export`` downloads the JSON; ``action=erase`` with the box ticked erases, once.

    Templates: ``notifications/privacy.html``, then ``notifications/privacy_erased.html``.
    Context: ``email``, ``comment_count``, ``subscription_count``, ``removes`` (the erasure
    mode removes comments), ``manage_url``, ``form``; after erasing, ``erasure``.
    """
    try:
        payload = tokens.read(tokens.PRIVACY, token)
    except tokens.TokenError as error:
        return _problem(request, error.message, **_new_link_hint())
    email = str(payload.get("e", ""))
    form = ErasureForm()
    if request.method == "POST" and request.POST.get("action") == "export":
        filename = f"{slugify(settings.SITE_NAME)}-personal-data-{timezone.localdate()}.json"
        return privacy.json_download(privacy.export(email), filename)
    if request.method == "POST" and request.POST.get("action") == "erase":
        form = ErasureForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    tokens.spend(tokens.PRIVACY, payload)
                    erasure = privacy.erase(email)
            except tokens.TokenUsed as error:
                return _problem(request, error.message, **_new_link_hint())
            return render(request, "notifications/privacy_erased.html", {"erasure": erasure})
    removes = DiscussionSettings.load().erasure_mode == DiscussionSettings.ErasureMode.REMOVE
    context = {
        "email": email,
        "comment_count": privacy.comments_of(email).count(),
        "subscription_count": Subscription.objects.for_email(email).count(),
        "removes": removes,
        "manage_url": subscriptions.manage_url(email),
        "form": form,
    }
    return render(request, "notifications/privacy.html", context)


@login_required(login_url=ADMIN_LOGIN)
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Let a staff member choose their moderation mail and mail about their posts.

    Templates: ``notifications/preferences.html``. Context: ``form``.
    """
    form = MailPreferenceForm(
        request.POST or None,
        instance=MailPreference.for_user(request.user),
        can_moderate=request.user.has_perm("comments.can_moderate"),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
