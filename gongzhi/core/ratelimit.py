"""Counting tries per address in the cache, for pages anyone may post to without a login (QR
sign-in, objections to a 公示, votes, 点单): past `limit` tries in `window` seconds, refuse until
the window has passed. Shared by every process through the configured cache (Redis in a
deployment of several processes); a lost count only loosens the limit, never blocks anyone."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str  # what is counted, e.g. "partylife:signin-failures"
    limit: int
    window: int  # seconds

    def _key(self, *parts) -> str:
        return ":".join([self.name, *map(str, parts)])

    def exceeded(self, *parts) -> bool:
        """Whether `parts` (an object's id, an address …) used up their tries."""
        return cache.get(self._key(*parts), 0) >= self.limit

    def hit(self, *parts) -> None:
        """Count one try of `parts`; the window starts at the first."""
        key = self._key(*parts)
        cache.add(key, 0, self.window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.window)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
