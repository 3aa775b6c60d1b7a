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

from olshop_cli.i18n import N_, _
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

# Why a transfer pays a booking, or is left for the seller. A step's `why` is the English
# text, as `--json` gives it and as the ledger keeps it for `today`; `shown_why` gives it
# in the seller's language where it is shown.
WHY_DP = N_("the shop's DP minimum")
WHY_DP_NAME = N_("the shop's DP minimum and name")
WHY_DP_NAMES = N_("the shop's DP minimum and name ({count} owe it)")
WHY_BALANCE = N_("the balance after its DP")
WHY_BALANCE_NAME = N_("the balance after its DP and name")
WHY_BALANCE_NAMES = N_("the balance after its DP and name ({count} owe it)")
WHY_CODE = N_("amount, kode unik {code}")
WHY_CODE_NAME = N_("amount, kode unik {code} and name")
WHY_CODE_NAMES = N_("amount, kode unik {code} and name ({count} owe it)")
WHY_AMOUNT = N_("amount")
WHY_AMOUNT_NAME = N_("amount and name")
WHY_AMOUNT_NAMES = N_("amount and name ({count} owe it)")
WHY_TWICE = N_("{id} {name} was paid by line {line} already: paid twice?")
WHY_LEFT_OFF = N_("{id} {name} owes {owed}: the kode unik left off?")
WHY_BEFORE = N_("made before {id} (which owes it) was booked on {day}")
WHY_NONE = N_("no open booking owes this amount")
WHY_PENDING = N_("pending at the bank: read it once it is booked")
WHY_RECORDED = N_("already recorded on {id}")
WHY_CENTS = N_("an amount with cents: no booking owes that")
WHY_LATER = N_("dated after today")
WHY_OTHER_NAME = N_("the amount fits, but the sender is not named like the buyer")
WHY_OTHER_NAME_HINT = N_("the amount fits, but the sender is not named like the buyer; {hint}")
WHY_SEVERAL = N_("{count} bookings owe this amount; the name fits several")  # count >= 2
WHY_PART = N_("{count} bookings owe this amount; only part of the name fits {id}")
WHY_UNNAMED = N_("{count} bookings owe this amount; the name does not tell which")
KIND_NAMES = {AMBIGUOUS: N_("ambiguous"), UNMATCHED: N_("unmatched")}  # an entry without why

