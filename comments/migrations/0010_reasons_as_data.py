"""The reasons the site stored as English sentences become data (comments/reasons.py), and back.

A comment's ``held_reasons`` and the notes of its history the site wrote itself ("first comment
by this author; 2 links") were sentences in English. Each sentence recognised here becomes its
reason, ``{"code": "links", "count": 2}``; one that is not (an import's own words, a note a
person wrote) stays as it was: a ``{"code": "text", "text": …}`` reason in ``held_reasons``, and
the whole note in ``note``. Backwards, every reason is written out in English again, as the
site wrote it. The English is kept here, not read from the app, so that later changes to the
reasons cannot change what this migration does.
"""

import re

from django.db import migrations

# The English each reason was stored in; {s} is the plural "s" of {count}.
ENGLISH = {
    "disallowed_word": "disallowed word '{word}' in {field}",
    "honeypot": "honeypot filled",
    "akismet_spam": "Akismet says spam",
    "akismet_discard": "Akismet says blatant spam",
    "manual_approval": "every comment is approved by hand",
    "links": "{count} link{s}",
    "moderation_word": "moderation word '{word}' in {field}",
    "first_comment": "first comment by this author",
    "akismet_error": "Akismet could not check it",
    "pingback": "pingback from {host} awaits moderation",
    "trackback": "trackback from {host} awaits moderation",
    "webmention": "webmention from {host} awaits moderation",
    "reported": "reported by {count} visitor{s}",
    "submitted": "submitted",
    "self_ping": "self-ping from {url}",
    "approved_by_replying": "approved by replying",
    "approved_with_reply": "approved with its reply #{reply}",
    "moderator_reply": "reply by a moderator",
    "mail_link": "from the e-mail link",
    "undone": "undone by a moderator",
    "source_gone": "The source is gone (HTTP 410).",
    "source_unlinked": "The source does not link to the target.",
    "links_again": "its source links here again",
}
# How the fields matched against the word lists were named in the sentences.
FIELD_LABELS = {
    "name": "name",
    "email": "e-mail",
    "url": "URL",
    "body": "body",
    "ip": "IP",
    "user_agent": "user agent",
}
FIELD_CODES = {label: code for code, label in FIELD_LABELS.items()}
NUMBERS = {"count", "reply"}
VALUE_PATTERNS = {
    "word": ".*",
    "field": "|".join(re.escape(label) for label in FIELD_LABELS.values()),
    "count": r"\d+",
    "reply": r"\d+",
    "host": ".+",
    "url": ".+",
    "s": "s?",
}


def _pattern(english: str) -> re.Pattern:
    # Split on the {names}: the text around them at even places, the names at odd ones.
    parts = re.split(r"\{(\w+)\}", english)
    return re.compile(
        "".join(
            f"(?P<{part}>{VALUE_PATTERNS[part]})" if index % 2 else re.escape(part)
            for index, part in enumerate(parts)
        )
    )


PATTERNS = {code: _pattern(english) for code, english in ENGLISH.items()}


def in_english(reason) -> str:
    """Return a stored reason as the sentence the site used to store."""
    if isinstance(reason, str):
        return reason
    code = reason.get("code")
    if code not in ENGLISH:
        return str(reason.get("text", code))
    values = {key: value for key, value in reason.items() if key != "code"}
    if "field" in values:
        values["field"] = FIELD_LABELS.get(values["field"], values["field"])
    values["s"] = "" if values.get("count") == 1 else "s"
    return ENGLISH[code].format(**values)


def recognised(sentence: str) -> dict | None:
    """Return the reason ``sentence`` says, or None if it is none the site wrote."""
    for code, pattern in PATTERNS.items():
        match = pattern.fullmatch(sentence)
        if match is None:
            continue
        values = {key: value for key, value in match.groupdict().items() if key != "s"}
        for key in NUMBERS & values.keys():
            values[key] = int(values[key])
        if "field" in values:
            values["field"] = FIELD_CODES[values["field"]]
        reason = {"code": code, **values}
        # "1 links" or "007 links" were never written: only the exact sentence is recognised.
        if in_english(reason) == sentence:
            return reason
    return None


def _each_distinct(queryset, field, change):
    """Call ``change`` with each distinct value of ``field``: one UPDATE per value it changes.

    The same few reasons come back on thousands of comments; each value is rewritten once.
    """
    for value in list(queryset.order_by().values_list(field, flat=True).distinct()):
        updated = change(value)
        if updated is not None:
            queryset.filter(**{field: value}).update(**updated)


def sentences_to_data(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    CommentStatusChange = apps.get_model("comments", "CommentStatusChange")

    def held(reasons):
        if all(isinstance(reason, dict) for reason in reasons):
            return None
        return {
            "held_reasons": [
                (recognised(reason) or {"code": "text", "text": reason})
                if isinstance(reason, str)
                else reason
                for reason in reasons
            ]
        }

    def noted(note):
        reasons = [recognised(part) for part in note.split("; ")]
        return None if None in reasons else {"reasons": reasons, "note": ""}

    _each_distinct(Comment.objects.exclude(held_reasons=[]), "held_reasons", held)
    # Only the rows whose reasons are all still in their note: the new column is empty.
    unread = CommentStatusChange.objects.exclude(note="").filter(reasons=[])
    _each_distinct(unread, "note", noted)


def data_to_sentences(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    CommentStatusChange = apps.get_model("comments", "CommentStatusChange")

    def held(reasons):
        return {"held_reasons": [in_english(reason) for reason in reasons]}

    _each_distinct(Comment.objects.exclude(held_reasons=[]), "held_reasons", held)
    changes = CommentStatusChange.objects.exclude(reasons=[])
    for reasons, note in list(changes.order_by().values_list("reasons", "note").distinct()):
        sentence = "; ".join([*map(in_english, reasons), *filter(None, [note])])[:500]
        changes.filter(reasons=reasons, note=note).update(note=sentence, reasons=[])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0009_status_change_reasons"),
    ]

    operations = [
        migrations.RunPython(sentences_to_data, data_to_sentences),
    ]
