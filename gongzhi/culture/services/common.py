"""What the 德治 services share: the 社区 of a place, a photo checked by its content."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.core.uploads import head_of, image_type
from gongzhi.org.models import Place, PlaceLevel

MAX_PHOTO_MB = 10
PHOTO_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def require_community(place: Place) -> Place:
    if place is None or place.level != PlaceLevel.COMMUNITY:
        raise ValidationError({"community": _("请选择一个社区。")})
    return place


def lives_in(person, community: Place) -> bool:
    return person.place.path.startswith(community.path)


def photo_check(file) -> str:
    """The extension of an uploaded JPG, PNG or WebP photo, judged by its content."""
    if file.size > MAX_PHOTO_MB * 1024 * 1024:
        raise ValidationError({"photo": _("照片“%(name)s”超过 %(mb)s MB，请压缩后再上传。") % {"name": file.name, "mb": MAX_PHOTO_MB}})
    kind = image_type(head_of(file))
    if kind not in PHOTO_TYPES or file.size == 0:
        raise ValidationError({"photo": _("“%(name)s”不是照片：请上传 JPG、PNG 或 WebP 格式的图片。") % {"name": file.name}})
    return kind
