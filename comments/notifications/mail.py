"""Render a discussion mail from its templates into the outbox, and turn a row into a message.

Each mail ``name`` has three templates under ``templates/notifications/mail/`` that staff may
override: ``<name>.subject.txt``, ``<name>.txt`` (the plain-text part) and ``<name>.html``. Every
template gets ``site_name`` and ``site_url`` from settings, never from a request's Host header,
and ``unsubscribe_url`` when the mail has one.

A mail is written in its recipient's language (``render(language=…)``): the language of the page
they subscribed or commented from; staff get the site's. Links (``link``, ``page_link``) are
made when the mail is rendered, so they lead to that language's pages (/fr/…).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import Truncator

from bioxclusters.common import absolute_url
from comments.notifications.models import OutgoingMail

EXCERPT_LENGTH = 500
# Runs of white space, line breaks included, but for the no-break spaces (U+00A0, U+202F).
SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def _link(view_name: str, token: str) -> str:
    return absolute_url(reverse(view_name, kwargs={"token": token}))


def _page_link(obj) -> str:
    return absolute_url(obj.get_absolute_url())


def _comment_link(comment) -> str:
    # The permalink has one address for every language: it is told which (comments/views.py).
    language = translation.get_language()
    query = "" if language == settings.LANGUAGE_CODE else f"?language={language}"
    return absolute_url(f"{comment.get_absolute_url()}{query}")


# Lazy: each is written out in the language the mail that shows it is rendered in.
link = lazy(_link, str)
link.__doc__ = "Return the public address of ``view_name`` for ``token`` (in the mail's language)."
page_link = lazy(_page_link, str)
page_link.__doc__ = "Return the public address of ``obj``'s page (in the mail's language)."
comment_link = lazy(_comment_link, str)
comment_link.__doc__ = "Return the permalink of ``comment`` (to its page in the mail's language)."


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    return Truncator(text.strip()).chars(length)


def render(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict,
    unsubscribe_url: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> OutgoingMail:
    """Render the mail ``template`` for ``to`` as an outbox row, queued but not saved yet.

    With ``unsubscribe_url`` the mail carries RFC 8058 one-click headers: a mail client POSTs
    ``List-Unsubscribe=One-Click`` to that address, without cookies. ``language``: the
    recipient's (an unknown one is the site's).
    """
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return _render(
            to=to, kind=kind, template=template, context=context, unsubscribe_url=unsubscribe_url
        )


def _render(*, to, kind, template, context, unsubscribe_url) -> OutgoingMail:
    unsubscribe_url = str(unsubscribe_url)
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        **context,
    }
    prefix = f"notifications/mail/{template}"
    # A subject is one line: a title with a line break would otherwise be a header injection.
    # French puts no-break spaces inside its quotation marks («\u00a0…\u00a0»): those are kept.
    subject = SPACES.sub(" ", render_to_string(f"{prefix}.subject.txt", context)).strip()
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return OutgoingMail(
        to=to,
        kind=kind,
        subject=subject[: OutgoingMail._meta.get_field("subject").max_length],
        body_text=render_to_string(f"{prefix}.txt", context),
        body_html=render_to_string(f"{prefix}.html", context),
        headers=headers,
    )


def compose(**kwargs) -> OutgoingMail:
    """Render a mail (the arguments of ``render``) and store it in the outbox, queued."""
    outgoing = render(**kwargs)
    outgoing.save()
    return outgoing


def store(mails: list[OutgoingMail]) -> list[OutgoingMail]:
    """Store rendered ``mails`` in the outbox, queued, in one query however many they are."""
    return OutgoingMail.objects.bulk_create(mails)


def message(mail: OutgoingMail) -> EmailMultiAlternatives:
    """Return the e-mail message of an outbox row: plain text with an HTML alternative."""
    email = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=mail.headers,
    )
    email.attach_alternative(mail.body_html, "text/html")
    return email
