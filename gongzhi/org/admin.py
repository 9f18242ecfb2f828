from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin, HistoryScopedAdmin

from .models import Grid, NewOrganization, NewSector, OrgKind, PartyOrganization, Place


@admin.register(OrgKind)
class OrgKindAdmin(ConfigAdmin):
    list_display = ["name", "code", "order", "is_top", "place_level", "covers_compounds", "is_new_sector"]
    filter_horizontal = ["allowed_parents"]


@admin.register(NewSector)
class NewSectorAdmin(ConfigAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Place)
class PlaceAdmin(HistoryScopedAdmin):
    list_display = ["name", "level", "code", "resident_count", "household_count", "member_count"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    readonly_fields = ["level"]
    exclude = ["path", "depth", "numchild"]
    raw_id_fields = ["grid"]

    def has_add_permission(self, request):
        return False  # places are added under a parent from the tree pages (keeps the level rules)


@admin.register(Grid)
class GridAdmin(HistoryScopedAdmin):
    list_display = ["code", "name", "community"]
    search_fields = ["code", "name"]
    raw_id_fields = ["community"]


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(HistoryScopedAdmin):
    list_display = ["name", "kind", "place", "member_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["path", "depth", "numchild"]
    readonly_fields = ["kind"]
    raw_id_fields = ["place", "covers"]

    def has_add_permission(self, request):
        return False  # added under a parent from the organisation pages (keeps the level rules)


@admin.register(NewOrganization)
class NewOrganizationAdmin(HistoryScopedAdmin):
    list_display = ["name", "sector", "place", "party_org", "has_party_work"]
    list_filter = ["sector", "has_party_work"]
    search_fields = ["name"]
    raw_id_fields = ["place", "party_org"]
