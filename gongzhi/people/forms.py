"""Forms of the people pages. Every choice comes from a scope-filtered selector; the rules
(ID number check digit, phone shape, duplicates, residence in scope) are the services', whose
Chinese errors land on the fields (gongzhi.core.forms.add_service_errors)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.forms import add_service_errors, chinese_required
from gongzhi.org import selectors as org_selectors
from gongzhi.org.models import Place

from . import selectors, services
from .models import Gender, Household, MemberCategory, MemberStatus, Person, PersonStatus, PoliticalStatus, RevealedField

ALL = [("", _("全部"))]


class _ScopedNodeField(forms.IntegerField):
    """A tree node given by its id, looked up in the user's scope (missing or out of scope: the
    selector's 404, as for an object in the path); a select whose options the view sets (a
    district's tree has too many nodes for one list)."""

    widget = forms.Select

    def __init__(self, *, lookup, **kwargs):
        super().__init__(required=False, **kwargs)
        self.lookup = lookup

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self.lookup(pk)


def tree_options(nodes, *, blank: str, selected=None) -> list[tuple]:
    """Options of a tree select, indented by depth; `selected` is kept even if not in `nodes`."""
    nodes = list(nodes)
    top = min((n.depth for n in nodes), default=1)
    options = [("", blank)] + [(n.pk, "\u3000" * (n.depth - top) + n.name) for n in nodes]
    if selected is not None and selected.pk not in {n.pk for n in nodes}:
        options.insert(1, (selected.pk, selected.name))
    return options


