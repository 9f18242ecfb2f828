from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin

from .models import FrequencyRule, MeetingType


@admin.register(MeetingType)
class MeetingTypeAdmin(ConfigAdmin):
    list_display = ("name", "code", "order", "is_education", "is_lecture", "quorum")


@admin.register(FrequencyRule)
class FrequencyRuleAdmin(ConfigAdmin):
    list_display = ("org_kind", "meeting_type", "period", "times", "by_secretary")
    list_filter = ("org_kind", "period")
