"""Hooks between modules. A lower module emits an event; a higher one subscribes (the module
graph never points upwards). Subscribers run after the emitting transaction commits, so a
failure there never undoes the record that caused it; the ledgers they feed can be rebuilt from
the records. The events in use are listed in docs/ARCHITECTURE.md › Events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(name: str, handler: Callable[..., None]) -> None:
    """Call `handler(**payload)` after every commit that emitted `name` (once per handler)."""
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)


def emit(name: str, **payload) -> None:
    """Tell the subscribers of `name`, once the current transaction commits (at once outside one)."""
    for handler in list(_subscribers.get(name, ())):
        transaction.on_commit(lambda handler=handler: handler(**payload))
