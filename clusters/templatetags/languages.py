"""Content shown in English for want of a translation: its ``lang`` attribute and the note."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from clusters.languages import exists_in

register = template.Library()

# The code of the English text shown in place of a missing translation.
FALLBACK_LANG = "en"


def _english_unless(translated: bool) -> str:
    return "" if translated else mark_safe(f' lang="{FALLBACK_LANG}"')


@register.filter
def lang_attr(obj) -> str:
    """Return ` lang="en"` for an element holding ``obj``'s text if it is not translated."""
    return _english_unless(exists_in(obj))


@register.filter
def entry_lang_attr(entry) -> str:
    """Return ` lang="en"` for an element holding a search entry's English text in another
    language's search (its object is not translated)."""
    return _english_unless(entry.text_language == entry.language)


@register.inclusion_tag("clusters/includes/untranslated_note.html")
def untranslated_note(obj) -> dict:
    """Say, in the page's language, that ``obj`` is shown in English, when it is."""
    return {
        "untranslated": not exists_in(obj),
        # Translators: the name of your language, as it reads in "not yet available in …".
        "language": pgettext("this page's language", "English"),
    }
