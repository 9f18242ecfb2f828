from django.contrib import admin

from gongzhi.core.admin import HistoryScopedAdmin

from .models import CommunityCheckin, Household, PartyMember, Person


@admin.register(Person)
class PersonAdmin(HistoryScopedAdmin):
    """Read-mostly: people are created and edited through the registry pages (validated services)."""

    list_display = ["name", "gender", "birth_date", "id_number_mask", "phone_mask", "place", "status"]
    list_filter = ["status", "political_status", "gender"]
    search_fields = ["=name", "=id_last4"]
    readonly_fields = ["name", "gender", "birth_date", "id_number_mask", "phone_mask", "place", "household"]
    fields = ["name", "gender", "birth_date", "id_number_mask", "phone_mask", "place", "household", "ethnicity", "relation_to_head", "political_status", "status", "note"]
    list_select_related = ["place"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(Household)
class HouseholdAdmin(HistoryScopedAdmin):
    list_display = ["__str__", "room", "head"]
    raw_id_fields = ["place", "head"]
    list_select_related = ["place", "head"]
    show_full_result_count = False


@admin.register(PartyMember)
class PartyMemberAdmin(HistoryScopedAdmin):
    list_display = ["person", "organization", "category", "joined_on", "full_on", "is_away", "status"]
    list_filter = ["category", "is_away", "status"]
    raw_id_fields = ["person", "organization"]
    list_select_related = ["person", "organization"]
    show_full_result_count = False


@admin.register(CommunityCheckin)
class CommunityCheckinAdmin(HistoryScopedAdmin):
    list_display = ["member", "employer", "employer_level", "community", "registered_on"]
    raw_id_fields = ["member", "community"]