# ---------------------------------------------------------------- search and list filters


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("查找"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名、拼音首字母（如 zs）、手机号或身份证后4位"), "autocomplete": "off", "autofocus": True}),
    )
    political_status = forms.ChoiceField(label=_("政治面貌"), required=False, choices=ALL + PoliticalStatus.choices)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + PersonStatus.choices)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"] = _ScopedNodeField(label=_("地点"), lookup=lambda pk: org_selectors.place_get(scope=scope, pk=pk))
        self.order_fields(["q", "place", "political_status", "status"])

    def filters(self) -> dict:
        """The selector's keyword arguments (an invalid place is left out, its error shown)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "place": data.get("place"),
            "political_status": data.get("political_status", ""),
            "status": data.get("status", ""),
        }

    @property
    def searched(self) -> bool:
        return any(self.filters().values())


class MemberFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("党员类型"), required=False, choices=ALL + MemberCategory.choices)
    away = forms.ChoiceField(label=_("在外"), required=False, choices=ALL + [("1", _("在外党员")), ("0", _("不在外"))])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + MemberStatus.choices)

    def __init__(self, data=None, *, scope, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = MemberStatus.ACTIVE  # 在册 unless asked otherwise
        super().__init__(data, **kwargs)
        self.fields["org"] = _ScopedNodeField(label=pgettext_lazy("singular", "党组织"), lookup=lambda pk: org_selectors.org_get(scope=scope, pk=pk))
        self.order_fields(["org", "category", "away", "status"])

    def filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        away = data.get("away", "")
        return {
            "organization": data.get("org"),
            "category": data.get("category", ""),
            "is_away": None if away == "" else away == "1",
            "status": data.get("status", ""),
        }


# ---------------------------------------------------------------- persons


class _PersonFields(forms.Form):
    """What the create and edit forms share: the residence (in scope) and the household there."""

    def _residence_fields(self, scope, place: Place | None, household: Household | None, near: Place | None = None) -> None:
        self.scope = scope
        self.fields["place"] = forms.ModelChoiceField(
            label=_("居住楼栋/单元"), queryset=selectors.residences(scope=scope),
            error_messages={"invalid_choice": _("所选楼栋不存在或不在您的管理范围内。"), "required": _("请选择居住楼栋/单元。")},
        )
        options = selectors.residence_choices(scope=scope, near=near or place)
        self.residences_complete = options.complete
        self.fields["place"].widget.choices = [("", _("请选择楼栋/单元"))] + options
        # htmx: choosing another building reloads the list of its households.
        self.fields["place"].widget.attrs.update(
            {"hx-get": reverse("people:household_options"), "hx-target": "#id_household", "hx-trigger": "change", "hx-swap": "innerHTML"}
        )
        self.fields["household"] = forms.ModelChoiceField(
            label=pgettext_lazy("singular", "户"), required=False, queryset=selectors.households(scope=scope),
            error_messages={"invalid_choice": _("所选的户不存在或不在您的管理范围内。")},
            help_text=_("可先登记居民，再到楼栋页面新建户。"),
        )
        self.set_household_options(place, household)

    def set_household_options(self, place: Place | None, household: Household | None) -> None:
        options = [("", _("暂不归户"))]
        if place is not None:
            options += [(h.pk, h.room) for h in selectors.households_at(scope=self.scope, place=place)]
        if household is not None and household.pk not in {pk for pk, _label in options}:
            options.append((household.pk, str(household)))
        self.fields["household"].widget.choices = options

    def residence_from_data(self, default: Place | None) -> Place | None:
        """The place currently chosen (bound data first), for the household options."""
        raw = self.data.get(self.add_prefix("place")) if self.is_bound else None
        if raw:
            try:
                return selectors.residence_get(scope=self.scope, pk=raw)
            except Http404:
                return None
        return default


class PersonCreateForm(_PersonFields):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("公民身份号码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
        help_text=_("18位；全角数字、空格和小写x会自动规范。"),
    )
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", _("按身份号码"))] + Gender.choices, help_text=_("留空则按身份号码第17位。"))
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("留空则取身份号码中的日期。"))
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    relation_to_head = forms.CharField(label=_("与户主关系"), max_length=20, required=False)
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=PoliticalStatus.choices, initial=PoliticalStatus.MASSES)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, scope, place: Place | None = None, household: Household | None = None, near: Place | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._residence_fields(scope, place, household, near)
        self.fields["place"].initial = place.pk if place else None
        self.fields["household"].initial = household.pk if household else None
        if self.is_bound:
            self.set_household_options(self.residence_from_data(place), household)
        self.order_fields(["name", "id_number", "phone", "gender", "birth_date", "ethnicity", "place", "household", "relation_to_head", "political_status", "note"])
        chinese_required(self)

    def clean(self):
        """Every field's error at once: the services' own checks of the ID number (with the gender
        and birth date given beside it) and of the phone run here too, not only at the first error."""
        data = super().clean()
        checks = []
        if data.get("id_number"):
            checks.append(lambda: services.identity_fields(data["id_number"], gender=data.get("gender") or None, birth_date=data.get("birth_date")))
        if data.get("phone"):
            checks.append(lambda: services.phone_fields(data["phone"]))
        for check in checks:
            try:
                check()
            except ValidationError as e:
                add_service_errors(self, e)
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["gender"] = data["gender"] or None
        return data


class PersonEditForm(_PersonFields):
    """Everything but the ID number (which identifies the person; gender and birth date come
    from it). The phone is never shown: a new number replaces it, "清除" removes it."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("新手机号码"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    clear_phone = forms.BooleanField(label=_("清除已登记的手机号码"), required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20)
    relation_to_head = forms.CharField(label=_("与户主关系"), max_length=20, required=False)
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=PoliticalStatus.choices)
    status = forms.ChoiceField(label=_("状态"), choices=PersonStatus.choices)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    EDITABLE = ("name", "ethnicity", "place", "household", "relation_to_head", "political_status", "status", "note")

    def __init__(self, *args, scope, person: Person, **kwargs):
        kwargs.setdefault("initial", {name: getattr(person, name) for name in self.EDITABLE if name not in ("place", "household")})
        super().__init__(*args, **kwargs)
        self.person = person
        self._residence_fields(scope, person.place, person.household)
        self.fields["place"].initial = person.place_id
        self.fields["household"].initial = person.household_id
        if self.is_bound:
            self.set_household_options(self.residence_from_data(person.place), person.household)
        self.fields["phone"].help_text = (
            _("已登记 %(phone)s；留空则不变。") % {"phone": person.phone_mask} if person.phone_mask else _("尚未登记手机号码。")
        )
        self.order_fields(["name", "phone", "clear_phone", "ethnicity", "place", "household", "relation_to_head", "political_status", "status", "note"])
        chinese_required(self)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone:
            try:
                services.phone_fields(phone)
            except ValidationError as e:
                raise ValidationError(e.message_dict["phone"])  # the service's Chinese error, at this field
        return phone

    def clean(self):
        data = super().clean()
        if data.get("clear_phone") and data.get("phone"):
            self.add_error("phone", _("要清除手机号码时请不要同时填写新号码。"))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        changes = {name: data[name] for name in self.EDITABLE}
        if data["clear_phone"]:
            changes["phone"] = ""
        elif data["phone"]:
            changes["phone"] = data["phone"]
        return changes

    @property
    def changes_anything(self) -> bool:
        data = self.cleaned_data
        return bool(data["phone"] or data["clear_phone"]) or any(
            getattr(self.person, f"{name}_id" if name in ("place", "household") else name) != (getattr(data[name], "pk", data[name]))
            for name in self.EDITABLE
        )


