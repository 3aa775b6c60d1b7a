"""Random sequences of changes against a simple model of stock and bookings.

Invariants after every step: stock never negative, reserved equals what open bookings hold,
the ledger matches the model, and undo puts back the previous files exactly.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from ledgerfile import manifest

from olshop_cli import store as store_module
from olshop_cli.errors import Conflict
from olshop_cli.store import Store
from olshop_cli.when import shop_zone

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=shop_zone("Asia/Jakarta"))
SKUS = ("PAN-24", "SPAT-1")
RESERVING = ("booked", "paid")


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        store_module.DURABLE = False  # logic, not durability, is under test here
        self.home = Path(tempfile.mkdtemp(prefix="olshop-prop-"))
        self.store = Store(self.home)
        with self.store.change() as ledger:
            for sku in SKUS:
                ledger.add_product(sku, sku.title(), 10_000, NOW, stock=5)
            ledger.add_customer("Mike", NOW)
        self.on_hand = {sku: 5 for sku in SKUS}
        self.bookings: dict[str, tuple[str, str, int]] = {}  # id -> (status, sku, qty)
        self.history: list[tuple[dict, dict, dict[str, bytes]]] = []

    def teardown(self):
        store_module.DURABLE = True
        shutil.rmtree(self.home, ignore_errors=True)

    def files(self) -> dict[str, bytes]:
        """Each part of the current version of the ledger, as stored."""
        return {
            part: (self.home / "data" / entry["file"]).read_bytes()
            for part, entry in manifest(self.home)["files"].items()
        }

    def reserved(self, sku: str) -> int:
        return sum(q for s, k, q in self.bookings.values() if k == sku and s in RESERVING)

    def change(self, action) -> bool:
        """Apply `action` to the real ledger; on success remember the state before it."""
        before = (dict(self.on_hand), dict(self.bookings), self.files())
        try:
            with self.store.change("test") as ledger:
                action(ledger)
        except Conflict:
            assert self.files() == before[2]  # a refusal changes nothing
            return False
        self.history = (self.history + [before])[-20:]
        return True

    def with_status(self, status: str) -> list[str]:
        return sorted(b for b, (s, _, _) in self.bookings.items() if s == status)

    @rule(sku=st.sampled_from(SKUS), qty=st.integers(1, 4))
    def book(self, sku, qty):
        fits = qty <= self.on_hand[sku] - self.reserved(sku)
        made = []
        ok = self.change(lambda led: made.append(led.book("mike", [f"{sku}:{qty}"], NOW).id))
        assert ok == fits
        if ok:
            self.bookings[made[0]] = ("booked", sku, qty)

    @rule(sku=st.sampled_from(SKUS), change=st.sampled_from(["+1", "+3", "-1", "-2", "=0"]))
    def stock(self, sku, change):
        op, n = change[0], int(change[1:])
        new = {"+": self.on_hand[sku] + n, "-": self.on_hand[sku] - n, "=": n}[op]
        ok = self.change(lambda led: led.adjust_stock(sku, change))
        assert ok == (new >= self.reserved(sku) and new >= 0)
        if ok:
            self.on_hand[sku] = new

    def _move(self, status, new_status, action, data):
        candidates = self.with_status(status)
        bid = data.draw(st.sampled_from(candidates))
        assert self.change(lambda led: action(led, bid))
        _, sku, qty = self.bookings[bid]
        self.bookings[bid] = (new_status, sku, qty)
        if new_status == "shipped":
            self.on_hand[sku] -= qty

    @precondition(lambda self: self.with_status("booked"))
    @rule(data=st.data())
    def pay(self, data):
        self._move("booked", "paid", lambda led, b: led.pay(b, NOW), data)

    @precondition(lambda self: self.with_status("paid"))
    @rule(data=st.data())
    def ship(self, data):
        self._move("paid", "shipped", lambda led, b: led.ship(b, "JNE", "J1", NOW), data)

    @precondition(lambda self: self.with_status("shipped"))
    @rule(data=st.data())
    def done(self, data):
        self._move("shipped", "done", lambda led, b: led.done(b, NOW), data)

    @precondition(lambda self: self.with_status("booked"))
    @rule(data=st.data(), release=st.booleans())
    def close_unpaid(self, data, release):
        if release:
            action = lambda led, b: led.release(b, NOW, force=True)  # noqa: E731
        else:
            action = lambda led, b: led.cancel(b, NOW)  # noqa: E731
        self._move("booked", "released" if release else "cancelled", action, data)

    @precondition(lambda self: self.history)
    @rule()
    def undo(self):
        on_hand, bookings, files = self.history.pop()
        self.store.undo()
        assert self.files() == files
        self.on_hand, self.bookings = on_hand, bookings

    @invariant()
    def matches_the_model(self):
        ledger = self.store.load()
        for sku in SKUS:
            product = ledger.products[sku]
            assert product.stock >= 0 and ledger.available(product) >= 0
            assert product.stock == self.on_hand[sku]
            assert ledger.reserved(sku) == self.reserved(sku)
        open_now = {b.id: b.status for b in ledger.bookings.values()}
        expected = {b: s for b, (s, _, _) in self.bookings.items() if s in RESERVING + ("shipped",)}
        assert open_now == expected


LedgerMachine.TestCase.settings = settings(
    max_examples=1000, stateful_step_count=12, deadline=timedelta(seconds=5)
)
TestLedger = LedgerMachine.TestCase
