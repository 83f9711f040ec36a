"""Render a discussion mail from its templates into the outbox, and turn a row into a message.

Each mail ``name`` has three templates under ``templates/notifications/mail/`` that staff may
override: ``<name>.subject.txt``, ``<name>.txt`` (the plain-text part) and ``<name>.html``. Every
template gets ``site_name`` and ``site_url`` from settings, never from a request's Host header,
and ``unsubscribe_url`` when the mail has one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from bioxclusters.common import absolute_url
from comments.notifications.models import OutgoingMail

EXCERPT_LENGTH = 500


def link(view_name: str, token: str) -> str:
    """Return the public address of ``view_name`` for ``token``."""
    return absolute_url(reverse(view_name, kwargs={"token": token}))


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    return Truncator(text.strip()).chars(length)


def render(
    *, to: str, kind: str, template: str, context: dict, unsubscribe_url: str = ""
) -> OutgoingMail:
    """Render the mail ``template`` for ``to`` as an outbox row, queued but not saved yet.

    With ``unsubscribe_url`` the mail carries RFC 8058 one-click headers: a mail client POSTs
    ``List-Unsubscribe=One-Click`` to that address, without cookies.
    """
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        **context,
    }
    prefix = f"notifications/mail/{template}"
    # A subject is one line: a title with a line break would otherwise be a header injection.
    subject = " ".join(render_to_string(f"{prefix}.subject.txt", context).split())
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
