"""Fast inserts for large imports: rows as plain tuples, history rows copied in SQL.

Django's bulk_create compiles every field of every object (about 25 function calls per value);
for 100,000 residents and their 100,000 history rows that was most of an import's time.
- `insert_rows`: the INSERT is built once per model; rows are dicts turned into tuples, converted
  only where the database needs it (dates and datetimes through the backend's adapters, anything
  unusual through the field's get_db_prep_save). Model `save()` and signals are not run; fields a
  row leaves out take their default (`auto_now`/`auto_now_add`: the time of the insert). SQLite
  gets one executemany per call, PostgreSQL a COPY FROM STDIN (psycopg 3).
- `reserve_ids`: primary keys taken before inserting, so rows can point at each other.
- `insert_history`: django-simple-history's rows for inserted records, in one INSERT … SELECT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from django.db import connection, models
from django.utils import timezone

_NOW = object()  # the default of auto_now / auto_now_add fields: the time of the insert
_PLAIN = {
    "AutoField", "BigAutoField", "SmallAutoField",
    "CharField", "TextField", "IntegerField", "BigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SmallIntegerField", "BooleanField", "ForeignKey", "OneToOneField", "BinaryCharField",
}


def _converter(field) -> Callable | None:
    internal = field.get_internal_type()
    if internal in _PLAIN:
        return None
    if internal == "DateField":
        return connection.ops.adapt_datefield_value
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return lambda value: field.get_db_prep_save(value, connection)


@dataclass(frozen=True)
class _Plan:
    insert: str  # INSERT … VALUES (%s, …)
    copy: str  # COPY … FROM STDIN (PostgreSQL)
    values: Callable  # row dict (defaults filled in) → tuple of values in column order
    defaults: dict  # attname → default (_NOW for auto_now / auto_now_add fields)
    converted: tuple  # (index, converter) of the columns the database needs converted
    computed: tuple  # (attname, function) of callable defaults, called for rows without the field


@lru_cache(maxsize=64)
def _plan(model: type[models.Model], vendor: str, with_pk: bool) -> _Plan:
    """How to insert `model`'s rows: every column, but an auto pk unless the caller gives it
    (see reserve_ids)."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not (f.primary_key and isinstance(f, models.AutoField))]
    qn = connection.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    defaults, computed = {}, []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = _NOW
        elif f.has_default() and callable(f.default):
            computed.append((f.attname, f.get_default))  # a fresh value per row (uuid4 …)
        else:
            defaults[f.attname] = f.get_default()  # "" for text fields without one, None if nullable
    converted = tuple((i, c) for i, c in enumerate(_converter(f) for f in fields) if c is not None)
    return _Plan(
        insert=f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
        copy=f"COPY {table} ({columns}) FROM STDIN",
        values=itemgetter(*(f.attname for f in fields)), defaults=defaults, converted=converted, computed=tuple(computed),
    )


def insert_rows(model: type[models.Model], rows: Iterable[dict], *, now=None, with_pk: bool = False) -> int:
    """INSERT every row (a dict by field attname; missing fields take their default). Returns
    the number of rows. With `with_pk` each row carries its primary key (from reserve_ids);
    otherwise the database assigns them and they are not returned."""
    plan = _plan(model, connection.vendor, with_pk)
    now = now or timezone.now()
    defaults, values, converted = plan.defaults, plan.values, plan.converted
    last: dict[int, tuple] = {}  # column → (value, converted): timestamps repeat down a batch
    params = []
    for row in rows:
        for attname, make in plan.computed:
            if attname not in row:
                row = row | {attname: make()}
        row_values = list(values(defaults | row))
        for i, convert in converted:
            value = row_values[i]
            if value is _NOW:
                value = now
            if value is None:
                continue
            seen = last.get(i)
            if seen is not None and seen[0] is value:
                row_values[i] = seen[1]
            else:
                row_values[i] = convert(value)
                last[i] = (value, row_values[i])
        params.append(row_values)
    if params:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(plan.copy) as copy:
                    for row_values in params:
                        copy.write_row(row_values)
            else:
                cursor.executemany(plan.insert, params)
    return len(params)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, taken before inserting so that rows can point at
    each other (a household at its head, a person at their household) without reading ids back
    or updating afterwards. Must run inside the transaction that inserts them.

    PostgreSQL: from the column's sequence. SQLite: after the largest id used (AUTOINCREMENT's
    sqlite_sequence included); safe because Django opens SQLite write transactions IMMEDIATE,
    so no other connection writes until this one commits.
    """
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":  # settings accept only these two (dj-database-url URLs)
            raise RuntimeError(f"Gongzhi runs on SQLite and PostgreSQL; it cannot reserve keys on {connection.vendor}.")
        qn = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX({qn(column)}) FROM {qn(table)}), 0),"
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))", [table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert_history(model: type[models.Model], pks: list, *, user, when=None, kind: str = "+") -> None:
    """django-simple-history's rows for `pks` of `model`, as they are now in the database, in
    one INSERT … SELECT (no Python per row): what simple-history writes for a created ("+") or
    changed ("~") record."""
    if not pks:
        return
    history = model.history.model
    qn = connection.ops.quote_name
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    copied = [f.column for f in history._meta.concrete_fields if f.name not in own]
    columns = ", ".join(qn(c) for c in copied)
    pk = qn(model._meta.pk.column)
    if connection.vendor == "postgresql":
        where, params = f"{pk} = ANY(%s)", [list(pks)]
    else:
        where, params = f"{pk} IN ({', '.join(['%s'] * len(pks))})", list(pks)
    sql = (
        f"INSERT INTO {qn(history._meta.db_table)} ({columns}, {qn('history_date')}, {qn('history_change_reason')}, "
        f"{qn('history_type')}, {qn('history_user_id')}) SELECT {columns}, %s, NULL, %s, %s FROM {qn(model._meta.db_table)} WHERE {where}"
    )
    date = connection.ops.adapt_datetimefield_value(when or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [date, kind, getattr(user, "pk", None), *params])
