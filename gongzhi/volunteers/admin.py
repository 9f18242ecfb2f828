from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin

from .models import RecordRules, Skill


@admin.register(Skill)
class SkillAdmin(ConfigAdmin):
    list_display = ("name", "code", "order")


@admin.register(RecordRules)
class RecordRulesAdmin(ConfigAdmin):
    list_display = ("__str__", "verify_within_days", "checkin_tolerance_minutes")
