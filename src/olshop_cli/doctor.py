"""Checks of the ledger's consistency, and the repairs that are safe to make.

A repair is safe when it only recomputes or moves what the ledger already says (a counter,
a closed booking still among the open ones, a stale archive copy). Anything that
would mean guessing (negative stock, a booking whose customer is gone) is reported only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from olshop_cli.i18n import _
from olshop_cli.ledger import Ledger
from olshop_cli.models import CLOSED_STATUSES, OPEN_STATUSES, RESERVING_STATUSES, Booking


@dataclass
class Problem:
    """One thing wrong, in one line; `fix` repairs it on a ledger if that is safe."""

    text: str
    fix: Callable[[Ledger], None] | None = None


def check(ledger: Ledger, archived: Iterable[tuple[int, str]]) -> list[Problem]:
    """Every problem found in the ledger (open bookings, products, customers, archive);
    `archived` gives (number, status) of each closed booking."""
    problems: list[Problem] = []
    open_numbers = set(ledger.bookings)

    for booking in sorted(ledger.bookings.values(), key=lambda b: b.number):
        problems += _booking_problems(ledger, booking)
        if booking.status in CLOSED_STATUSES:
            problems.append(
                Problem(
                    _("{id} is {status} but still among the open bookings.").format(
                        id=booking.id, status=booking.status
                    ),
                    _archive_it(booking.number),
                )
            )

    for product in ledger.products.values():
        if product.stock < 0:
            problems.append(
                Problem(
                    _("{sku} has negative stock ({stock}).").format(
                        sku=product.sku, stock=product.stock
                    )
                )
            )
        elif ledger.available(product) < 0:
            problems.append(
                Problem(
                    _("{sku} has {stock} on hand but open bookings reserve {reserved}.").format(
                        sku=product.sku, stock=product.stock, reserved=ledger.reserved(product.sku)
                    )
                )
            )

    owners: dict[str, str] = {}
    for customer in ledger.customers.values():
        if customer.phone and customer.phone in owners:
            problems.append(
                Problem(
                    _("{key} and {other} share the phone {phone}.").format(
                        key=customer.key, other=owners[customer.phone], phone=customer.phone
                    )
                )
            )
        elif customer.phone:
            owners[customer.phone] = customer.key

    if ledger.marked != ledger.count_marked():
        problems.append(
            Problem(
                _("The stored list of hit-and-run buyers does not match their counts."), _recount
            )
        )
    if ledger.all_reserved() != ledger.count_reserved():
        problems.append(
            Problem(
                _("The stored count of reserved units per SKU does not match the open bookings."),
                _recount,
            )
        )

    stale: list[int] = getattr(ledger.bookings, "index_mismatches", list)()
    if stale:
        shown = ", ".join(f"B{n}" for n in stale[:5]) + (", ..." if len(stale) > 5 else "")
        problems.append(
            Problem(
                _("The index of open bookings is out of step with {count} of them ({ids}).").format(
                    count=len(stale), ids=shown
                ),
                _reindex,
            )
        )

    highest = max([0, *open_numbers])
    for number, status in archived:  # one pass: years of history are never held at once
        highest = max(highest, number)
        if number in open_numbers:
            problems.append(
                Problem(
                    _("{id} is open but an old closed copy is in the archive.").format(
                        id=f"B{number}"
                    )
                )
            )
        elif status not in CLOSED_STATUSES:
            problems.append(
                Problem(
                    _("{id} is in the archive but is {status}.").format(
                        id=f"B{number}", status=status
                    )
                )
            )
    if ledger.next_booking <= highest:
        problems.append(
            Problem(
                _("The next booking number ({id}) is already used; it should be {right}.").format(
                    id=f"B{ledger.next_booking}", right=f"B{highest + 1}"
                ),
                _renumber(highest + 1),
            )
        )
    return problems


def _booking_problems(ledger: Ledger, booking: Booking) -> list[Problem]:
    found = []
    if booking.status not in OPEN_STATUSES + CLOSED_STATUSES:
        found.append(
            Problem(
                _("{id} has an unknown status '{status}'.").format(
                    id=booking.id, status=booking.status
                )
            )
        )
    if booking.customer not in ledger.customers and booking.customer not in ledger.retired_keys:
        found.append(
            Problem(
                _("{id} names a customer '{key}' who is gone.").format(
                    id=booking.id, key=booking.customer
                )
            )
        )
    for line in booking.lines:
        if line.qty < 1 or line.price < 0:
            found.append(
                Problem(
                    _("{id} has a line {qty}x {sku} that is wrong.").format(
                        id=booking.id, qty=line.qty, sku=line.sku
                    )
                )
            )
        if booking.status in RESERVING_STATUSES and line.sku not in ledger.products:
            found.append(
                Problem(
                    _("{id} holds {sku}, which is not a product.").format(
                        id=booking.id, sku=line.sku
                    )
                )
            )
    return found


def _archive_it(number: int) -> Callable[[Ledger], None]:
    def fix(ledger: Ledger) -> None:
        booking = ledger.bookings.pop(number)
        ledger.closed_now.append(booking)
        ledger.dirty = True

    return fix


def _recount(ledger: Ledger) -> None:
    ledger.recount()


def _reindex(ledger: Ledger) -> None:
    ledger.bookings.reindex()  # type: ignore[attr-defined]
    ledger.dirty = True


def _renumber(number: int) -> Callable[[Ledger], None]:
    def fix(ledger: Ledger) -> None:
        ledger.next_booking = number
        ledger.dirty = True

    return fix
