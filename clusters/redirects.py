"""Old addresses that answer with a 301: the redirect table's rules and the calls that write it.

The addresses every WordPress site has (``/feed/``, ``/category/<slug>/``, ``/2016/11/``…) are
answered by URL patterns (``clusters/urls/wordpress.py``). This table holds the others: an
imported entry's old permalink, ``/?p=123``, ``/?page_id=45``, attachment pages, and the address an
editor's slug change leaves behind. ``clusters.middleware.RedirectMiddleware`` answers from it.

Every row is in one normal form (``normalise_old_path``) and points at the final address, so a
visitor is redirected once: adding A→B when B→C exists stores A→C, adding B→C turns A→B into A→C,
and adding A→B when B→A exists undoes that move instead of storing a loop.
"""

from contextlib import contextmanager
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bioxclusters.bad_input import XML_FORBIDDEN
from clusters.languages import english
from clusters.models import Redirect

# Query parameters that newsletters and social sites add to links: they never tell two old
# addresses apart, and a partner's newsletter link carries them.
TRACKING_PARAMETERS = ("utm_", "mc_", "fbclid", "gclid")


def normalise_old_path(address: str) -> str:
    """Return ``address`` as the table keeps it: ``/path/?sorted=query``, without host or scheme.

    A path gets its trailing slash (WordPress's permalinks have one) unless its last part is a
    file name; tracking parameters are dropped. Raise ValueError for what is not an address.
    """
    address = address.strip()
    parts = urlsplit(address)
    if not address or parts.scheme not in ("", "http", "https"):
        raise ValueError(_("Enter a path such as /2016/11/15/japan-mission/ or /?p=123."))
    segments = [segment for segment in unquote(parts.path).split("/") if segment]
    path = "/" + "/".join(segments)
    if segments and "." not in segments[-1]:
        path += "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.startswith(TRACKING_PARAMETERS)
    )
    normal = f"{path}?{urlencode(query)}" if query else path
    # Decoded, "%00" is a NUL: no old address holds one, and PostgreSQL cannot even look it up.
    if XML_FORBIDDEN.search(unquote(normal)):
        raise ValueError(_("An address cannot hold control characters."))
    return normal


def normalise_new_path(address: str) -> str:
    """Return a redirect's target: a path on this site in normal form, or an address elsewhere."""
    address = address.strip()
    parts = urlsplit(address)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(_("Enter a path on this site (/blog/…) or an http(s) address."))
        if parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower():
            return address
    elif not address.startswith("/"):
        raise ValueError(_("Enter a path on this site (/blog/…) or an http(s) address."))
    return normalise_old_path(address)


def redirect_add(old_path: str, new_path: str) -> None:
    """Make ``old_path`` answer with a 301 to ``new_path``: idempotent, never a chain or a loop.

    Raise ValueError if either is not an address (see ``normalise_old_path``).
    """
    old, new = normalise_old_path(old_path), normalise_new_path(new_path)
    if old == new:
        return  # Nothing moved (an imported page keeping its address, /who-we-are/).
    with transaction.atomic():
        onward = Redirect.objects.filter(old_path=new).values_list("new_path", flat=True).first()
        if onward == old:
            # The new address had moved to the old one: that move is undone, not looped.
            Redirect.objects.filter(old_path=new).delete()
        elif onward is not None:
            new = onward
        Redirect.objects.filter(new_path=old).update(new_path=new)
        Redirect.objects.update_or_create(old_path=old, defaults={"new_path": new})


def redirect_for(address: str, *, with_query_only: bool = False) -> str | None:
    """Return where the old ``address`` (a path, with its query) now is, or None.

    With ``with_query_only``, only an address that still has a query once normalised is looked
    up: ``/?p=123`` lands on a live page, and only its query says it is an old address.
    """
    try:
        old = normalise_old_path(address)
    except ValueError:
        return None
    if with_query_only and "?" not in old:
        return None
    return Redirect.objects.filter(old_path=old).values_list("new_path", flat=True).first()


@contextmanager
def old_address_kept(entry):
    """Around a save: leave a redirect behind when a live entry's slug changes, as WordPress does.

    ``entry`` is a post, a page or a cluster (anything with ``slug``, ``is_live`` and
    ``get_absolute_url``); a draft's slug may change freely, nobody has linked to it.
    """
    previous = type(entry).objects.filter(pk=entry.pk).first() if entry.pk else None
    yield
    if previous is None or previous.slug == entry.slug or not previous.is_live:
        return
    with english():  # The addresses other sites link to; /fr/… follows the English one.
        old, new = previous.get_absolute_url(), entry.get_absolute_url()
    # The entry lives at its new address now: a row that sent that address elsewhere is void.
    Redirect.objects.filter(old_path=normalise_old_path(new)).delete()
    redirect_add(old, new)
