"""民主决策 in the admin: the decision methods and their steps are configuration (district
administrators change them; staff read them); matters, records and 公约 are scoped and read-only
here — they change only through the services, so the order of the steps and the thresholds hold."""

from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin, ReadOnlyScopedAdmin, ScopedAdmin

from .models import CommunitySetting, Convention, DecisionMethod, Matter, MethodStep


class MethodStepInline(admin.StackedInline):
    model = MethodStep
    extra = 0
    ordering = ("order",)
    fieldsets = (
        (None, {"fields": (("order", "name", "actor"),)}),
        ("须记录", {"fields": (("requires_attendance", "requires_vote", "requires_minutes", "requires_signatures", "requires_notice_text"),
                              ("publication_days", "publishes"))}),
        ("通过条件", {"fields": (("attendance_num", "attendance_den", "attendance_strict"),
                                ("agreement_basis", "agreement_num", "agreement_den", "agreement_strict"))}),
        ("流转", {"fields": (("may_merge_with_previous", "on_fail", "return_to_order"),)}),
    )

    def has_view_permission(self, request, obj=None):
        return ConfigAdmin.has_module_permission(self, request)

    def has_add_permission(self, request, obj=None):
        return ConfigAdmin._is_district_admin(self, request)

    def has_change_permission(self, request, obj=None):
        return ConfigAdmin._is_district_admin(self, request)

    def has_delete_permission(self, request, obj=None):
        return ConfigAdmin._is_district_admin(self, request)


@admin.register(DecisionMethod)
class DecisionMethodAdmin(ConfigAdmin):
    list_display = ("name", "code", "active")
    inlines = [MethodStepInline]


@admin.register(Matter)
class MatterAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "community", "method", "status", "created_at")
    list_filter = ("status", "method")
    list_select_related = ("community", "method")


@admin.register(Convention)
class ConventionAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "community", "compound")
    list_select_related = ("community", "compound")


@admin.register(CommunitySetting)
class CommunitySettingAdmin(ScopedAdmin):
    list_display = ("community", "secretary_is_director")
    list_select_related = ("community",)
