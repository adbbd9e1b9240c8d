"""Uploaded files: names nobody can guess, paths written one plain way, private downloads, and old files deleted once
no row uses them.

Only the public catalogue's photos are served by /media/ (a front server may serve /media/listings/ itself); every
other upload is streamed by a view of the record that owns it, after the user's scope found that record.
"""

import mimetypes
import re
import secrets
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404

# Segments of letters, digits, "_", "-" and "." that do not start with a dot, joined by single slashes: what
# Django's storage writes. No "..", ".", "//", "\", "%", leading or trailing slash, drive letter or NUL.
_PLAIN_PATH = re.compile(r"[\w-][\w.-]*(/[\w-][\w.-]*)*")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")
# Types a browser may show in the page rather than save; anything else is downloaded.
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp", "video/mp4"}


def is_plain_path(path: str) -> bool:
    """True when ``path`` is a relative path written the one canonical way, so that it names what it seems to."""
    return _PLAIN_PATH.fullmatch(path) is not None


def random_name(original_name: str = "", *, suffix: str | None = None) -> str:
    """``<32 random hex digits><suffix>``: nothing of the uploader's file name but its (lower-cased, plain)
    extension, so a stored file's path cannot be guessed from what was uploaded."""
    if suffix is None:
        suffix = PurePosixPath(original_name.replace("\\", "/")).suffix.lower()
        suffix = suffix if _SUFFIX.fullmatch(suffix) else ""
    return f"{secrets.token_hex(16)}{suffix}"


def private_file_response(field_file, *, filename: str) -> FileResponse:
    """Stream a private upload as ``filename``, for the one user who asked (no shared cache keeps it). A
    missing file is 404 (a restore without the files, a file removed by hand), not a server error."""
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=content_type not in INLINE_TYPES, filename=filename,
                            content_type=content_type)
    response["Cache-Control"] = "private"
    return response


def delete_unused_on_commit(names, *, model, fields) -> None:
    """Once the transaction commits, delete the stored files ``names`` that no row of ``model`` uses in any of
    ``fields`` any more. A rolled-back transaction deletes nothing."""
    names = {name for name in names if name}
    if not names:
        return
    storage = model._meta.get_field(fields[0]).storage

    def delete():
        used = Q()
        for field in fields:
            used |= Q(**{f"{field}__in": names})
        still_used = set()
        for row in model._default_manager.filter(used).values_list(*fields):
            still_used.update(row)
        for name in names - still_used:
            storage.delete(name)

    transaction.on_commit(delete, robust=True)


def delete_files_with_rows(model, *fields) -> None:
    """A deleted ``model`` row's files go once the deletion commits (by any path: a page, the admin, a cascade),
    unless another row uses them. Called from the app's ``ready()``."""

    def deleted(sender, instance, **kwargs):
        delete_unused_on_commit([getattr(instance, field).name for field in fields], model=model, fields=fields)

    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"files-{model._meta.label}")
