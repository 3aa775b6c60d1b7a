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
from datetime import datetime, timedelta
from functools import cached_property, lru_cache

from olshop_cli.ledger import Ledger, fields_of
from olshop_cli.models import BOOKED, Booking
from olshop_cli.money import format_money
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
class Due:
    """An open booking as the plan needs it, read from the open bookings' index (the
    bookings themselves are built only when a payment is recorded)."""

    number: int
    customer: str
    customer_name: str
    created: str  # ISO moment
    unique_code: int = 0
    total: int | None = None  # of an unpaid booking
    owed: int | None = None

    @property
    def id(self) -> str:
        return f"B{self.number}"

    @cached_property
    def words(self) -> frozenset[str]:
        """The buyer's name as words to find in a transfer's description."""
        return name_words(self.customer_name)


def _dues(ledger: Ledger) -> dict[int, Due]:
    """Every open booking as a Due, from the index; those whose entry was written before
    the index kept what they owe are built and read."""
    fields = (
        "status", "customer", "customer_name", "created", "unique_code", "total", "owed",
    )  # fmt: skip
    found: dict[int, Due] = {}
    for number, (status, customer, name, created, code, total, owed) in fields_of(
        ledger.bookings, *fields
    ).items():
        if name is None or created is None or (status == BOOKED and owed is None):
            b = ledger.bookings[number]  # an entry from before: the booking says
            status, customer, name, created = b.status, b.customer, b.customer_name, b.created
            code, total, owed = b.unique_code, b.total, b.owed
        if status != BOOKED:
            total = owed = None
        found[number] = Due(number, customer, name, created, code or 0, total, owed)
    return found


@dataclass
class Step:
    """What the plan does with one transfer."""

    transfer: Transfer
    kind: str
    booking: Due | None = None
    why: str = ""
    candidates: list[Due] = field(default_factory=list)
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


def _by_name(transfer: Transfer, bookings: list[Due]) -> list[Due]:
    """The candidates whose customer's name (as booked) matches the description best (all
    of those tied), or [] when no name is in it."""
    said = name_words(transfer.description)
    scores = [(len(b.words & said), b) for b in bookings]
    best = max(score for score, _ in scores)
    return [b for score, b in scores if score == best] if best else []


def _named(transfer: Transfer, booking: Due, said: frozenset[str] | None = None) -> bool:
    """Whether the sender is named like the booking's buyer: every word of a one-word
    name, two words of a longer one (NUR alone could be many a Nur). `said`: the
    description's words, when the caller has them."""
    words = booking.words
    if said is None:
        said = name_words(transfer.description)
    return len(words & said) >= min(2, len(words)) > 0


def _pays(t: Transfer, kind: str, chosen: Due, candidates: int, named: bool) -> Step:
    if kind == DP:
        why = "the shop's DP minimum"
    elif kind == BALANCE:
        why = "the balance after its DP"
    elif chosen.unique_code:
        why = f"amount, kode unik {abs(chosen.unique_code)}"
    else:
        why = "amount"
    if named:
        why += " and name" + (f" ({candidates} owe it)" if candidates > 1 else "")
    return Step(t, kind, chosen, why)


