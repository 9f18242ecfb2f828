"""Uploaded files kept with a record (meeting attachments, need photos): judged by their content
(not their name), stored under a random name, never left behind when the record is not written,
and served only through a view that has already fetched the record in the user's scope, with
`nosniff` so that a browser never reads them as anything else."""

from django.db import models
from django.http import FileResponse, Http404


HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 2007+ (zip) and 97–2003 (OLE) files
_MAGIC = {".pdf": (b"%PDF",), ".docx": (_ZIP,), ".xlsx": (_ZIP,), ".pptx": (_ZIP,), ".doc": (_OLE,), ".xls": (_OLE,), ".ppt": (_OLE,)}


def image_type(head: bytes) -> str | None:
    """The extension for an image's first bytes (its magic number): ".jpg", ".png", ".gif",
    ".webp", ".heic" (HEIF and AVIF, which browsers other than Safari cannot show), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return ".gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return ".heic"
    return None


def content_matches(suffix: str, head: bytes) -> bool:
    """Whether a file's first bytes are what its name says: an image, a PDF, an Office file."""
    suffix = suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        kind = image_type(head)
        return kind is not None and kind != ".heic"
    return suffix in _MAGIC and head.startswith(_MAGIC[suffix])


def head_of(file, size: int = 16) -> bytes:
    """The first bytes of an uploaded file, leaving it at its start."""
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def save_with_file(record: models.Model, field: str, file, stored_name: str) -> models.Model:
    """Store `file` in the record's file field `field` (the storage adds a random suffix to
    `stored_name`), validate the record and save it; on any error the stored file is removed."""
    fieldfile = getattr(record, field)
    fieldfile.save(stored_name, file, save=False)
    try:
        record.full_clean(exclude=[field])
        record.save()
    except Exception:
        fieldfile.delete(save=False)  # no orphan file when the row is not written
        raise
    return record


def file_response(fieldfile, *, filename: str, content_type: str | None = None, as_attachment: bool = False) -> FileResponse:
    """The stored file as a response (a 404 when it is missing from storage)."""
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kwargs = {"content_type": content_type} if content_type else {}
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, **kwargs)
    response["X-Content-Type-Options"] = "nosniff"
    return response
