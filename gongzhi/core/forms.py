"""What every app's forms share: Chinese "required" messages naming the field, putting a
service's Chinese errors on the form's fields, choosing an object in scope by id, and date and
whole-number fields whose errors name the field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATE_INPUT = {"type": "date"}


def chinese_required(form: forms.Form) -> None:
    """Each field's "required" message names it: 请填写<label>。 (请选择 for a choice)."""
    for f in form.fields.values():
        message = _("请选择%(label)s。") if isinstance(f, forms.ChoiceField) else _("请填写%(label)s。")
        f.error_messages["required"] = message % {"label": f.label}


def add_service_errors(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ValidationError on the form: each message at its field when the form has
    that field (after `aliases`, e.g. the service's "parent" rule shown at "kind"), else at the top."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, ValidationError(errors))


class ScopedChoiceField(forms.TypedChoiceField):
    """An object chosen by id among options the view sets; `lookup(pk)` fetches it in scope (404)."""

    def __init__(self, *, lookup=None, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.lookup = lookup

    def valid_value(self, value):
        return True  # any id may be asked; the scoped lookup decides (404 when out of scope)

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None or self.lookup is None else self.lookup(pk)


def _percent(message, values: dict) -> str:
    return str(message) % {key: str(value) for key, value in values.items()}


# A lazy message with %-placeholders filled when it is shown, in the language of that moment
# (`gettext_lazy("…%(label)s…") % {...}` at import time would fix it in the default language).
lazy_percent = lazy(_percent, str)


def date_field(label, **kwargs) -> forms.DateField:
    """A date typed or picked as 年-月-日, its error naming the field."""
    return forms.DateField(label=label, input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
                           error_messages={"invalid": lazy_percent(gettext_lazy("请按“年-月-日”填写%(label)s。"), {"label": label})}, **kwargs)


def int_field(label, **kwargs) -> forms.IntegerField:
    """A whole number whose errors name the field and its limits."""
    return forms.IntegerField(label=label, error_messages={
        "invalid": lazy_percent(gettext_lazy("%(label)s须为整数。"), {"label": label}),
        "min_value": lazy_percent(gettext_lazy("%(label)s不能小于 %%(limit_value)s。"), {"label": label}),
        "max_value": lazy_percent(gettext_lazy("%(label)s不能大于 %%(limit_value)s。"), {"label": label}),
    }, **kwargs)


def choose(form: forms.Form, name: str, lookup, options, empty=gettext_lazy("请选择")) -> None:
    """Give the ScopedChoiceField `name` its scoped `lookup` and its `options` (value, label)."""
    form.fields[name].lookup = lookup
    form.fields[name].choices = [("", empty)] + list(options)
