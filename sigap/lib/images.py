"""Checking uploaded photos: a real image of an allowed type and size, whatever the file name says."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from sigap.lib.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before they fill memory
FORMATS = {"JPEG", "PNG", "WEBP"}


def check_image(upload) -> None:
    """Raises DomainError unless the upload is a JPEG, PNG or WebP image of at most 5 MB."""
    if upload.size > MAX_BYTES:
        raise DomainError(_("The photo is larger than 5 MB."), field="photo")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise DomainError(_("The photo must be a JPEG, PNG or WebP image."), field="photo")
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(_("The photo has too many pixels."), field="photo")
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise DomainError(_("The photo must be a JPEG, PNG or WebP image."), field="photo") from None
    finally:
        upload.seek(position)


def validate_image(upload) -> None:
    """The same check as a form validator."""
    try:
        check_image(upload)
    except DomainError as error:
        raise ValidationError(error.message, code="photo_refused") from None


def resized_jpeg(upload, *, longest: int, quality: int = 78) -> bytes:
    """The photo re-encoded as a progressive JPEG no larger than ``longest`` pixels on its long side; this also
    drops whatever else the file carried (metadata, location)."""
    import io

    from PIL import ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((longest, longest))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    upload.seek(0)
    return buffer.getvalue()
