"""Uploaded files kept with a record (meeting attachments, need photos): stored under a random
name, never left behind when the record is not written, and served only through a view that has
already fetched the record in the user's scope."""

from django.db import models
from django.http import FileResponse, Http404


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
    return FileResponse(handle, as_attachment=as_attachment, filename=filename, **kwargs)
