"""Posting a comment from the site, and comment permalinks."""

import functools

from django.conf import settings as django_settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from comments import antispam, services
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from comments.notifications import events as notifications
from comments.selectors import (
    PENDING_COOKIE,
    PENDING_COOKIE_MAX_AGE,
    PENDING_COOKIE_SALT,
    comment_location,
    pending_cookie_value,
    pending_ids_from,
)
from comments.signin.accounts import auth_provider_of


def in_form_language(view):
    """Answer at an address shared by every language in the language of the page it came from.

    A form says which in a hidden ``language`` (the comment remembers it for its mail), a
    permalink in a mail in ``?language=``.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = (request.POST if request.method == "POST" else request.GET).get("language", "")
        if language not in dict(django_settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return view(request, *args, **kwargs)

    return wrapper


def _form_page(request, form, *, message="", status=400, reply_to=None):
    """Show the form again on a page of its own, with the message and all that was typed.

    Templates: ``comments/form_page.html``.
    Context: ``form``, ``message``, ``target`` (None when the form named no valid object),
    ``reply_to``.
    """
    form.renew_token()
    context = {"form": form, "message": message, "target": form.target_object, "reply_to": reply_to}
    return render(request, "comments/form_page.html", context, status=status)


@csrf_exempt
@require_POST
@in_form_language
def post_comment(request):
    """Store a comment sent from a discussion form, then show it to its author in place.

    A visitor who is not signed in sends no CSRF token, as on WordPress: a forged post could do
    nothing in their name, and the form's signed token (its target and the moment the page was
    shown) is its check. So the page with the form is the same for everybody and can be served
    from the page cache. A signed-in visitor's post acts for their account: CSRF is checked.
    """
    if request.user.is_authenticated:
        return _post_comment_signed_in(request)
    return _post_comment(request)


def _post_comment(request):
    discussion = DiscussionSettings.for_request(request)
    ip_address = antispam.client_ip(request.META)
    form = CommentForm(
        request.POST, user=request.user, require_name_email=discussion.require_name_email
    )
    if antispam.is_rate_limited(ip_address):
        form.is_valid()  # Fills in the target, so the re-shown form can be sent again later.
        message = _("You are posting comments too quickly. Slow down.")
        return _form_page(request, form, message=message, status=429)
    if not form.is_valid():
        unknown = form.has_error("target", "unknown")
        return _form_page(request, form, status=404 if unknown else 400)

    parent = None
    if parent_id := form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=parent_id).first()
        if parent is None:
            form.add_error("parent", _("The comment you are replying to does not exist."))
            return _form_page(request, form)
    try:
        comment = services.comment_submit(
            target=form.target_object,
            body=form.cleaned_data["body"],
            author_name=form.cleaned_data.get("author_name", ""),
            author_email=form.cleaned_data.get("author_email", ""),
            author_url=form.cleaned_data.get("author_url", ""),
            user=request.user,
            auth_provider=auth_provider_of(request),
            parent=parent,
            ip_address=ip_address,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            referrer=request.META.get("HTTP_REFERER", ""),
            honeypot_filled=form.honeypot_filled,
            discussion=discussion,
            language=request.LANGUAGE_CODE,
        )
    except services.CommentRejected as rejection:
        return _form_page(
            request, form, message=rejection.message, status=rejection.status, reply_to=parent
        )

    confirming = notifications.subscribe_from_form(comment, form.cleaned_data)
    if comment.status == Comment.Status.SPAM:
        return redirect(f"{form.target_object.get_absolute_url()}#comments")
    if confirming:
        messages.info(
            request,
            _(
                "Check your inbox: we sent you a link to confirm your subscription. "
                "Nothing is sent to you before you click it."
            ),
        )
    pending_ids = pending_ids_from(request)
    location = comment_location(
        comment, settings=discussion, pending_ids=[*pending_ids, comment.pk]
    )
    response = redirect(location)
    if comment.status == Comment.Status.PENDING:
        # Only the author's browser holds the ids, so only the author sees the comment waiting.
        response.set_signed_cookie(
            PENDING_COOKIE,
            pending_cookie_value(pending_ids, comment.pk),
            salt=PENDING_COOKIE_SALT,
            max_age=PENDING_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


_post_comment_signed_in = csrf_protect(_post_comment)


@in_form_language
def comment_permalink(request, pk):
    """Send the visitor to the comment on its object's page, on the right page of comments."""
    pending_ids = pending_ids_from(request)
    comment = get_object_or_404(Comment.objects.visible_to_author(pending_ids), pk=pk)
    target = comment.content_object
    if target is None or not target.is_live:
        raise Http404("No such comment.")
    settings = DiscussionSettings.for_request(request)
    return redirect(comment_location(comment, settings=settings, pending_ids=pending_ids))


# No CSRF token: the Report form is part of the comment's prepared markup, the same for every
# visitor and cached with the page, so it cannot carry one. A forged post can do no more than
# the visitor could: one report of a comment, counted once per address and rate-limited.
@csrf_exempt
@require_POST
@in_form_language
def report_comment(request, pk):
    """Count a visitor's report of a published comment, and thank them.

    Answers JSON to the discussion's script (``Accept: application/json``), else a page.
    Templates: ``comments/report_done.html``. Context: ``comment``, ``message``.
    """
    comment = get_object_or_404(Comment.objects.approved().comments_only(), pk=pk)
    target = comment.content_object
    if target is None or not target.is_live:
        raise Http404("No such comment.")
    ip_address = antispam.client_ip(request.META)
    status = 200
    if antispam.is_reporting_too_much(ip_address):
        message, status = _("You have reported many comments already. Try again later."), 429
    else:
        try:
            counted = services.comment_report(
                comment=comment, visitor=antispam.visitor_key(ip_address)
            )
        except services.CommentRejected as rejection:
            message, status = rejection.message, rejection.status
        else:
            message = (
                _("Thank you: a moderator will look at this comment.")
                if counted
                else _("You have reported this comment already.")
            )
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"message": message}, status=status)
    context = {"comment": comment, "target": target, "message": message}
    return render(request, "comments/report_done.html", context, status=status)
