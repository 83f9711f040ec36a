"""Check uploaded images before they are stored: web images only, and not too large."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

WEB_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def _too_large(width=None, height=None) -> ValidationError:
    limit = settings.MAX_IMAGE_PIXELS // 1_000_000
    if width:
        message = _(
            "This image is %(width)s×%(height)s pixels; images may have at most %(limit)s "
            "million pixels."
        )
    else:
        message = _("This image is too large; images may have at most %(limit)s million pixels.")
    return ValidationError(
        message, code="image_too_large", params={"width": width, "height": height, "limit": limit}
    )


def validate_image(file) -> None:
    """Refuse a file that is not a PNG, JPEG, GIF or WebP image, or has too many pixels."""
    position = file.tell()
    file.seek(0)
    try:
        # Opening reads only the header, so a decompression bomb is measured, never decoded.
        with Image.open(file) as image:
            width, height = image.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise _too_large(width, height)
            if image.format not in WEB_FORMATS:
                raise ValidationError(
                    _("Upload a PNG, JPEG, GIF or WebP image."), code="invalid_image_format"
                )
            image.verify()
    except Image.DecompressionBombError:
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _(
                "Upload a valid image (PNG, JPEG, GIF or WebP): this file is not one, or is "
                "damaged."
            ),
            code="invalid_image",
        ) from None
    finally:
        file.seek(position)