class _Owed:
    """What each unpaid booking owes, followed as the plan's transfers pay them: by
    amount (in number order), by the DP that would hold it, by the amount without its
    kode unik (a buyer who left it off), and the bookings this statement paid."""

    def __init__(self, ledger: Ledger):
        self.open = _dues(ledger)
        self.unpaid = {n: d for n, d in self.open.items() if d.owed is not None}
        self.owed = {n: int(d.owed or 0) for n, d in self.unpaid.items()}
        self.paid_any = {n: self.owed[n] < int(d.total or 0) for n, d in self.unpaid.items()}
        self.created = {n: d.created[:10] for n, d in self.unpaid.items()}
        self.by_owed: dict[int, list[int]] = {}
        self.by_dp: dict[int, list[int]] = {}
        self.by_base: dict[int, list[int]] = {}
        for n, left in sorted(self.owed.items()):
            if left > 0:
                self.by_owed.setdefault(left, []).append(n)
            code = self.unpaid[n].unique_code
            if code > 0 and left > code:
                self.by_base.setdefault(left - code, []).append(n)
        if ledger.setting("dp-minimum"):
            for n, d in sorted(self.unpaid.items()):
                dp = ledger.dp_minimum_of(int(d.total or 0))
                if not self.paid_any[n] and dp and dp < self.owed[n]:
                    self.by_dp.setdefault(dp, []).append(n)
        self.paid_here: dict[int, list[tuple[Due, int]]] = {}  # amount -> (booking, line)

    def matches(self, amount: int, day: str) -> list[tuple[Due, str]]:
        found = [
            (self.unpaid[n], BALANCE if self.paid_any[n] else PAID)
            for n in self.by_owed.get(amount, ())
            if self.created[n] <= day
        ]
        return found + [
            (self.unpaid[n], DP) for n in self.by_dp.get(amount, ()) if self.created[n] <= day
        ]

    def pay(self, booking: Due, amount: int, line: int) -> None:
        n = booking.number
        self.by_owed[self.owed[n]].remove(n)
        for numbers in (*self.by_dp.values(), *self.by_base.values()):
            if n in numbers:
                numbers.remove(n)
        self.owed[n] -= amount
        self.paid_any[n] = True
        if self.owed[n] > 0:
            self.by_owed.setdefault(self.owed[n], []).append(n)
            self.by_owed[self.owed[n]].sort()
        self.paid_here.setdefault(amount, []).append((booking, line))

    def hint(self, t: Transfer, amount: int, day: str) -> Step:
        """Why a transfer pays nothing, with the bookings it may be for: one this statement
        paid already (paid twice?), one it pays without its kode unik, one booked after
        the transfer was made."""
        twice = [(b, line) for b, line in self.paid_here.get(amount, ()) if _named(t, b)]
        if twice:
            booking, line = twice[0]
            return Step(
                t,
                UNMATCHED,
                why=f"{booking.id} {booking.customer_name} was paid by line {line} already: "
                "paid twice?",
                candidates=[booking],
            )
        left_off = [
            self.unpaid[n]
            for n in self.by_base.get(amount, ())
            if self.created[n] <= day and _named(t, self.unpaid[n])
        ]
        if left_off:
            b = left_off[0]
            return Step(
                t,
                UNMATCHED,
                why=f"{b.id} {b.customer_name} owes {format_money(self.owed[b.number])}: "
                "the kode unik left off?",
                candidates=left_off,
            )
        later = [self.unpaid[n] for n in self.by_owed.get(amount, ())]
        if later:
            b = later[0]
            return Step(
                t,
                UNMATCHED,
                why=f"made before {b.id} (which owes it) was booked on "
                f"{self.created[b.number][8:10]}/{self.created[b.number][5:7]}",
                candidates=later,
            )
        return Step(t, UNMATCHED, why="no open booking owes this amount")


