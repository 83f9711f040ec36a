"""The site search page and its OpenSearch description."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, SearchEntry
from clusters.search import query as search_query
from clusters.search.results import Results, filtered, public_entries, suggestions

PER_PAGE = 10


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=search_query.MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (this is %(show_value)d)."
            )
        },
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Everything")), *SearchEntry.Kind.choices]
    )
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [
            ("", _("All clusters")),
            *Cluster.objects.values_list("slug", "name"),
        ]
        self.fields["year"].choices = [("", _("Any year")), *((year, year) for year in years)]


def search(request):
    """Show what the public may find for ``q``, best first, with the filters chosen."""
    public = public_entries()
    # The years from the first entry's to the last's: two aggregates, not each entry's year.
    span = public.aggregate(first=Min("date"), last=Max("date"))
    years = (
        range(timezone.localtime(span["last"]).year, timezone.localtime(span["first"]).year - 1, -1)
        if span["first"]
        else ()
    )
    form = SearchForm(request.GET, years=years)
    context = {"form": form}
    if not form.is_valid():
        return render(request, "clusters/search.html", context, status=400)
    query = search_query.parse(form.cleaned_data["q"])
    entries = filtered(
        public,
        kind=form.cleaned_data["type"],
        cluster=form.cleaned_data["cluster"],
        year=form.cleaned_data["year"],
    )
    page = Paginator(Results(entries, query), PER_PAGE).get_page(request.GET.get("page"))
    context.update(query=query, page_obj=page, hits=page.object_list)
    if query and not page.paginator.count:
        context["suggestions"] = suggestions(public, query)
    filters = request.GET.copy()
    filters.pop("page", None)
    context["filters"] = filters.urlencode()
    return render(request, "clusters/search.html", context)


def opensearch(request):
    """Describe the site search to browsers (OpenSearch 1.1), so that they offer it."""
    return render(
        request,
        "clusters/opensearch.xml",
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
