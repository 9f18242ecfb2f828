from django.contrib import admin

from gongzhi.core.admin import HistoryScopedAdmin, ReadOnlyAdmin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin, HistoryScopedAdmin):
    """Read in the admin; published and withdrawn through the pages (nothing is ever deleted)."""

    list_display = ("title", "kind", "community", "starts_on", "ends_on", "withdrawn_at")
    list_filter = ("kind",)
    search_fields = ("title",)
    date_hierarchy = "starts_on"
