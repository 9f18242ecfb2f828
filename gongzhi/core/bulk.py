"""Fast inserts for large imports: one executemany per batch, with the history rows beside.

Django's bulk_create compiles every field of every object (about 25 function calls per value);
for 100,000 residents and their 100,000 history rows that is most of an import's time. Here
the INSERT is built once per model and rows are plain tuples, converted only where the database
needs it (dates and datetimes through the backend's adapters, anything unusual through the
field's own get_db_prep_save). Model `save()`, signals and defaults are NOT applied: callers give
every value (`insert_rows` fills `auto_now`/`auto_now_add` fields and plain defaults). The
history rows are what django-simple-history itself writes for a "+" (created) record.

SQLite gets one executemany per call; PostgreSQL a COPY FROM STDIN (psycopg 3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from django.db import connection, models
from django.utils import timezone

_NOW = object()  # the default of auto_now / auto_now_add fields: the time of the insert
_PLAIN = {
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


def _fields(model, with_pk: bool) -> list:
    return [f for f in model._meta.concrete_fields if with_pk or not (f.primary_key and isinstance(f, models.AutoField))]


@lru_cache(maxsize=64)
def _plan(model: type[models.Model], vendor: str, with_pk: bool) -> tuple[str, tuple]:
    """The INSERT statement and (attname, converter, default) for every column (but an auto pk
    unless the caller gives it, see reserve_ids)."""
    fields = _fields(model, with_pk)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields)),
    )
    columns = []
    for f in fields:
        timestamp = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = _NOW if timestamp else (f.get_default() if f.has_default() else None)
        columns.append((f.attname, _converter(f), default))
    return sql, tuple(columns)


def insert_rows(model: type[models.Model], rows: Iterable[dict], *, now=None, with_pk: bool = False) -> int:
    """INSERT every row (a dict by field attname; missing fields take their default). Returns
    the number of rows. With `with_pk` each row carries its primary key (from reserve_ids);
    otherwise the database assigns them and they are not returned."""
    sql, columns = _plan(model, connection.vendor, with_pk)
    now = now or timezone.now()
    params = []
    last: dict[str, tuple] = {}  # column → (value, converted): timestamps repeat down a batch
    for row in rows:
        values = []
        for attname, convert, default in columns:
            value = row.get(attname, default)
            if value is _NOW:
                value = now
            if convert is not None and value is not None:
                seen = last.get(attname)
                if seen is not None and seen[0] is value:
                    value = seen[1]
                else:
                    converted = convert(value)
                    last[attname] = (value, converted)
                    value = converted
            values.append(value)
        params.append(values)
    if params:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                _copy(cursor, model, params, with_pk)
            else:
                cursor.executemany(sql, params)
    return len(params)


def _copy(cursor, model, params, with_pk: bool) -> None:
    """PostgreSQL: COPY FROM STDIN (psycopg 3), several times faster than executemany."""
    qn = connection.ops.quote_name
    fields = _fields(model, with_pk)
    sql = "COPY {} ({}) FROM STDIN".format(qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
    with cursor.cursor.copy(sql) as copy:
        for row in params:
            copy.write_row(row)


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
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"reserve_ids: {connection.vendor}")
        qn = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX({qn(column)}) FROM {qn(table)}), 0),"
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))", [table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def history_rows(rows: Iterable[dict], *, user, when=None, reason: str | None = None, kind: str = "+") -> list[dict]:
    """The django-simple-history rows recording `rows` (each holding its "id") as created."""
    when = when or timezone.now()
    user_id = getattr(user, "pk", None)
    return [row | {"history_date": when, "history_type": kind, "history_user_id": user_id, "history_change_reason": reason} for row in rows]


__all__ = ["insert_rows", "history_rows"]
