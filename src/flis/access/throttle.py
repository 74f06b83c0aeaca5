"""Failed sign-ins slow a guesser down: after a few failures a key is refused for a while.

Keys are a user name and a client address; each has its own limit (an office behind one address
has many users, so its limit is higher). Memory only: a restart forgets, which is acceptable for
a brake on guessing, not an audit (the audit log is in the warehouse).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SignInThrottle:
    """At most ``limit`` failures per key within ``window_seconds``; then the key waits."""

    def __init__(
        self,
        *,
        limit: int,
        window_seconds: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self._clock = limit, window_seconds, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        return failures

    def wait_seconds(self, key: str) -> float:
        """0 when ``key`` may try now, else how long until its oldest failure ages out."""
        with self._lock:
            now = self._clock()
            failures = self._recent(key, now)
            if len(failures) < self.limit:
                return 0.0
            return self.window - (now - failures[0])

    def failed(self, key: str) -> None:
        with self._lock:
            now = self._clock()
            if len(self._failures) > 100_000:  # a flood of made-up names: forget the old ones
                self._failures = {k: v for k, v in self._failures.items() if self._recent(k, now)}
            failures = self._recent(key, now)
            failures.append(now)
            self._failures[key] = failures

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class SignInGuard:
    """The cockpit's two brakes: per user name (5 failures) and per client address (30)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.by_user = SignInThrottle(limit=5, clock=clock)
        self.by_address = SignInThrottle(limit=30, clock=clock)

    def wait_seconds(self, *, user: str | None, address: str) -> float:
        waits = [self.by_address.wait_seconds(address)]
        if user:
            waits.append(self.by_user.wait_seconds(user.casefold()))
        return max(waits)

    def failed(self, *, user: str | None, address: str) -> None:
        self.by_address.failed(address)
        if user:
            self.by_user.failed(user.casefold())

    def succeeded(self, *, user: str) -> None:
        self.by_user.succeeded(user.casefold())
