"""Photos of a need (before, during, after): checked by their content (core.uploads.image_type),
stored under MEDIA_ROOT with random names, served only through the scoped view `needs:photo`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.uploads import head_of, image_type, save_with_file

from .models import Need, NeedPhoto, NeedStatus

MAX_PHOTO_MB = 10
MAX_PHOTOS_AT_ONCE = 10
PHOTO_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
def image_check(file, *, max_mb: int | None = None) -> str:
    """The extension of an uploaded JPG, PNG or WebP photo, judged by its content whatever its
    name says; a Chinese error naming the file otherwise. At most `max_mb` (MAX_PHOTO_MB) MB."""
    name, max_mb = file.name, max_mb or MAX_PHOTO_MB
    if file.size > max_mb * 1024 * 1024:
        raise ValidationError(_("照片“%(name)s”超过 %(mb)s MB，请压缩后再上传。") % {"name": name, "mb": max_mb})
    kind = image_type(head_of(file))
    if kind == ".gif":
        kind = None  # a need's photo is a photo
    if kind == ".heic":
        raise ValidationError(_("照片“%(name)s”是 HEIC 格式，网页无法显示：请转为 JPG 后上传，或在手机相机设置中选择“兼容性最佳”。") % {"name": name})
    if kind is None or file.size == 0:
        raise ValidationError(_("“%(name)s”不是照片：请上传 JPG、PNG 或 WebP 格式的图片。") % {"name": name})
    return kind


def _require_photos_allowed(need: Need) -> None:
    if need.status == NeedStatus.MERGED:
        raise ValidationError(_("需求“%(title)s”已合并到另一项需求，请在那里上传照片。") % {"title": need.title})


def photo_add(*, scope: Scope, acting_user, need: Need, file) -> NeedPhoto:
    """One photo of `need` (any status but 已合并), its type checked by content and stored under
    a random name with the extension of that type."""
    scope.require(need)
    _require_photos_allowed(need)
    ext = image_check(file)
    photo = NeedPhoto(need=need, name=file.name[:200], size=file.size, uploaded_by=acting_user)
    return save_with_file(photo, "file", file, f"photo{ext}")


def photos_add(*, scope: Scope, acting_user, need: Need, files: list) -> tuple[list[NeedPhoto], list[str]]:
    """Several photos at once: (the photos stored, a Chinese error for each file refused). The
    good ones are kept when some are refused, so only those need choosing again."""
    if not files:
        raise ValidationError(_("请选择要上传的照片。"))
    if len(files) > MAX_PHOTOS_AT_ONCE:
        raise ValidationError(_("一次最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS_AT_ONCE})
    added, errors = [], []
    for file in files:
        try:
            with transaction.atomic():
                added.append(photo_add(scope=scope, acting_user=acting_user, need=need, file=file))
        except ValidationError as e:
            errors.extend(e.messages)
    return added, errors


def photo_delete(*, scope: Scope, acting_user, photo: NeedPhoto) -> None:
    """Anyone in scope may delete a photo while its need is open (登记, 受理, 办理中); once 办结
    the photos are part of the record. The file goes after the transaction commits."""
    scope.require(photo)
    need = photo.need
    if not need.is_open:
        raise ValidationError(_("需求“%(title)s”当前为“%(status)s”，照片不能再删除。") % {"title": need.title, "status": need.get_status_display()})
    photo.delete()
    transaction.on_commit(lambda: photo.file.delete(save=False))
