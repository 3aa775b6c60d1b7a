"""What the ledger hands to commands beyond its records: the start-of-day digest, the
packing list, and the lines of a batch-shipping file. Kept apart from ledger.py so the
commands that never use them do not pay for defining them (about 2 ms of dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from olshop_cli.i18n import _
from olshop_cli.models import Booking, Product


@dataclass
class Digest:
    """What needs attention at the start of the day."""

    now: datetime
    overdue: list[Booking] = field(default_factory=list)
    due_soon: list[Booking] = field(default_factory=list)
    to_ship: list[Booking] = field(default_factory=list)
    in_transit: list[Booking] = field(default_factory=list)
    held_by_dp: list[Booking] = field(default_factory=list)  # pre-orders: a DP holds them
    sold_out: list[Product] = field(default_factory=list)
    owed_back: list[Booking] = field(default_factory=list)  # paid beyond their total
    # How many of each there are: the lists above stop at the limit asked for, if any.
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Pick:
    """One SKU to take off the shelf for packing, summed over every parcel."""

    sku: str
    name: str
    qty: int


@dataclass
class PackingList:
    """Paid bookings not yet shipped: what to pick, then each parcel (oldest booking first)."""

    picks: list[Pick] = field(default_factory=list)
    parcels: list[Booking] = field(default_factory=list)


@dataclass
class ShipLine:
    """One line of a batch-shipping file: `B12 JNE JN0012345678`, `B13 J&T JX1 cod`
    (cash on delivery), `B14 GoSend` (an instant courier: no tracking number), `B15 pickup`."""

    lineno: int
    ref: str
    courier: str
    tracking: str | None
    cod: bool = False


def parse_ship_lines(text: str) -> tuple[list[ShipLine], list[str]]:
    """The shipping lines of a batch file and a problem sentence for each bad one.

    A line is `ID COURIER TRACKING`, with `cod` after it for cash on delivery; an instant
    courier or `pickup` may stand without a tracking number. The courier is one word
    (`pos`, `j&t`, `idexpress`). Blank lines and `#` comments (whole line or after the
    tracking number) are skipped.
    """
    from olshop_cli.couriers import is_instant, is_pickup

    found, problems = [], []
    for lineno, raw in enumerate(text.splitlines(), 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        cod = len(words) == 4 and words[3].lower() == "cod"
        if cod:
            words = words[:3]
        if len(words) == 1:
            problems.append(
                _("line {lineno}: {ref} has no courier and tracking number.").format(
                    lineno=lineno, ref=words[0]
                )
            )
        elif len(words) == 2 and (is_instant(words[1]) or is_pickup(words[1])):
            found.append(ShipLine(lineno, words[0], words[1], None))
        elif len(words) == 2:
            problems.append(
                _("line {lineno}: {ref} has no tracking number.").format(
                    lineno=lineno, ref=words[0]
                )
            )
        elif len(words) > 3:
            problems.append(
                _("line {lineno}: '{text}' has {count} words; write ID COURIER TRACKING.").format(
                    lineno=lineno, text=raw.strip(), count=len(words)
                )
            )
        else:
            found.append(ShipLine(lineno, words[0], words[1], words[2], cod))
    return found, problems
