"""The 道德银行 in the admin: its rules are configuration (district administrators change the
district defaults and any community's rows; the community's own policy is also edited on the
rules page); the ledger is read-only and scoped — points move only through the services, so a
balance always equals its postings."""

from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin, ReadOnlyScopedAdmin

from .models import Account, BankPolicy, DeedCategory, GarbageRate, Posting, Transaction


@admin.register(BankPolicy)
class BankPolicyAdmin(ConfigAdmin):
    list_display = ("__str__", "scored_by", "publicity_days", "volunteer_points_per_hour", "garbage_daily_cap", "expiry_months", "penalty_bar_days")


@admin.register(DeedCategory)
class DeedCategoryAdmin(ConfigAdmin):
    list_display = ("name", "community", "min_points", "max_points", "active")
    list_filter = ("active",)


@admin.register(GarbageRate)
class GarbageRateAdmin(ConfigAdmin):
    list_display = ("kind", "community", "points_per_kg")


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ("account", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyScopedAdmin):
    list_display = ("__str__", "kind", "community", "balance")
    list_filter = ("kind",)
    list_select_related = ("community", "person", "household")


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyScopedAdmin):
    list_display = ("__str__", "kind", "community", "memo", "created_at")
    list_filter = ("kind",)
    list_select_related = ("community",)
    inlines = [PostingInline]
