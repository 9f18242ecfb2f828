"""Who changed what and when, read back from django-simple-history for any record's page.

One piece for every model with `history = HistoricalRecords()`: `record_history(obj, fields=...)`
compares each version with the one before it on the listed fields (by column, so read-only
masks count too) and labels the values for display (choices by their label, foreign keys by
the related row's name, read in one query per foreign-key field). The page shows it with the
one partial `web/partials/history.html`. Query count: one for the versions, plus at most one
per foreign-key field in `fields`, whatever the number of versions.

Personal data: a model's encrypted columns and blind indexes are excluded from its history
(`HistoricalRecords(excluded_fields=...)`); only the masks are listed, so no plain value ever
reaches a history entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import ForeignKey, Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

HISTORY_TYPES = {"+": pgettext_lazy("history", "新建"), "~": pgettext_lazy("history", "修改"), "-": pgettext_lazy("history", "删除")}
HISTORY_LIMIT = 20


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: object
    kind: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    earlier_missing: bool = False  # a change whose previous version was never recorded (bulk import)
    type: str = ""  # simple-history's "+" (created), "~" (changed), "-" (deleted): `kind` is its label


@dataclass(frozen=True)
class _Change:
    field: str
    old: object
    new: object


def record_history(
    obj: Model, *, fields: tuple[str, ...], limit: int = HISTORY_LIMIT, related: dict[str, QuerySet] | None = None,
) -> list[HistoryEntry]:
    """The versions of `obj`, newest first (at most `limit`), each with the `fields` it changed.

    `related` gives, for a foreign-key field, the queryset its names are read from (e.g. with
    `select_related` when the related row's name needs another row); by default the related
    model's own rows. The caller has checked that `obj` is in scope.
    """
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    pairs = [(r, records[i + 1] if i + 1 < len(records) else None) for i, r in enumerate(records[:limit])]
    deltas = [(r, _diff(model, fields, old, r) if old is not None else None) for r, old in pairs]
    names = _related_names(model, [c for _r, d in deltas if d for c in d], related or {})
    entries = []
    for record, delta in deltas:
        entries.append(HistoryEntry(
            record.history_date, record.history_user, HISTORY_TYPES.get(record.history_type, ""),
            [] if delta is None else [_field_change(model, c, names) for c in delta],
            record.history_change_reason or "", earlier_missing=delta is None and record.history_type == "~",
            type=record.history_type,
        ))
    return entries


def _diff(model, fields, old, new) -> list[_Change]:
    columns = {name: model._meta.get_field(name).attname for name in fields}
    return [
        _Change(name, getattr(old, column), getattr(new, column))
        for name, column in columns.items()
        if getattr(old, column) != getattr(new, column)
    ]


def _related_names(model, changes, related) -> dict:
    """Display names of the rows that changed foreign keys point at: one query per field."""
    ids: dict[str, set] = {}
    for c in changes:
        if isinstance(model._meta.get_field(c.field), ForeignKey):
            ids.setdefault(c.field, set()).update(v for v in (c.old, c.new) if v)
    names = {}
    for name, pks in ids.items():
        if pks:
            qs = related.get(name, model._meta.get_field(name).remote_field.model._default_manager.all())
            names |= {(name, row.pk): str(row) for row in qs.filter(pk__in=pks)}
    return names


def _field_change(model, change, names) -> FieldChange:
    model_field = model._meta.get_field(change.field)
    choices = dict(model_field.flatchoices) if model_field.choices else None

    def show(value):
        if value in (None, ""):
            return str(_("（空）"))
        if isinstance(model_field, ForeignKey):
            return names.get((change.field, value), f"#{value}")
        if choices is not None:
            return str(choices.get(value, value))
        if isinstance(value, bool):
            return str(_("是") if value else _("否"))
        return str(value)

    return FieldChange(str(model_field.verbose_name), show(change.old), show(change.new))
