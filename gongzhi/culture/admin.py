"""德治 in the admin: the award categories and publicity kinds are configuration (district
administrators edit them; the migration loads the defaults). Stories, campaigns, nominations,
votes and publicity records change only through the services and the app's pages."""

from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin

from .models import AwardCategory, PublicityKind


@admin.register(AwardCategory)
class AwardCategoryAdmin(ConfigAdmin):
    list_display = ("name", "community", "description", "order", "active")
    list_filter = ("active",)


@admin.register(PublicityKind)
class PublicityKindAdmin(ConfigAdmin):
    list_display = ("name", "code", "unit", "order", "active")
    list_filter = ("active",)
