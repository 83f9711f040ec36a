"""Smaller copies of uploaded images, so that a phone downloads what it shows, not 3,000 pixels.

Each stored image gets renditions at a few widths (never wider than itself), in WebP and in its
own format (PNG stays PNG, the rest becomes JPEG), under ``renditions/<its name>/<width>.<ext>``
in the same storage. They are made the first time a page shows the image and remembered in the
cache; ``picture_html`` writes the ``<picture>`` with ``srcset``, ``sizes``, ``width`` and
``height``, and ``responsive_body`` does the same for every uploaded image inside a body.
"""

import html
import io
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import format_html
from PIL import Image, ImageOps, UnidentifiedImageError

WIDTHS = (320, 480, 640, 960, 1280, 1920)
# How wide images are shown (site.css, Bootstrap's grid): a body's text column is at most 46rem;
# a featured image fills the post's column (col-lg-8 of the container); else the screen less
# the page's margins.
BODY_SIZES = "(min-width: 784px) 736px, calc(100vw - 24px)"
COLUMN_SIZES = (
    "(min-width: 1400px) 856px, (min-width: 1200px) 736px, (min-width: 992px) 616px, "
    "calc(100vw - 24px)"
)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
_CACHE_VERSION = 1


@dataclass(frozen=True)
class Renditions:
    """What ``<picture>`` needs for one image: its size and the two sets of copies."""

    width: int
    height: int
    src: str
    srcset: str
    webp_srcset: str


def _rendition_name(name: str, width: int, ext: str) -> str:
    stem = posixpath.splitext(name)[0]
    return f"renditions/{stem}/{width}.{ext}"


def _save(image: Image.Image, name: str, fmt: str) -> None:
    buffer = io.BytesIO()
    if fmt == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    elif fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(buffer.getvalue()))


def renditions(name: str) -> Renditions | None:
    """Return the renditions of the stored image ``name``, making them if need be.

    None for a file that is missing or not an image, and for a GIF (which may move: it is
    served as it is).
    """
    key = f"renditions:{_CACHE_VERSION}:{name}"
    if (known := cache.get(key)) is not None:
        return known or None
    try:
        with default_storage.open(name) as file, Image.open(file) as original:
            fmt = original.format
            image = ImageOps.exif_transpose(original)
            width, height = image.size
            if fmt == "GIF":
                cache.set(key, False, None)
                return None
            own = ("PNG", "png") if fmt == "PNG" else ("JPEG", "jpg")
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA" if "A" in image.getbands() or fmt == "PNG" else "RGB")
            widths = [w for w in WIDTHS if w < width] + [width]
            sets = {"webp": [], own[1]: []}
            for target in widths:
                copy = (
                    image
                    if target == width
                    else image.resize(
                        (target, round(height * target / width)), Image.Resampling.LANCZOS
                    )
                )
                for save_fmt, ext in (("WEBP", "webp"), own):
                    rendition = _rendition_name(name, target, ext)
                    if not default_storage.exists(rendition):
                        _save(copy, rendition, save_fmt)
                    sets[ext].append(f"{default_storage.url(rendition)} {target}w")
    except (FileNotFoundError, UnidentifiedImageError, OSError, Image.DecompressionBombError):
        cache.set(key, False, 300)
        return None
    # The fallback src: the largest copy a screen without srcset support is likely to want.
    fallback = [w for w in widths if w <= 960][-1]
    result = Renditions(
        width=width,
        height=height,
        src=default_storage.url(_rendition_name(name, fallback, own[1])),
        srcset=", ".join(sets[own[1]]),
        webp_srcset=", ".join(sets["webp"]),
    )
    cache.set(key, result, None)
    return result


def picture_html(
    name: str, *, alt: str, sizes: str, css_class: str = "", lazy: bool = True, width=None
):
    """Return a ``<picture>`` for the stored image ``name`` (a plain ``<img>`` if it has no copies).

    ``width`` is the width it is shown at, when fixed: ``width``/``height`` then say so, in its
    proportions; otherwise they are the image's own.
    """
    loading = "lazy" if lazy else "eager"
    found = renditions(name)
    if found is None:
        return format_html(
            '<img src="{}" alt="{}" class="{}" loading="{}">',
            default_storage.url(name),
            alt,
            css_class,
            loading,
        )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" '
        'loading="{}" decoding="async"></picture>',
        found.webp_srcset,
        sizes,
        found.src,
        found.srcset,
        sizes,
        width or found.width,
        round(found.height * width / found.width) if width else found.height,
        alt,
        css_class,
        loading,
    )


_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"', re.I)


def stored_name(src: str) -> str | None:
    """Return the storage name of an uploaded file's address, or None for any other address."""
    src = html.unescape(src)
    if not src.startswith(settings.MEDIA_URL) or ".." in src:
        return None
    return unquote(src[len(settings.MEDIA_URL) :].split("?", 1)[0])


def body_images(body: str) -> list[str]:
    """Return the addresses of the images in a body, in order."""
    return [
        html.unescape(attrs["src"])
        for tag in _IMG.findall(body or "")
        if "src" in (attrs := dict(_ATTR.findall(tag)))
    ]


def responsive_body(body: str) -> str:
    """Return sanitised body HTML with each uploaded image as a ``<picture>`` of its copies."""

    def replace(match):
        attrs = {key.lower(): html.unescape(value) for key, value in _ATTR.findall(match[0])}
        name = stored_name(attrs.get("src", ""))
        if name is None:
            return match[0]
        return picture_html(name, alt=attrs.get("alt", ""), sizes=BODY_SIZES)

    return _IMG.sub(replace, body or "")
