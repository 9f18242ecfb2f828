"""The admin, scoped like every other page: a user sees and changes only their subtree.

`ScopedAdmin` filters the change list through the request's Scope, limits foreign-key and
many-to-many choices to the scope, and answers 404 (not a redirect) for an object that is
missing or out of scope. Configuration tables that are not scoped (OrgKind, NewSector) are
`ConfigAdmin`: only district administrators and superusers may change them.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.core.scope import Scope

admin.site.site_header = _("共治 · 系统配置")
admin.site.site_title = _("共治")
admin.site.index_title = _("系统配置")


def _scope(request) -> Scope:
    return request.scope


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return _scope(request).filter(super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("不存在或无权查看。"))
        return obj

    @staticmethod
    def _limit(request, db_field, kwargs):
        model = db_field.remote_field.model
        if hasattr(model, "scope_q"):
            queryset = kwargs["queryset"] if "queryset" in kwargs else model._default_manager.all()
            kwargs["queryset"] = _scope(request).filter(queryset)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._limit(request, db_field, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._limit(request, db_field, kwargs))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and not _scope(request).is_empty

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReadOnlyAdmin:
    """Mixin: shown, never added, changed or deleted in the admin (ledgers, records kept by their
    own pages and services)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyScopedAdmin(ReadOnlyAdmin, ScopedAdmin):
    pass


class ConfigAdmin(admin.ModelAdmin):
    """District-wide configuration: readable by staff with a scope, changed by district admins."""

    def _is_district_admin(self, request) -> bool:
        return request.user.is_superuser or request.user.grants.filter(role="district_admin").exists()

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and not _scope(request).is_empty

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._is_district_admin(request)

    def has_add_permission(self, request):
        return self._is_district_admin(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class HistoryScopedAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Scoped admin with django-simple-history's history pages, which are scoped too.

    simple-history falls back to the historical rows when the live object is not found;
    here an object outside the scope (or deleted) answers 404 before that.
    """

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)
