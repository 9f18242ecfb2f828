"""Rule sets and star criteria are district configuration (ConfigAdmin: district admins change
them). A rule version that has scored entries is read-only: a change is a new version, which is
added here as a copy of the latest one (services.version_create) and then edited."""

from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin

from . import services
from .models import PointEntry, Rule, RuleSet, RuleVersion, StarIndicator, StarLevel, StarScheme


def _used(version) -> bool:
    return version is not None and version.pk is not None and PointEntry.objects.filter(rule__version=version).exists()


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ("order", "code", "category", "name", "points", "source", "meeting_types", "cap")
    filter_horizontal = ()

    def has_change_permission(self, request, obj=None):
        return not _used(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _used(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _used(obj) and request.user.is_superuser


class RuleVersionInline(admin.TabularInline):
    model = RuleVersion
    extra = 0
    fields = ("number", "effective_from", "base_score", "floor", "note")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ConfigAdmin):
    list_display = ("name", "organization", "cycle_start_month")
    inlines = [RuleVersionInline]


@admin.register(RuleVersion)
class RuleVersionAdmin(ConfigAdmin):
    list_display = ("ruleset", "number", "effective_from", "base_score", "floor", "note")
    list_filter = ("ruleset",)
    inlines = [RuleInline]

    def get_fields(self, request, obj=None):
        fields = ["ruleset", "effective_from", "note", "base_score", "floor", "excellent_min", "pass_min", "basic_min"]
        return fields if obj is None else ["number", *fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return self.get_fields(request, obj) if _used(obj) else ("number", "ruleset", "effective_from")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form

        class NewVersionForm(form):
            def clean(self):
                data = super().clean()
                if data.get("ruleset") and data.get("effective_from"):
                    for field, error in services.version_errors(ruleset=data["ruleset"], effective_from=data["effective_from"],
                                                                note=data.get("note", "")).items():
                        self.add_error(field, error)
                return data

        return NewVersionForm

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        changes = {f: form.cleaned_data[f] for f in ("base_score", "floor", "excellent_min", "pass_min", "basic_min")}
        created = services.version_create(acting_user=request.user, ruleset=obj.ruleset, effective_from=obj.effective_from, note=obj.note, **changes)
        obj.pk, obj.number = created.pk, created.number

    def save_related(self, request, form, formsets, change):
        if change:  # a new version's rules are the copies made by version_create
            super().save_related(request, form, formsets, change)


class StarIndicatorInline(admin.TabularInline):
    model = StarIndicator
    extra = 0


class StarLevelInline(admin.TabularInline):
    model = StarLevel
    extra = 0


@admin.register(StarScheme)
class StarSchemeAdmin(ConfigAdmin):
    list_display = ("name", "is_active", "publicity_days")
    inlines = [StarIndicatorInline, StarLevelInline]


