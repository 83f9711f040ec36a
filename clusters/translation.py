"""What editors translate (django-modeltranslation): each field below gets one column per language.

``title`` becomes ``title_en_gb``, ``title_fr``… ; reading ``post.title`` gives the active
language's text, or the English one where it is empty (``clusters.languages`` says which
objects exist in a language). English is required wherever the field itself is; the other
languages may stay empty. Names of clusters, contacts, slugs, addresses and numbers are the same
in every language and are not here; nor are images' alt texts (required, and checked, in one
language).
"""

import reversion
from modeltranslation.translator import TranslationOptions, register

from clusters.models import (
    Award,
    Category,
    Cluster,
    FocusArea,
    KeyFigure,
    MetaCluster,
    Page,
    Post,
    Tag,
)

ENGLISH = ("en-gb",)
SEARCH_FIELDS = ("seo_title", "meta_description")


class Translated(TranslationOptions):
    required_languages = ENGLISH


@register(Cluster)
class ClusterTranslation(Translated):
    fields = ("tagline", "description", "region", "city", "country", *SEARCH_FIELDS)


@register(KeyFigure)
class KeyFigureTranslation(Translated):
    # Values are words too ("almost 168", "more than 350").
    fields = ("label", "value")


@register(Award)
class AwardTranslation(Translated):
    fields = ("name", "awarded_by")


@register(MetaCluster)
class MetaClusterTranslation(Translated):
    fields = ("tagline", "introduction")


@register([Page, Post])
class EntryTranslation(Translated):
    fields = ("title", "excerpt", "body", *SEARCH_FIELDS)


@register([FocusArea, Tag])
class TermTranslation(Translated):
    fields = ("name",)
    # Names are unique: an empty translation is NULL, so that many may be missing at once.
    empty_values = {"name": None}


@register(Category)
class CategoryTranslation(TermTranslation):
    fields = ("name", "description")


# django-reversion listed each model's fields when clusters.models registered it, before the
# columns above were added: register again with the same options, so a version keeps every language.
for model in (Cluster, KeyFigure, Award, MetaCluster, Page, Post):
    options = reversion.revisions._get_options(model)
    reversion.unregister(model)
    reversion.register(
        model,
        follow=options.follow,
        format=options.format,
        for_concrete_model=options.for_concrete_model,
        ignore_duplicates=options.ignore_duplicates,
        use_natural_foreign_keys=options.use_natural_foreign_keys,
    )