def plan(ledger: Ledger, statement: Statement, now: datetime) -> list[Step]:
    """What each transfer of the statement would do, in the statement's order. Nothing in
    the ledger changes: amounts owed are followed in a copy (a DP then its balance in one
    statement both match)."""
    state = _Owed(ledger)
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
            paid = state.open.get(number)
            if paid is not None and t.amount is not None:  # to tell a transfer sent twice
                state.paid_here.setdefault(t.amount, []).append((paid, t.line))
            continue
        amount = t.amount
        day = t.day.isoformat() if t.day else ""
        if amount is None:
            steps.append(Step(t, UNMATCHED, why="an amount with cents: no booking owes that"))
            continue
        if day > today:
            steps.append(Step(t, UNMATCHED, why="dated after today"))
            continue
        found = state.matches(amount, day)
        if not found:
            steps.append(state.hint(t, amount, day))
            continue
        bookings = [b for b, _ in found]
        said = name_words(t.description)
        if len(found) == 1 and (bookings[0].unique_code or not said or _by_name(t, bookings)):
            chosen = bookings[0]  # a kode unik names it; else the sender's name agrees
        elif len(found) == 1:
            # An amount without a code may be anyone's: a sender named otherwise is asked,
            # with the bookings of a buyer named like the sender that it nearly pays.
            hinted = state.hint(t, amount, day)
            others = [b for b in hinted.candidates if b is not bookings[0]]
            steps.append(
                Step(
                    t,
                    AMBIGUOUS,
                    why="the amount fits, but the sender is not named like the buyer"
                    + (f"; {hinted.why}" if others else ""),
                    candidates=[*others, *bookings],
                )
            )
            continue
        else:
            named = [b for b in bookings if _named(t, b, said)]
            if len(named) != 1:
                loose = named or _by_name(t, bookings)
                if len(loose) > 1:
                    which = "the name fits several"
                elif loose:
                    which = f"only part of the name fits {loose[0].id}"
                else:
                    which = "the name does not tell which"
                steps.append(
                    Step(
                        t,
                        AMBIGUOUS,
                        why=f"{len(bookings)} bookings owe this amount; {which}",
                        candidates=[
                            *loose,
                            *(b for b in bookings if all(b is not x for x in loose)),
                        ],
                    )
                )
                continue
            chosen = named[0]
        kind = next(kind for booking, kind in found if booking is chosen)
        steps.append(_pays(t, kind, chosen, len(found), bool(_by_name(t, [chosen]))))
        state.pay(chosen, amount, t.line)
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
        if all(booking is not earlier for earlier in done):
            done.append(booking)
    # A DP that held a booking its balance then paid, in this same statement: not held.
    settled = tuple(f"{b.id} is held by its DP" for b in done if b.status != BOOKED)
    if settled:
        ledger.notices = [n for n in ledger.notices if not n.startswith(settled)]
    return done


KEEP_WAITING_DAYS = 14  # a transfer left to decide is shown this long after its day


def summary(ledger: Ledger, statement: Statement, steps: list[Step], now: datetime) -> dict:
    """What `today` shows of the statements read: who the last one paid, and every
    transfer still waiting for the seller (this one's, and those earlier statements left
    that are not decided yet, for KEEP_WAITING_DAYS after their day)."""
    keys = {t.key for t in statement.transfers}
    waiting = [
        {
            "line": s.transfer.line,
            "file": statement.path.rsplit("/", 1)[-1],
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
    ]
    since = (now.date() - timedelta(days=KEEP_WAITING_DAYS)).isoformat()
    earlier = [w for w in waiting_now(ledger) if w.get("key") not in keys]
    return {
        "read_at": now.isoformat(timespec="seconds"),
        "bank": statement.bank,
        "file": statement.path.rsplit("/", 1)[-1],
        "paid": list(
            dict.fromkeys(s.booking.number for s in steps if s.kind in MATCHED and s.booking)
        ),
        "waiting": [w for w in earlier if str(w.get("date")) >= since] + waiting,
    }


def waiting_now(ledger: Ledger) -> list[dict]:
    """The transfers the statements read left for the seller and not recorded since, each
    with the candidates still open (an ambiguous one's: still unpaid)."""
    last = ledger.last_statement or {}
    waiting = [w for w in last.get("waiting", []) if isinstance(w, dict) and w.get("date")]
    recorded = ledger.recorded_rows({str(w["date"])[:7] for w in waiting})
    found = []
    for w in waiting:
        if w.get("key") in recorded:
            continue
        wanted = (BOOKED,) if w.get("kind") == AMBIGUOUS else (BOOKED, "paid", "shipped")
        candidates = []
        for number in w.get("candidates") or []:
            booking = ledger.bookings.get(number) if isinstance(number, int) else None
            if booking is not None and booking.status in wanted:
                candidates.append(number)
        found.append({**w, "candidates": candidates})
    return found


def where(row: dict, last_file: str | None) -> str:
    """A waiting transfer as `--transfer` takes it: its line, or FILE:LINE when it came
    from an earlier statement than the last one."""
    file = row.get("file")
    return f"{file}:{row.get('line')}" if file and file != last_file else str(row.get("line"))