# ---------------------------------------------------------------- households


class HouseholdCreateForm(forms.Form):
    room = forms.CharField(label=_("房号"), max_length=20, help_text=_("如 2-301（单元-房号）。"))

    def __init__(self, *args, scope, place: Place, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.fields["head"] = forms.ModelChoiceField(
            label=_("户主"), required=False, queryset=selectors.persons_at(scope=scope, place=place),
            empty_label=_("暂不指定"), help_text=_("本楼栋/单元尚未归户的在册居民。"),
            error_messages={"invalid_choice": _("所选户主不在本楼栋，或不在您的管理范围内。")},
        )
        self.fields["head"].queryset = self.fields["head"].queryset.filter(household__isnull=True)
        chinese_required(self)


class MemberStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("变更为"), choices=MemberStatus.choices)
    on = forms.DateField(label=_("变更日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("如转往的党组织、组织关系介绍信编号。"))

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, l) for v, l in MemberStatus.choices if v != member.status]
        chinese_required(self)


class MemberTransferForm(forms.Form):
    to_organization = forms.ModelChoiceField(label=_("转入党组织"), queryset=None, empty_label=_("请选择"))
    on = forms.DateField(label=_("转接日期"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("在转入党组织的第一天"))
    reason = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("如组织关系介绍信编号。"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = organizations
        chinese_required(self)


# ---------------------------------------------------------------- full personal data


class RevealForm(forms.Form):
    """Why the user needs the full number (the service checks the length and logs it)."""

    reason = forms.CharField(
        label=_("查看原因"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：核对身份办理业务"), "autocomplete": "off"}),
    )


class RevealFilterForm(forms.Form):
    user = forms.ModelChoiceField(label=_("查看人"), required=False, queryset=None, empty_label=_("全部"))
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    field = forms.ChoiceField(label=_("查看内容"), required=False, choices=ALL + RevealedField.choices)

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["user"].queryset = selectors.reveal_users(scope=scope)
        self.fields["user"].error_messages["invalid_choice"] = _("所选查看人不在列表中。")

    def filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) or default for key, default in (("user", None), ("date_from", None), ("date_to", None), ("field", ""))}


# ---------------------------------------------------------------- import


class ImportUploadForm(forms.Form):
    """Which sheet (居民 or 党员) and the file: .xlsx or .csv, not empty, not too large."""

    kind = forms.ChoiceField(
        label=_("导入内容"), choices=[("residents", _("居民（含住户）")), ("members", _("党员"))], initial="residents",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("文件"), help_text=_("Excel（.xlsx）或 CSV 文件，表头与导入模板一致，列的顺序不限。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        self.fields["file"].error_messages["required"] = _("请选择要上传的文件。")
        self.fields["file"].error_messages["empty"] = _("上传的文件是空的。")
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self):
        from django.conf import settings

        from .imports.reader import SUPPORTED

        upload = self.cleaned_data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in SUPPORTED:
            raise ValidationError(_("不支持“%(name)s”的文件类型：请上传.xlsx或.csv文件（.xls请先在Excel中另存为.xlsx）。") % {"name": upload.name})
        limit = settings.GONGZHI_IMPORT_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise ValidationError(_("文件超过%(limit)sMB：请拆分成几个文件分别导入。") % {"limit": limit})
        return upload
