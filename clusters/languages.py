"""Which content exists in which language; English, the default, where a translation is missing.

Editors translate in the admin (``clusters/translation.py``: a column per language). An object
exists in a language when its main text (``MAIN_FIELDS``) is written in it; otherwise the site
shows the English text, marked ``lang="en"``, under a note saying so. What is imported, exported,
seeded or linked to from other sites is the English text at the English address (``english()``);
the search index holds each language's (``clusters.search.index``).
"""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, get_language

DEFAULT = settings.LANGUAGE_CODE
# Every language of the site, English first.
CODES = tuple(code for code, _name in settings.LANGUAGES)

# What must be written in a language for an object to exist in it (empty in English: not needed).
MAIN_FIELDS = {
    "page": ("title", "body"),
    "post": ("title", "body"),
    "cluster": ("tagline", "description"),
    "metacluster": ("introduction",),
    # A category or tag is its name (its page lists posts, each in its own language).
    "category": ("name",),
    "tag": ("name",),
}


def english():
    """Return a context manager (or decorator) running code in the default language."""
    return translation.override(DEFAULT)


def _main_fields(model) -> tuple[str, ...]:
    return MAIN_FIELDS[model._meta.model_name]


def exists_in(obj, language: str | None = None) -> bool:
    """Return True if ``obj`` is written in ``language`` (the active one if None)."""
    language = language or get_language()
    return language == DEFAULT or all(
        getattr(obj, build_localized_fieldname(field, language))
        or not getattr(obj, build_localized_fieldname(field, DEFAULT))
        for field in _main_fields(type(obj))
    )


def existing_in(model, language: str | None = None) -> Q:
    """Return the filter of ``model``'s objects written in ``language`` (the active one if None)."""
    language = language or get_language()
    condition = Q()
    if language == DEFAULT:
        return condition
    for field in _main_fields(model):
        # "> ''": neither NULL nor empty, in SQLite and PostgreSQL alike.
        written = Q(**{f"{build_localized_fieldname(field, language)}__gt": ""})
        condition &= written | ~Q(**{f"{build_localized_fieldname(field, DEFAULT)}__gt": ""})
    return condition


def translated_fields(model) -> set[str]:
    """Return the names of ``model``'s fields written per language (each has a column per one)."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()
