from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin

from .models import MatchingRules, MatchRule, NeedCategory


@admin.register(NeedCategory)
class NeedCategoryAdmin(ConfigAdmin):
    """The categories and their time limits are local practice: edited here."""

    list_display = ("name", "code", "order", "accept_days", "close_days", "is_active")
    list_filter = ("is_active",)


@admin.register(MatchRule)
class MatchRuleAdmin(ConfigAdmin):
    """Which skills and resource kinds fit which need category (local practice)."""

    list_display = ("category", "skill", "kind")
    list_filter = ("category",)


@admin.register(MatchingRules)
class MatchingRulesAdmin(ConfigAdmin):
    """The matcher's weights and the window for similar needs (one row)."""

    list_display = ("fit_points", "same_building_points", "same_compound_points", "same_community_points", "unavailable_penalty", "load_penalty",
                    "similar_within_days")

    def has_add_permission(self, request):
        return not MatchingRules.objects.exists() and super().has_add_permission(request)
