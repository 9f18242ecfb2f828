"""Mediation's configuration in the admin (read by staff, changed by district administrators):
the dispute categories, the tiers and the rules (due days, the 司法确认 window, warn days).
Cases are not in the admin: their details are open only to their handlers and supervisors, which
the case pages enforce; mediators are kept on the mediators pages."""

from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin

from .models import Category, MediationRules, Tier


@admin.register(Category)
class CategoryAdmin(ConfigAdmin):
    list_display = ("name", "code", "order", "is_active")


@admin.register(Tier)
class TierAdmin(ConfigAdmin):
    list_display = ("name", "code", "rank", "handles")


@admin.register(MediationRules)
class MediationRulesAdmin(ConfigAdmin):
    list_display = ("__str__", "due_days", "confirm_days", "warn_days")
