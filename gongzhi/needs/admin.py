from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin

from .models import NeedCategory


@admin.register(NeedCategory)
class NeedCategoryAdmin(ConfigAdmin):
    """The categories and their time limits are local practice: edited here."""

    list_display = ("name", "code", "order", "accept_days", "close_days", "is_active")
    list_filter = ("is_active",)
