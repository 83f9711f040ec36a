"""Why the site held a comment, marked it as spam or moved it: kept as data, read in any language.

A reason is stored as a small dict, its ``code`` and the values its sentence needs, never as
the sentence itself, so that each moderator reads it in the language their admin is in (and
a moderator's mail in English)::

    reason("moderation_word", word="casino", field="body")
    # {"code": "moderation_word", "word": "casino", "field": "body"}
    text(reason("moderation_word", word="casino", field="body"))
    # "moderation word 'casino' in body"; in German: "Moderationswort „casino“ im Feld „Text“"

``Comment.held_reasons`` holds the reasons a comment waits or is spam (``moderation.decide``
makes them), ``CommentStatusChange.reasons`` those of a change of status the site made by
itself. A reason with the code ``text`` is a sentence kept as it was written: what older
versions stored and the migration did not recognise (an import's own words, for instance).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

TEXT = "text"

# The fields of a comment the word lists are matched against (``moderation.Candidate``).
FIELDS = {
    "name": pgettext_lazy("comment field", "name"),
    "email": pgettext_lazy("comment field", "e-mail"),
    "url": pgettext_lazy("comment field", "URL"),
    "body": pgettext_lazy("comment field", "body"),
    "ip": pgettext_lazy("comment field", "IP"),
    "user_agent": pgettext_lazy("comment field", "user agent"),
}

MESSAGES = {
    # A new comment's: spam (moderation.decide) ...
    "disallowed_word": _("disallowed word '%(word)s' in %(field)s"),
    "honeypot": _("honeypot filled"),
    "akismet_spam": _("Akismet says spam"),
    "akismet_discard": _("Akismet says blatant spam"),
    # ... or held for a moderator.
    "manual_approval": _("every comment is approved by hand"),
    "links": ngettext_lazy("%(count)d link", "%(count)d links", "count"),
    "moderation_word": _("moderation word '%(word)s' in %(field)s"),
    "first_comment": _("first comment by this author"),
    "akismet_error": _("Akismet could not check it"),
    "pingback": _("pingback from %(host)s awaits moderation"),
    "trackback": _("trackback from %(host)s awaits moderation"),
    "webmention": _("webmention from %(host)s awaits moderation"),
    # A published comment's, held again.
    "reported": ngettext_lazy(
        "reported by %(count)d visitor", "reported by %(count)d visitors", "count"
    ),
    # Why the site changed a status by itself (the comment's history).
    "submitted": _("submitted"),
    "self_ping": _("self-ping from %(url)s"),
    "approved_by_replying": _("approved by replying"),
    "approved_with_reply": _("approved with its reply #%(reply)s"),
    "moderator_reply": _("reply by a moderator"),
    "mail_link": _("from the e-mail link"),
    "undone": _("undone by a moderator"),
    "source_gone": _("The source is gone (HTTP 410)."),
    "source_unlinked": _("The source does not link to the target."),
    "links_again": _("its source links here again"),
}


def reason(code: str, **values) -> dict:
    """Return the reason ``code`` with the values its sentence needs, as it is stored."""
    if code not in MESSAGES and code != TEXT:
        raise ValueError(f"Unknown reason {code!r}.")
    return {"code": code, **values}


def text(stored: dict | str) -> str:
    """Return the stored reason as a sentence in the active language."""
    # A process still running the previous release may store a sentence (until it restarts).
    if isinstance(stored, str):
        return stored
    values = {key: value for key, value in stored.items() if key != "code"}
    message = MESSAGES.get(stored.get("code"))
    if message is None:
        return str(values.get("text", stored.get("code", "")))
    if "field" in values:
        values["field"] = FIELDS.get(values["field"], values["field"])
    return message % values


def texts(stored: list) -> list[str]:
    """Return each of the stored reasons as a sentence in the active language."""
    return [text(one) for one in stored]
