"""Forms for adding nodes to the two trees. Choices come from selectors (scope-filtered);
the level rules are checked by the services, whose Chinese errors land on the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import add_service_errors

from . import selectors
from .models import PartyOrganization, Place, PlaceLevel
from .services import organization_create, place_create


class PlaceCreateForm(forms.Form):
    level = forms.ChoiceField(label=_("层级"))
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(label=_("区划代码"), max_length=12, required=False, help_text=_("街道、社区填写12位统计用区划代码"))
    property_manager = forms.CharField(label=_("物业服务企业"), max_length=100, required=False)
    competent_department = forms.CharField(label=_("主管部门"), max_length=100, required=False)
    has_self_organisation = forms.BooleanField(label=_("有居民自治组织（业委会、自管小组等）"), required=False)
    units = forms.IntegerField(label=_("单元数"), min_value=1, max_value=99, required=False)
    floors = forms.IntegerField(label=_("层数"), min_value=1, max_value=200, required=False)

    COMPOUND_FIELDS = ("property_manager", "competent_department", "has_self_organisation")
    BUILDING_FIELDS = ("units", "floors")

    def __init__(self, *args, scope, parent: Place, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope, self.parent = scope, parent
        levels = selectors.place_children_levels(parent)
        self.fields["level"].choices = [(level, PlaceLevel(level).label) for level in levels]
        if len(levels) == 1:
            self.fields["level"].initial = levels[0]
        if PlaceLevel.COMPOUND not in levels:
            for name in self.COMPOUND_FIELDS:
                del self.fields[name]
        if PlaceLevel.BUILDING not in levels:
            for name in self.BUILDING_FIELDS:
                del self.fields[name]

    def save(self) -> Place | None:
        """Create the place through the service; on a rule error, put it on the field and return None."""
        data = dict(self.cleaned_data)
        level = data.pop("level")
        attrs = {k: v for k, v in data.items() if k not in ("name", "code") and v not in (None, "")}
        if level != PlaceLevel.COMPOUND:
            attrs = {k: v for k, v in attrs.items() if k not in self.COMPOUND_FIELDS}
        if level != PlaceLevel.BUILDING:
            attrs = {k: v for k, v in attrs.items() if k not in self.BUILDING_FIELDS}
        try:
            return place_create(scope=self.scope, parent=self.parent, level=level, name=data["name"].strip(), code=data["code"].strip(), **attrs)
        except ValidationError as e:
            add_service_errors(self, e)
            return None


class OrganizationCreateForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("类别"), queryset=None, empty_label=_("请选择"))
    name = forms.CharField(label=_("名称"), max_length=100)
    place = forms.ModelChoiceField(label=_("所在地"), queryset=None, empty_label=_("请选择"), help_text=_("组织所在的街道、社区、小区或楼栋"))
    covers = forms.ModelMultipleChoiceField(
        label=_("覆盖小区"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("小区党支部须勾选所覆盖的小区；勾选多个即为联合建"),
    )
    secretary_name = forms.CharField(label=_("书记"), max_length=50, required=False)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, scope, parent: PartyOrganization, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope, self.parent = scope, parent
        self.fields["kind"].queryset = selectors.org_kind_choices(parent=parent)
        self.fields["place"].queryset = selectors.org_place_choices(scope=scope, parent=parent)
        self.fields["place"].label_from_instance = lambda p: "　" * (p.depth - parent.place.depth) + _("%(name)s（%(level)s）") % {"name": p.name, "level": p.get_level_display()}
        self.fields["covers"].queryset = selectors.org_cover_choices(scope=scope, parent=parent)

    def save(self) -> PartyOrganization | None:
        data = self.cleaned_data
        try:
            return organization_create(
                scope=self.scope, parent=self.parent, kind=data["kind"], name=data["name"].strip(), place=data["place"],
                covers=list(data["covers"]), secretary_name=data["secretary_name"].strip(), founded_on=data["founded_on"],
            )
        except ValidationError as e:
            add_service_errors(self, e, aliases={"parent": "kind"})
            return None
