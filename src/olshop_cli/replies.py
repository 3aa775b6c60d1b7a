"""Messages for buyers. For now the reminder steps; the reply-templates work grows this.

Indonesian is the default; English with lang="en". Names are inserted as plain text.
"""

from __future__ import annotations

from datetime import datetime

from olshop_cli.models import Booking

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def moment_words(moment: datetime, lang: str) -> str:
    """`Selasa, 24 November pukul 17.00` / `Tuesday 24 November, 17:00`."""
    if lang == "en":
        return f"{moment:%A} {moment.day} {moment:%B}, {moment:%H:%M}"
    return (
        f"{DAYS_ID[moment.weekday()]}, {moment.day} {MONTHS_ID[moment.month - 1]} "
        f"pukul {moment:%H.%M}"
    )


def reminder_text(
    step: int, booking: Booking, to: str, now: datetime, lang: str = "id", emoji: bool = True
) -> str:
    """The message for reminder step 1 (polite reminder) or 2 (friendly check-in).

    `to` is how the buyer is addressed, e.g. "Kak Mike". A reminder sent after the deadline
    asks for the transfer today instead of naming a time that has passed.
    """
    from olshop_cli.money import format_money

    items = ", ".join(f"{line.qty}x {line.name}" for line in booking.lines)
    total = format_money(booking.total)
    late = booking.deadline_at <= now
    due = moment_words(booking.deadline_at, lang)
    if lang == "en":
        when = "today if you still want it" if late else f"by {due}"
        if step == 1:
            text = (
                f"Hi {to}, just a friendly reminder about your order {booking.id} ({items}), "
                f"{total} in total. Please complete the transfer {when} so we can keep it "
                "for you. Thank you!"
            )
        else:
            text = (
                f"Hi {to}, how are you? We hope everything is fine. Your order {booking.id} "
                f"({items}) is still set aside for you. If anything got in the way of the "
                "payment, or you would like to change the order, just let us know."
            )
        return text + (" 🙏" if emoji else "")
    when = "hari ini kalau masih berminat" if late else f"sebelum {due}"
    if step == 1:
        text = (
            f"Halo {to}, kami mau mengingatkan pesanan {booking.id} ({items}) sebesar {total} ya. "
            f"Mohon transfernya {when} supaya barangnya tetap kami simpan untuk {to}. "
            "Terima kasih banyak"
        )
    else:
        text = (
            f"Halo {to}, apa kabar? Semoga sehat dan lancar semuanya. Pesanan {booking.id} "
            f"({items}) masih kami simpan untuk {to}. Kalau ada kendala soal pembayaran atau "
            "mau ubah pesanan, kabari kami saja ya"
        )
    return text + (" 🙏" if emoji else ".")
