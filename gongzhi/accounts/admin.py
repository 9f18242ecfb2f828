from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ["place", "grid", "organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users are managed by superusers and district administrators only."""

    list_display = ["username", "display_name", "is_active", "is_staff", "last_login"]
    fieldsets = DjangoUserAdmin.fieldsets[:1] + (((_("姓名")), {"fields": ("display_name", "first_name", "last_name", "email")}),) + DjangoUserAdmin.fieldsets[2:3]
    inlines = [RoleGrantInline]

    def _manages_users(self, request):
        return request.user.is_superuser or request.user.grants.filter(role="district_admin").exists()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not self._manages_users(request):
            return qs.none()
        # A district admin manages the users whose grants lie in their scope (and users without grants).
        in_scope = request.scope.filter(RoleGrant.objects.all()).values("user_id")
        return qs.filter(Q(pk__in=in_scope) | Q(grants__isnull=True), is_superuser=False).distinct()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("不存在或无权查看。"))
        return obj

    def has_module_permission(self, request):
        return self._manages_users(request)

    has_view_permission = has_change_permission = has_add_permission = lambda self, request, obj=None: self._manages_users(request)  # noqa: E731

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
