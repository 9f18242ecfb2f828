"""Columns compared byte by byte, so that a prefix is an index range on every database.

Tree paths and search keys are matched by prefix (`path` of a subtree, the start of a name).
A prefix match is one index range scan only when the column sorts by code point: SQLite's
default BINARY collation does; on PostgreSQL we ask for the "C" collation whatever the
database's locale is. The migration files stay the same for both databases.
"""

from django.db import models
from django.db.models import Q

# Sorts after every character a path or a name can hold, so [p, p + END) is "starts with p".
PREFIX_END = "\U0010ffff"


class BinaryCharField(models.CharField):
    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql" and not self.db_collation:
            params["collation"] = "C"
        return params


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, written as an index-friendly range."""
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + PREFIX_END})


def ancestor_paths(path: str, steplen: int, *, include_self: bool = True) -> list[str]:
    """The materialised paths of a tree node's ancestors, root first (and its own, last)."""
    end = len(path) + 1 if include_self else len(path)
    return [path[:i] for i in range(steplen, end, steplen)]
