"""Photos of foreigners and of listed persons: checked before they are decoded, stored as a
resized copy.

A PNG or JPEG of a few hundred kilobytes can declare 13,000 × 13,000 pixels; decoding it
takes hundreds of megabytes, and serving it sends the whole to every browser that opens
the person's page. The pixel count is read from the file's header and refused past
:data:`MAX_PIXELS` (the limit the passport reader applies too), and what is stored is a
copy (JPEG or PNG as uploaded) at most :data:`PHOTO_SIDE` pixels on its longer side, turned upright, without the
camera's metadata (which may hold where and when it was taken: UU PDP Pasal 16).
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_PIXELS = 50_000_000  # more than any phone camera; as pora.lodging.ocr
PHOTO_SIDE = 1200  # a person's page shows it far smaller
PHOTO_FORMATS = {"JPEG", "PNG"}


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The photo has too many pixels (at most %(mp)s megapixels).")
        % {"mp": MAX_PIXELS // 1_000_000}, code="too_many_pixels")


def _content(upload) -> io.BytesIO:
    """The upload's bytes (Pillow closes a file it has read; the upload stays open)."""
    upload.seek(0)
    content = io.BytesIO(upload.read())
    upload.seek(0)
    return content


def check_photo(upload) -> None:
    """Refuses a photo that is not a JPEG or PNG or has more than :data:`MAX_PIXELS`,
    reading only its header."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(_content(upload))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError):
            raise ValidationError(_("Upload a JPEG or PNG photo."), code="invalid") from None
    try:
        if image.format not in PHOTO_FORMATS:
            raise ValidationError(_("Upload a JPEG or PNG photo."), code="invalid")
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _too_many_pixels()
    finally:
        image.close()


def photo_copy(upload, stem: str) -> ContentFile:
    """The photo as it is stored: checked (:func:`check_photo`), turned upright, at most
    :data:`PHOTO_SIDE` pixels on its longer side, in the upload's format without its
    metadata."""
    from PIL import Image, ImageOps

    check_photo(upload)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(_content(upload)) as image:
                kind = image.format
                # A JPEG decodes straight at a fraction of its size, never whole.
                image.draft("RGB", (PHOTO_SIDE, PHOTO_SIDE))
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((PHOTO_SIDE, PHOTO_SIDE), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                # Saved anew, without the original's EXIF or text chunks.
                if kind == "PNG":
                    upright.save(buffer, "PNG", optimize=True)
                else:
                    if upright.mode != "RGB":
                        upright = upright.convert("RGB")
                    upright.save(buffer, "JPEG", quality=85, optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, ValueError, SyntaxError):
            raise ValidationError(_("Upload a JPEG or PNG photo."), code="invalid") from None
    return ContentFile(buffer.getvalue(), name=f"{stem}.{'png' if kind == 'PNG' else 'jpg'}")