_WHYS = (
    WHY_DP, WHY_DP_NAME, WHY_DP_NAMES, WHY_BALANCE, WHY_BALANCE_NAME, WHY_BALANCE_NAMES,
    WHY_CODE, WHY_CODE_NAME, WHY_CODE_NAMES, WHY_AMOUNT, WHY_AMOUNT_NAME, WHY_AMOUNT_NAMES,
    WHY_TWICE, WHY_LEFT_OFF, WHY_BEFORE, WHY_NONE, WHY_PENDING, WHY_RECORDED, WHY_CENTS,
    WHY_LATER, WHY_OTHER_NAME, WHY_OTHER_NAME_HINT, WHY_SEVERAL, WHY_PART, WHY_UNNAMED,
)  # fmt: skip
# What each placeholder of a why can hold, to read the values back out of the English.
_WHY_VALUES = {
    "count": r"\d+",
    "code": r"\d+",
    "line": r"\d+",
    "id": r"B\d+",
    "owed": r"-?Rp[\d.]+",
    "day": r"\d\d/\d\d",
    "name": r".+",
    "hint": r".+",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _why_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each why's msgid with a pattern that reads its values out of the English text."""
    found = []
    for msgid in _WHYS:
        parts, at = [], 0
        for m in _PLACEHOLDER.finditer(msgid):
            parts.append(re.escape(msgid[at : m.start()]))
            parts.append(f"(?P<{m[1]}>{_WHY_VALUES[m[1]]})")
            at = m.end()
        parts.append(re.escape(msgid[at:]))
        found.append((msgid, re.compile("".join(parts), re.S)))
    return tuple(found)


def shown_why(why: str) -> str:
    """A step's why (English, as computed or as kept in the ledger) in the seller's
    language; a text it does not know (kept by an older olshop) as it is."""
    for msgid, pattern in _why_patterns():
        m = pattern.fullmatch(why)
        if m:
            values = m.groupdict()
            if "hint" in values:
                values["hint"] = shown_why(values["hint"])
            return _(msgid).format(**values)
    return why


def shown_kind(kind: str) -> str:
    """A waiting transfer's kind (ambiguous, unmatched) in the seller's language."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


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
    best = max(score for score, _b in scores)
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
        forms = (WHY_DP, WHY_DP_NAME, WHY_DP_NAMES)
    elif kind == BALANCE:
        forms = (WHY_BALANCE, WHY_BALANCE_NAME, WHY_BALANCE_NAMES)
    elif chosen.unique_code:
        forms = (WHY_CODE, WHY_CODE_NAME, WHY_CODE_NAMES)
    else:
        forms = (WHY_AMOUNT, WHY_AMOUNT_NAME, WHY_AMOUNT_NAMES)
    form = forms[0 if not named else 2 if candidates > 1 else 1]
    why = form.format(code=abs(chosen.unique_code), count=candidates)
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
                why=WHY_TWICE.format(id=booking.id, name=booking.customer_name, line=line),
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
                why=WHY_LEFT_OFF.format(
                    id=b.id, name=b.customer_name, owed=format_money(self.owed[b.number])
                ),
                candidates=left_off,
            )
        later = [self.unpaid[n] for n in self.by_owed.get(amount, ())]
        if later:
            b = later[0]
            return Step(
                t,
                UNMATCHED,
                why=WHY_BEFORE.format(
                    id=b.id,
                    day=f"{self.created[b.number][8:10]}/{self.created[b.number][5:7]}",
                ),
                candidates=later,
            )
        return Step(t, UNMATCHED, why=WHY_NONE)


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
            steps.append(Step(t, PENDING, why=WHY_PENDING))
            continue
        if t.key in recorded:
            number = recorded[t.key]
            steps.append(
                Step(t, RECORDED, why=WHY_RECORDED.format(id=f"B{number}"), recorded_on=number)
            )
            paid = state.open.get(number)
            if paid is not None and t.amount is not None:  # to tell a transfer sent twice
                state.paid_here.setdefault(t.amount, []).append((paid, t.line))
            continue
        amount = t.amount
        day = t.day.isoformat() if t.day else ""
        if amount is None:
            steps.append(Step(t, UNMATCHED, why=WHY_CENTS))
            continue
        if day > today:
            steps.append(Step(t, UNMATCHED, why=WHY_LATER))
            continue
        found = state.matches(amount, day)
        if not found:
            steps.append(state.hint(t, amount, day))
            continue
        bookings = [b for b, _kind in found]
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
                    why=WHY_OTHER_NAME_HINT.format(hint=hinted.why) if others else WHY_OTHER_NAME,
                    candidates=[*others, *bookings],
                )
            )
            continue
        else:
            named = [b for b in bookings if _named(t, b, said)]
            if len(named) != 1:
                loose = named or _by_name(t, bookings)
                if len(loose) > 1:
                    which = WHY_SEVERAL
                elif loose:
                    which = WHY_PART
                else:
                    which = WHY_UNNAMED
                steps.append(
                    Step(
                        t,
                        AMBIGUOUS,
                        why=which.format(count=len(bookings), id=loose[0].id if loose else ""),
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
    settled = [_held_notice(b.id) for b in done if b.status != BOOKED]
    if settled:
        ledger.notices = [
            n for n in ledger.notices if not any(held.fullmatch(n) for held in settled)
        ]
    return done


def _held_notice(bid: str) -> re.Pattern[str]:
    """The notice `Ledger.pay` gives when a DP holds booking `bid`, in the language it
    was given in, whatever its amounts."""
    template = _(
        "{bid} is held by its DP ({paid}, the shop's minimum is {minimum}): it will not "
        "go overdue. When the balance of {owed} is due, say so: olshop extend {bid} "
        "--to '20 Des 17:00'"
    )
    parts, at = [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[at : m.start()]))
        parts.append(re.escape(bid) if m[1] == "bid" else ".*?")
        at = m.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts), re.S)


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
