"""What validating a sheet found: counts, the problems of each row, the ignored columns."""

from __future__ import annotations

from dataclasses import dataclass, field

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


@dataclass
class ImportResult:
    kind: str  # "residents" or "members"
    ignored_columns: tuple[str, ...] = ()
    header_row: int = 1
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: dict[int, list[str]] = field(default_factory=dict)  # row number → Chinese messages

    @property
    def errors(self) -> int:
        """Rows with at least one problem."""
        return len(self.problems)

    @property
    def ok(self) -> bool:
        """All or nothing: the file may be applied only when no row has a problem."""
        return not self.problems and self.rows > 0

    def add(self, row: int, column: str, message: str) -> None:
        """Record a problem; the message is prefixed with its column unless it names it first."""
        text = message if message.startswith(column) else f"{column}：{message}"
        self.problems.setdefault(row, []).append(text)

    def count(self, status: str, delta: int = 1) -> None:
        setattr(self, status, getattr(self, status) + delta)

    def summary(self) -> dict:
        return {"rows": self.rows, "errors": self.errors, "new": self.new, "updated": self.updated, "unchanged": self.unchanged}
