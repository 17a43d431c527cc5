"""The crash tier: for every variant and backend, each kind of process is killed with SIGKILL
under load (conftest.py); afterwards nothing may be lost, doubled or stranded.

One variant: `.venv/bin/pytest tests/crash -k monolith`. See docs/crash-tests.md."""

import pytest

from launcher.experiments import invariants


def _no_breach(breaches: list[str], what: str) -> None:
    more = f"\n  ... and {len(breaches) - 20} more" if len(breaches) > 20 else ""
    shown = "\n  ".join(breaches[:20]) + more
    if breaches:
        pytest.fail(f"{what}: {len(breaches)}\n  {shown}", pytrace=False)


def test_every_killed_process_comes_back_by_itself(crash_run):
    _no_breach([f"{o.kind} (pid {o.pid}): {o.why}" for o in crash_run.outages if not o.restarted],
               "killed processes that did not come back while the shop kept running")


def test_every_order_and_cancel_gets_an_outcome_when_retried(facts):
    _no_breach(invariants.every_request_has_an_outcome(facts), "requests without an outcome")


def test_one_order_and_at_most_one_charge_per_idempotency_key(facts):
    _no_breach(invariants.one_order_per_key(facts), "keys with other than one order")


def test_stock_is_initial_plus_restocks_minus_confirmed_orders(facts):
    _no_breach(invariants.stock_balances(facts), "stock that does not balance")


def test_every_payment_belongs_to_its_order_in_a_matching_state(facts):
    _no_breach(invariants.payments_match_orders(facts.store), "payments that do not match their order")


def test_no_order_is_left_pending_after_the_recovery_timeout(facts):
    _no_breach(invariants.nothing_left_pending(facts.store), "orders left undecided")


def test_one_notification_per_confirmed_and_per_cancelled_order(facts):
    _no_breach(invariants.one_notification_per_event(facts.store), "notifications missing or doubled")


def test_stopping_the_shop_leaves_no_process_behind(crash_shop, facts):
    _no_breach([str(pid) for pid in crash_shop.stop()], "processes left after `shop up` got SIGTERM")
