"""Which booking each incoming transfer of a bank statement pays, and recording them.

A transfer pays a booking when its amount is exactly what the booking owes (its kode unik
included) or, before anything is paid, the shop's DP minimum, and it came between the
booking's creation and today. Where several bookings owe that amount, the sender's name in
the transfer's description decides; where it does not single one out, the transfer is left
for the seller with the candidates. Never guessed, never recorded twice: every payment
recorded carries the row's key, and a row already recorded is shown as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from olshop_cli.ledger import Ledger
from olshop_cli.models import BOOKED, Booking
from olshop_cli.statement import Statement, Transfer

PAID, DP, BALANCE = "paid", "dp", "balance"  # what a matched transfer does
AMBIGUOUS, UNMATCHED, PENDING, RECORDED = "ambiguous", "unmatched", "pending", "recorded"
MATCHED = (PAID, DP, BALANCE)
WAITING = (AMBIGUOUS, UNMATCHED)  # for the seller to decide

# Words of a transfer's description that are the bank's, not the sender's name.
_BANK_WORDS = frozenset(
    "TRSF E BANKING CR DB FTSCY FTFVA WS KR OTOMATIS SWITCHING TRF TRANSFER DARI KE BI FAST "
    "SETORAN TUNAI MID QR DDR NBMB ESB TO BANK BCA BRI MANDIRI BNI PT CV INW CN DR MCM "
    "INHOUSETRF TRX PAYMENT PEMBAYARAN ATM".split()
)
_WORD = re.compile(r"[A-Z]{2,}")


@dataclass
class Step:
    """What the plan does with one transfer."""

    transfer: Transfer
    kind: str
    booking: Booking | None = None
    why: str = ""
    candidates: list[Booking] = field(default_factory=list)
    recorded_on: int | None = None  # RECORDED: the booking it was recorded on

    def to_dict(self) -> dict:
        t = self.transfer
        data: dict = {
            "line": t.line,
            "date": t.day.isoformat() if t.day else None,
            "time": t.time,
            "amount": t.amount if t.amount is not None else t.cents / 100,
            "cents": t.cents,
            "description": t.description,
            "ref": t.ref,
            "key": t.key,
            "kind": self.kind,
            "why": self.why,
        }
        if self.booking is not None:
            data["booking"] = self.booking.id
            data["customer"] = self.booking.customer
        if self.candidates:
            data["candidates"] = [b.id for b in self.candidates]
        if self.recorded_on is not None:
            data["booking"] = f"B{self.recorded_on}"
        return data


def sender(description: str) -> str:
    """Who a transfer is from, as far as its description says: its words without the
    bank's (`TRSF E-BANKING CR 0112/FTSCY/WS95031 150000.00MIKE TAN` -> `MIKE TAN`); the
    description itself when nothing is left."""
    words = [w for w in _WORD.findall(description.upper()) if w not in _BANK_WORDS]
    return " ".join(words) or description


@lru_cache(maxsize=4096)
def name_words(text: str) -> frozenset[str]:
    """The words of a name or a transfer's description, upper case, without the bank's own
    words (`TRSF E-BANKING CR ... 150000.00SITI RAHMAWATI` -> {SITI, RAHMAWATI})."""
    return frozenset(_WORD.findall(text.upper())) - _BANK_WORDS


def _by_name(transfer: Transfer, bookings: list[Booking]) -> list[Booking]:
    """The candidates whose customer's name (as booked) matches the description best (all
    of those tied), or [] when no name is in it."""
    said = name_words(transfer.description)
    scores = [(len(name_words(b.customer_name) & said), b) for b in bookings]
    best = max(score for score, _ in scores)
    return [b for score, b in scores if score == best] if best else []


def plan(ledger: Ledger, statement: Statement, now: datetime) -> list[Step]:
    """What each transfer of the statement would do, in the statement's order. Nothing in
    the ledger changes: amounts owed are followed in a copy (a DP then its balance in one
    statement both match)."""
    unpaid = {b.number: b for b in ledger.unpaid()}
    owed = {n: b.owed for n, b in unpaid.items()}
    paid_any = {n: b.net_paid > 0 for n, b in unpaid.items()}
    # Who owes what: amount -> booking numbers (in number order), kept as payments land.
    by_owed: dict[int, list[int]] = {}
    by_dp: dict[int, list[int]] = {}
    for n, left in owed.items():
        if left > 0:
            by_owed.setdefault(left, []).append(n)
    if ledger.setting("dp-minimum"):
        for n, b in unpaid.items():
            dp = ledger.dp_minimum(b)
            if not paid_any[n] and dp and dp < owed[n]:
                by_dp.setdefault(dp, []).append(n)
    created = {n: b.created[:10] for n, b in unpaid.items()}
    today = now.date().isoformat()
    months = {t.day.isoformat()[:7] for t in statement.transfers if t.day}
    recorded = ledger.recorded_rows(months)

    steps: list[Step] = []
    for t in statement.transfers:
        if t.pending:
            steps.append(Step(t, PENDING, why="pending at the bank: read it once it is booked"))
            continue
        if t.key in recorded:
            number = recorded[t.key]
            steps.append(
                Step(t, RECORDED, why=f"already recorded on B{number}", recorded_on=number)
            )
            continue
        amount = t.amount
        day = t.day.isoformat() if t.day else ""
        if amount is None:
            steps.append(Step(t, UNMATCHED, why="an amount with cents: no booking owes that"))
            continue
        if day > today:
            steps.append(Step(t, UNMATCHED, why="dated after today"))
            continue
        found = [
            (unpaid[n], BALANCE if paid_any[n] else PAID)
            for n in by_owed.get(amount, ())
            if created[n] <= day
        ]
        found += [(unpaid[n], DP) for n in by_dp.get(amount, ()) if created[n] <= day]
        if not found:
            steps.append(Step(t, UNMATCHED, why="no open booking owes this amount"))
            continue
        bookings = [b for b, _ in found]
        chosen: Booking | None = None
        why = ""
        if len(found) == 1 and bookings[0].unique_code:
            chosen = bookings[0]
            why = f"amount, kode unik {abs(chosen.unique_code)}"
        elif len(found) == 1:
            # An amount without a code may be anyone's: a sender named otherwise is asked.
            said = name_words(t.description)
            if said and not _by_name(t, bookings):
                steps.append(
                    Step(
                        t,
                        AMBIGUOUS,
                        why="the amount fits, but the sender is not named like the buyer",
                        candidates=bookings,
                    )
                )
                continue
            chosen = bookings[0]
            why = "amount and name" if said else "amount"
        else:
            named = _by_name(t, bookings)
            if len(named) == 1:
                chosen = named[0]
                why = f"amount and name ({len(bookings)} owe it)"
            else:
                steps.append(
                    Step(
                        t,
                        AMBIGUOUS,
                        why=f"{len(bookings)} bookings owe this amount; "
                        + ("the name fits several" if named else "no name of theirs in it"),
                        candidates=named or bookings,
                    )
                )
                continue
        kind = next(kind for booking, kind in found if booking is chosen)
        if kind == DP:
            why += "; the shop's DP minimum"
        steps.append(Step(t, kind, chosen, why))
        n = chosen.number
        by_owed[owed[n]].remove(n)
        for numbers in by_dp.values():
            if n in numbers:
                numbers.remove(n)
        owed[n] -= amount
        paid_any[n] = True
        if owed[n] > 0:
            by_owed.setdefault(owed[n], []).append(n)
            by_owed[owed[n]].sort()
    return steps


def apply(ledger: Ledger, steps: list[Step], now: datetime) -> list[Booking]:
    """Record every matched transfer as a payment (in this one change): method transfer,
    the bank's reference where it gives one, and the row's key and bank day."""
    done: list[Booking] = []
    for step in steps:
        if step.kind not in MATCHED or step.booking is None:
            continue
        t = step.transfer
        assert t.day is not None and t.amount is not None
        booking = ledger.pay(
            step.booking.id,
            now,
            amount=t.amount,
            method="transfer",
            reference=t.ref,
            row=(t.key, t.day.isoformat()),
        )
        if booking not in done:
            done.append(booking)
    # A DP that held a booking its balance then paid, in this same statement: not held.
    settled = tuple(f"{b.id} is held by its DP" for b in done if b.status != BOOKED)
    if settled:
        ledger.notices = [n for n in ledger.notices if not n.startswith(settled)]
    return done


def summary(statement: Statement, steps: list[Step], now: datetime) -> dict:
    """What `today` shows of the last statement read: who it paid, what waits."""
    return {
        "read_at": now.isoformat(timespec="seconds"),
        "bank": statement.bank,
        "file": statement.path.rsplit("/", 1)[-1],
        "paid": list(
            dict.fromkeys(s.booking.number for s in steps if s.kind in MATCHED and s.booking)
        ),
        "waiting": [
            {
                "line": s.transfer.line,
                "date": s.transfer.day.isoformat() if s.transfer.day else None,
                "amount": s.transfer.amount,  # None: with cents
                "cents": s.transfer.cents,
                "description": s.transfer.description[:120],
                "kind": s.kind,
                "why": s.why,
                "candidates": [b.number for b in s.candidates],
                "key": s.transfer.key,
            }
            for s in steps
            if s.kind in WAITING
        ],
    }
