"""Photos of a need: upload one or several (POST), view one (only through this scoped view:
MEDIA_URL is never routed), delete one (POST). Every photo and need is fetched through the
user's scope first: out of scope is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.uploads import file_response
from . import photo_services, selectors
from .models import NeedPhoto


def _back(need_id: int):
    return redirect(reverse("needs:need", args=[need_id]) + "#photos")


def _photo(request, pk) -> NeedPhoto:
    return request.scope.get(NeedPhoto.objects.select_related("need"), pk=pk)


@login_required
def photo_upload(request, pk):
    need = selectors.need_get(scope=request.scope, id=pk)  # out of scope: 404 before anything else
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        added, errors = photo_services.photos_add(scope=request.scope, acting_user=request.user, need=need,
                                                  files=request.FILES.getlist("photos"))
    except ValidationError as e:
        added, errors = [], e.messages
    if added:
        messages.success(request, _("已上传 %(n)s 张照片。") % {"n": len(added)})
    for error in errors:
        messages.error(request, error)
    return _back(need.pk)


@login_required
@require_GET
def photo_file(request, pk):
    """The photo itself, shown in the browser, with the type its content was checked to be."""
    photo = _photo(request, pk)
    ext = "." + photo.file.name.rsplit(".", 1)[-1].lower()
    response = file_response(photo.file, filename=photo.name, content_type=photo_services.PHOTO_TYPES.get(ext, "application/octet-stream"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def photo_delete(request, pk):
    photo = _photo(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        photo_services.photo_delete(scope=request.scope, acting_user=request.user, photo=photo)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已删除照片“%(name)s”。") % {"name": photo.name})
    return _back(photo.need_id)
