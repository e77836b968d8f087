"""Checking an uploaded document by what it is, not by what it is called: the first
bytes say the format, and an image must open as that image. A file named .pdf holding
something else, or an HTML page sent as image/jpeg, is refused."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kis.lib.formats import format_number

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SIGNATURES = {
    PDF: (b"%PDF-",),
    JPEG: (b"\xff\xd8\xff",),
    PNG: (b"\x89PNG\r\n\x1a\n",),
}
SUFFIXES = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}


def _head_and_tail(upload: UploadedFile, size: int = 2048) -> tuple[bytes, bytes]:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(max((upload.size or 0) - size, 0))
    tail = upload.read(size)
    upload.seek(0)
    return head, tail


def document_kind(
    upload: UploadedFile, *, allowed: tuple[str, ...] = (PDF, JPEG, PNG), max_bytes: int
) -> str:
    """The content type of an uploaded scan (PDF, JPEG or PNG), read from its content;
    ValidationError with a message for the user when it is empty, too large or not one
    of `allowed`."""
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); at most %(max)s MB.")
            % {
                "size": format_number(upload.size / 1024 / 1024, 1),
                "max": format_number(max_bytes / 1024 / 1024),
            },
            code="too_large",
        )
    head, tail = _head_and_tail(upload)
    kind = next(
        (
            kind
            for kind in allowed
            if any(head.startswith(signature) for signature in SIGNATURES[kind])
        ),
        None,
    )
    if kind == PDF and b"%%EOF" not in tail:
        kind = None  # cut off in the middle: not a whole PDF
    if kind in PILLOW_FORMATS and not _is_image(upload, PILLOW_FORMATS[kind]):
        kind = None
    if kind is None:
        raise ValidationError(
            _("This file is not a PDF, JPEG or PNG document (its content was checked)."),
            code="wrong_type",
        )
    return kind


def _is_image(upload: UploadedFile, image_format: str) -> bool:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            ok = image.format == image_format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        ok = False
    finally:
        upload.seek(0)
    return ok
