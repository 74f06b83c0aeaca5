"""Failed sign-ins brake a guesser: per user name and per client address, within a time window."""

from __future__ import annotations

from flis.access.throttle import SignInGuard, SignInThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_waits_after_the_limit_until_its_oldest_failure_ages_out() -> None:
    clock = Clock()
    throttle = SignInThrottle(limit=3, window_seconds=60, clock=clock)
    for _ in range(2):
        throttle.failed("ana")
        clock.now += 10
    assert throttle.wait_seconds("ana") == 0
    throttle.failed("ana")
    assert throttle.wait_seconds("ana") == 40  # the first failure was 20 s ago
    assert throttle.wait_seconds("bo") == 0
    clock.now += 40
    assert throttle.wait_seconds("ana") == 0


def test_success_clears_a_user_but_not_the_address() -> None:
    guard = SignInGuard(clock=Clock())
    for _ in range(5):
        guard.failed(user="Ana", address="10.0.0.1")
    assert guard.wait_seconds(user="ana", address="10.0.0.2") > 0  # names compare case-blind
    guard.succeeded(user="ana")
    assert guard.wait_seconds(user="ana", address="10.0.0.2") == 0
    assert guard.by_address.wait_seconds("10.0.0.1") == 0  # 5 of the address's 30


def test_one_address_guessing_many_names_is_braked_too() -> None:
    guard = SignInGuard(clock=Clock())
    for n in range(30):
        guard.failed(user=f"user{n}", address="10.0.0.1")
    assert guard.wait_seconds(user="someone-new", address="10.0.0.1") > 0
    assert guard.wait_seconds(user=None, address="10.0.0.1") > 0  # token sign-in as well
    assert guard.wait_seconds(user="someone-new", address="10.0.0.9") == 0
