"""`olshop pay --from STATEMENT.csv`: which booking each incoming transfer pays (exact amount
with its kode unik, the DP minimum, the balance, the sender's name between equals, never a
guess), shown first, recorded with --apply in one change that undo takes back, never twice
(a second read, an overlapping next-day statement), all or nothing when killed."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from bankfiles import KILLER, bca, trsf
from typer.testing import CliRunner

from olshop_cli import paymatch
from olshop_cli.cli import app
from olshop_cli.ledger import Ledger
from olshop_cli.models import Customer, Product
from olshop_cli.statement import read_statement
from olshop_cli.when import resolve_now, shop_zone

# the interface language and the catalog check reach a process started with a clean env
KEEP_ENV = ("OLSHOP_UI_LANG", "OLSHOP_I18N_MISSING")

MONDAY = "2026-11-23T08:00:00+07:00"  # the bookings are made
MONDAY_EVENING = "2026-11-23T20:00:00+07:00"  # Monday's statement is read
TUESDAY = "2026-11-24T09:00:00+07:00"  # Monday's and Tuesday's statement is read

# With `unique-code on` and the default shop: B1 gets code 338, B2 675, B3 13.
B1_TOTAL = 150_338  # mike PAN-24 (150.000 + 338)
B2_TOTAL = 35_675  # siti SPAT-1 (35.000 + 675)
B3_TOTAL = 150_013  # siti PAN-24 (150.000 + 13)


def cr(day: str, rupiah: int, name: str) -> tuple:
    return (day, trsf(day, rupiah, name), rupiah, "CR")


# Monday's statement: B1's and B2's exact amounts, a stranger's transfer, a fee, a pending one.
MONDAY_ROWS = [
    cr("23/11", B1_TOTAL, "MIKE TAN"),  # line 6
    cr("23/11", B2_TOTAL, "SITI RAHMAWATI"),  # line 7
    cr("23/11", 99_000, "BUDI SANTOSO"),  # line 8: no booking owes it
    ("23/11", "BIAYA ADM", 10_000, "DB"),  # line 9
    ("PEND", trsf("23/11", B3_TOTAL, "SITI RAHMAWATI"), B3_TOTAL, "CR"),  # line 10: pending
]
# Tuesday's statement starts with Monday again (the pending one now booked on Tuesday).
TUESDAY_ROWS = MONDAY_ROWS[:4] + [cr("24/11", B3_TOTAL, "SITI RAHMAWATI")]


def statement_file(tmp_path: Path, rows, name: str = "mutasi.csv") -> Path:
    path = tmp_path / name
    path.write_text(bca(rows), encoding="utf-8")
    return path


def booking(shop, bid: str) -> dict:
    return json.loads(shop(f"show {bid} --json", ok=True).stdout)


def plan_of(shop, path: Path) -> list[dict]:
    return json.loads(shop(f"pay --from {path} --json", ok=True).stdout)["plan"]


@pytest.fixture
def coded(stocked):
    """Kode unik on; B1 Mike PAN-24 Rp150.338, B2 Siti SPAT-1 Rp35.675, B3 Siti PAN-24
    Rp150.013, all booked Monday 08:00; the clock then at Monday 20:00."""
    stocked("config set unique-code on", ok=True)
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("book siti PAN-24", ok=True)
    assert [booking(stocked, b)["total"] for b in ("B1", "B2", "B3")] == [
        B1_TOTAL,
        B2_TOTAL,
        B3_TOTAL,
    ]
    stocked.set_now(MONDAY_EVENING)
    return stocked


# ----- the plan -----------------------------------------------------------------------------


def test_exact_amounts_with_their_kode_unik_pay_their_bookings(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    before = coded.ledger_bytes()
    result = coded(f"pay --from {path}", ok=True)
    assert (
        "Transfers that pay a booking\n"
        "Line  Date      Amount  Booking  Customer        Pays  Why\n"
        "6     23/11  Rp150.338  B1       Mike Tan        paid  amount, kode unik 338 and name\n"
        "7     23/11   Rp35.675  B2       Siti Rahmawati  paid  amount, kode unik 675 and name\n"
    ) in result.stdout
    assert result.stderr == (
        "BCA statement 0123456789: 4 transfers in, 1 out. 2 pay a booking, 0 ambiguous, "
        "1 unmatched, 1 pending, 0 recorded before.\n"
        f"Nothing recorded yet. To record them: olshop pay --from {path} --apply\n"
    )
    # Shown, not recorded: not one byte of the ledger changed.
    assert coded.ledger_bytes() == before
    assert [booking(coded, b)["status"] for b in ("B1", "B2", "B3")] == ["booked"] * 3


def test_unmatched_and_pending_transfers_are_listed_with_date_amount_and_description(
    coded, tmp_path
):
    path = statement_file(tmp_path, MONDAY_ROWS)
    shown = coded(f"pay --from {path}", ok=True).stdout
    assert (
        "Transfers for you to decide\n"
        "Line  Date     Amount  From          Why\n"
        "8     23/11  Rp99.000  BUDI SANTOSO  no open booking owes this amount\n"
    ) in shown
    assert "10    PEND  Rp150.013  SITI RAHMAWATI  pending at the bank" in shown
    plan = plan_of(coded, path)
    assert [(p["line"], p["kind"]) for p in plan] == [
        (6, "paid"),
        (7, "paid"),
        (8, "unmatched"),
        (10, "pending"),
    ]
    stranger = plan[2]
    assert (stranger["date"], stranger["amount"]) == ("2026-11-23", 99_000)
    assert stranger["description"] == "TRSF E-BANKING CR 2311/FTSCY/WS95031 99000.00BUDI SANTOSO"
    assert "booking" not in stranger and plan[3]["date"] is None


def test_a_transfer_dated_before_the_booking_was_made_is_not_matched(coded, tmp_path):
    path = statement_file(tmp_path, [cr("22/11", B1_TOTAL, "MIKE TAN")])
    [step] = plan_of(coded, path)
    assert (step["kind"], step["date"]) == ("unmatched", "2026-11-22")
    assert "booking" not in step
    # The same transfer on the day of the booking pays it.
    path = statement_file(tmp_path, [cr("23/11", B1_TOTAL, "MIKE TAN")])
    assert [(s["kind"], s.get("booking")) for s in plan_of(coded, path)] == [("paid", "B1")]


def test_a_transfer_with_cents_pays_nothing(coded, tmp_path):
    path = tmp_path / "cents.csv"
    path.write_text(
        bca([cr("23/11", B1_TOTAL, "MIKE TAN")])
        .replace('"150,338.00",CR', '"150,338.50",CR')
        .replace('Kredit,=,"150,338.00"', 'Kredit,=,"150,338.50"')
        .replace('Saldo Akhir,=,"1,650,338.00"', 'Saldo Akhir,=,"1,650,338.50"'),
        encoding="utf-8",
    )
    [step] = plan_of(coded, path)
    assert (step["kind"], step["amount"]) == ("unmatched", 150_338.5)
    assert step["why"] == "an amount with cents: no booking owes that"


def test_equal_amounts_are_told_apart_by_the_senders_name_or_left_to_decide(stocked, tmp_path):
    stocked("book mike SPAT-1", ok=True)  # B1 Rp35.000
    stocked("book siti SPAT-1", ok=True)  # B2 Rp35.000
    stocked.set_now(MONDAY_EVENING)
    path = statement_file(
        tmp_path,
        [cr("23/11", 35_000, "BUDI SANTOSO"), cr("23/11", 35_000, "SITI RAHMAWATI")],
    )
    result = stocked(f"pay --from {path}", ok=True)
    assert "7     23/11  Rp35.000  B2       Siti Rahmawati  paid  amount and name (2 owe it)" in (
        result.stdout
    )
    assert (
        "6     23/11  Rp35.000  BUDI SANTOSO  2 bookings owe this amount; the name does not "
        "tell which: B1 Mike Tan or B2 Siti Rahmawati\n"
    ) in result.stdout
    assert (
        "2 pay a booking" not in result.stderr and "1 pay a booking, 1 ambiguous" in result.stderr
    )
    plan = plan_of(stocked, path)
    assert (plan[0]["kind"], plan[0]["candidates"]) == ("ambiguous", ["B1", "B2"])
    assert (plan[1]["kind"], plan[1]["booking"]) == ("paid", "B2")
    stocked(f"pay --from {path} --apply", ok=True)
    assert booking(stocked, "B1")["status"] == "booked"  # never guessed
    assert booking(stocked, "B2")["status"] == "paid"


# ----- recording ----------------------------------------------------------------------------


def test_apply_records_each_payment_as_a_transfer_with_its_row(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    keys = [t.key for t in read_statement(path, date(2026, 11, 23)).transfers]
    result = coded(f"pay --from {path} --apply", ok=True)
    assert result.stderr.endswith(
        "Recorded 2 payments in one change (olshop undo takes it back): B1 paid, B2 paid.\n"
    )
    assert booking(coded, "B1")["payments"] == [
        {
            "amount": B1_TOTAL,
            "at": MONDAY_EVENING,
            "method": "transfer",
            "statement": keys[0],
            "received": "2026-11-23",
        }
    ]
    b2 = booking(coded, "B2")
    assert (b2["status"], b2["owed"], b2["payments"][0]["statement"]) == ("paid", 0, keys[1])
    b3 = booking(coded, "B3")  # its transfer is pending at the bank: not recorded
    assert (b3["status"], b3["payments"]) == ("booked", [])
    assert "received Rp150.338 by transfer" in coded("show B1", ok=True).stdout


def test_a_second_read_and_an_overlapping_next_day_statement_pay_nothing_twice(coded, tmp_path):
    monday = statement_file(tmp_path, MONDAY_ROWS, "monday.csv")
    coded(f"pay --from {monday} --apply", ok=True)
    again = coded(f"pay --from {monday} --apply", ok=True)
    assert "Nothing new to record: 2 transfers were recorded before." in again.stderr
    recorded = [ln.split() for ln in again.stdout.splitlines() if "already recorded" in ln]
    assert [r[:4] for r in recorded] == [
        ["6", "23/11", "Rp150.338", "MIKE"],
        ["7", "23/11", "Rp35.675", "SITI"],
    ]
    assert [r[-1] for r in recorded] == ["B1", "B2"]
    assert [len(booking(coded, b)["payments"]) for b in ("B1", "B2", "B3")] == [1, 1, 0]

    tuesday = statement_file(tmp_path, TUESDAY_ROWS, "tuesday.csv")
    coded.set_now(TUESDAY)
    assert [(p["line"], p["kind"]) for p in plan_of(coded, tuesday)] == [
        (6, "recorded"),
        (7, "recorded"),
        (8, "unmatched"),
        (10, "paid"),
    ]
    result = coded(f"pay --from {tuesday} --apply", ok=True)
    assert "B3 paid." in result.stderr
    assert [len(booking(coded, b)["payments"]) for b in ("B1", "B2", "B3")] == [1, 1, 1]
    assert booking(coded, "B3")["payments"][0]["received"] == "2026-11-24"
    # And Tuesday's once more: nothing.
    third = coded(f"pay --from {tuesday} --apply", ok=True)
    assert "Nothing new to record: 3 transfers were recorded before." in third.stderr
    assert [len(booking(coded, b)["payments"]) for b in ("B1", "B2", "B3")] == [1, 1, 1]


def test_two_identical_transfers_on_one_day_are_two_rows(stocked, tmp_path):
    stocked("book mike SPAT-1", ok=True)  # B1 Rp35.000
    stocked("book mike SPAT-1", ok=True)  # B2 Rp35.000
    stocked.set_now(MONDAY_EVENING)
    rows = [cr("23/11", 35_000, "MIKE TAN"), cr("23/11", 35_000, "MIKE TAN")]
    path = statement_file(tmp_path, rows)
    plan = plan_of(stocked, path)
    # Both bookings are Mike's: the name cannot choose between them.
    assert [p["kind"] for p in plan] == ["ambiguous", "ambiguous"]
    assert plan[0]["key"] != plan[1]["key"]


def test_undo_takes_back_every_payment_of_the_statement(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    before = coded("export", ok=True).stdout
    coded(f"pay --from {path} --apply", ok=True)
    undone = coded("undo", ok=True)
    assert f"Undid: olshop pay --from {path} --apply" in undone.stderr
    assert coded("export", ok=True).stdout == before
    assert [booking(coded, b)["payments"] for b in ("B1", "B2")] == [[], []]
    # The rows it recorded are forgotten with it: the statement pays them again.
    assert [p["kind"] for p in plan_of(coded, path)] == ["paid", "paid", "unmatched", "pending"]


def test_print_replies_gives_the_paid_message_with_its_link(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    out = coded(f"pay --from {path} --apply --print-replies", ok=True).stdout
    assert (
        "== B1 · Mike Tan · 0812-3456-7890 ==\n"
        "Terima kasih, Kak Mike! Pembayaran Rp150.338 untuk pesanan B1 sudah kami terima 🙏 "
        "Pesanannya segera kami kemas dan kirim, nanti nomor resinya kami kabari ya.\n"
        "https://wa.me/6281234567890?text=Terima%20kasih%2C%20Kak%20Mike%21%20Pembayaran%20"
        "Rp150.338%20untuk%20pesanan%20B1"
    ) in out
    assert (
        "== B2 · Siti Rahmawati · 0813-1111-2222 ==\n"
        "Terima kasih, Bu Siti! Pembayaran Rp35.675 untuk pesanan B2 sudah kami terima"
    ) in out
    assert "B3" not in out.split("== B1")[1]  # the pending one: no message


def test_a_dp_holds_the_booking_and_a_later_transfer_of_the_balance_pays_it(coded, tmp_path):
    coded("config set dp-minimum 50%", ok=True)
    dp = -(-B1_TOTAL // 2)  # 75.169, rounded up
    monday = statement_file(tmp_path, [cr("23/11", dp, "MIKE TAN")], "monday.csv")
    result = coded(f"pay --from {monday} --apply --print-replies", ok=True)
    assert "6     23/11  Rp75.169  B1       Mike Tan  DP    the shop's DP minimum and name" in (
        result.stdout
    )
    assert (
        "Terima kasih, Kak Mike! DP Rp75.169 untuk pesanan B1 sudah kami terima 🙏 "
        "Sisanya Rp75.169, mohon ditransfer"
    ) in result.stdout
    assert "B1 DP." in result.stderr
    b1 = booking(coded, "B1")
    assert (b1["status"], b1["paid"], b1["owed"]) == ("booked", dp, B1_TOTAL - dp)
    assert "held by its DP" in coded("show B1", ok=True).stdout
    coded.set_now(TUESDAY)  # past B1's deadline: the DP holds it
    assert booking(coded, "B1")["overdue"] is False

    tuesday = statement_file(
        tmp_path, [cr("23/11", dp, "MIKE TAN"), cr("24/11", B1_TOTAL - dp, "MIKE TAN")], "tue.csv"
    )
    assert [(p["kind"], p.get("booking")) for p in plan_of(coded, tuesday)] == [
        ("recorded", "B1"),
        ("balance", "B1"),
    ]
    result = coded(f"pay --from {tuesday} --apply --print-replies", ok=True)
    assert "Terima kasih, Kak Mike! Pembayaran Rp150.338 untuk pesanan B1" in result.stdout
    b1 = booking(coded, "B1")
    assert (b1["status"], b1["owed"]) == ("paid", 0)
    assert [(p["amount"], p["received"]) for p in b1["payments"]] == [
        (dp, "2026-11-23"),
        (B1_TOTAL - dp, "2026-11-24"),
    ]


def test_a_dp_and_its_balance_in_one_statement_are_two_rows_two_payments(coded, tmp_path):
    coded("config set dp-minimum 50%", ok=True)
    dp = -(-B1_TOTAL // 2)
    path = statement_file(tmp_path, [cr("23/11", dp, "MIKE TAN"), cr("23/11", dp, "MIKE TAN")])
    assert [p["kind"] for p in plan_of(coded, path)] == ["dp", "balance"]
    coded(f"pay --from {path} --apply", ok=True)
    b1 = booking(coded, "B1")
    assert (b1["status"], [p["amount"] for p in b1["payments"]]) == ("paid", [dp, dp])
    assert len({p["statement"] for p in b1["payments"]}) == 2


def test_no_held_by_dp_notice_for_a_booking_the_same_statement_paid_in_full(coded, tmp_path):
    coded("config set dp-minimum 50%", ok=True)
    dp = -(-B1_TOTAL // 2)
    path = statement_file(tmp_path, [cr("23/11", dp, "MIKE TAN"), cr("23/11", dp, "MIKE TAN")])
    result = coded(f"pay --from {path} --apply", ok=True)
    assert booking(coded, "B1")["status"] == "paid"
    assert "held by its DP" not in result.stderr


def test_one_payment_is_said_in_the_singular(coded, tmp_path):
    path = statement_file(tmp_path, [cr("23/11", B1_TOTAL, "MIKE TAN")])
    result = coded(f"pay --from {path} --apply", ok=True)
    assert "Recorded 1 payment in one change" in result.stderr


def test_json_gives_the_plan_and_the_result(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    shown = json.loads(coded(f"pay --from {path} --json", ok=True).stdout)
    assert shown["statement"] == {
        "bank": "bca",
        "account": "0123456789",
        "file": str(path),
        "transfers_in": 4,
        "transfers_out": 1,
    }
    assert (shown["applied"], shown["paid"]) == (False, [])
    first = shown["plan"][0]
    assert {k: first[k] for k in ("line", "date", "amount", "kind", "booking", "customer")} == {
        "line": 6,
        "date": "2026-11-23",
        "amount": B1_TOTAL,
        "kind": "paid",
        "booking": "B1",
        "customer": "mike",
    }
    done = json.loads(coded(f"pay --from {path} --apply --json", ok=True).stdout)
    assert done["applied"] is True
    assert done["paid"] == [
        {"booking": "B1", "status": "paid", "paid": B1_TOTAL, "owed": 0},
        {"booking": "B2", "status": "paid", "paid": B2_TOTAL, "owed": 0},
    ]
    assert [p["kind"] for p in done["plan"]] == ["paid", "paid", "unmatched", "pending"]


def test_the_rows_recorded_survive_an_export_and_import(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    coded(f"pay --from {path} --apply", ok=True)
    coded(f"export -o {tmp_path / 'all.json'}", ok=True)
    coded.monkeypatch.setenv("OLSHOP_HOME", str(tmp_path / "other"))
    coded(f"import {tmp_path / 'all.json'}", ok=True)
    assert [p["kind"] for p in plan_of(coded, path)] == [
        "recorded",
        "recorded",
        "unmatched",
        "pending",
    ]


# ----- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"", "is empty (0 bytes): not a statement."),
        (b"PK\x03\x04" + b"\x00" * 30, "is a spreadsheet (Excel), not a CSV."),
        (b"%PDF-1.7\n", "is a PDF"),
        (b"name,phone\nSiti,0812\n", "is not a bank statement olshop knows"),
        (bca(MONDAY_ROWS).split("Saldo Awal")[0].encode(), "it looks cut short."),
        (bca(MONDAY_ROWS).replace('"435,026.00"', '"436,026.00"').encode(), "lines are missing"),
        (bca(MONDAY_ROWS).replace("'23/11,BIAYA", "'23/13,BIAYA").encode(), "Line 9 of"),
        (bca(MONDAY_ROWS).replace(",", ";").encode(), "separated by ';', not ','"),
    ],
    ids=["empty", "xlsx", "pdf", "customers", "cut", "totals", "date", "semicolons"],
)
def test_damaged_and_foreign_files_are_refused_and_change_nothing(coded, tmp_path, data, phrase):
    path = tmp_path / "mutasi.csv"
    path.write_bytes(data)
    coded.refused(f"pay --from {path} --apply", phrase)
    coded.refused(f"pay --from {path}", phrase)
    assert booking(coded, "B1")["payments"] == []


def test_an_unknown_bank_and_options_for_one_payment_are_refused(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    coded.refused(f"pay --from {path} --bank bni --apply", "Unknown bank 'bni'.")
    coded.refused(f"pay --from {path} --bank bri --apply", "is not a BRI statement")
    coded.refused(f"pay B1 --from {path} --apply", "not both", code=2)
    coded.refused(f"pay --from {path} --method cash --apply", "--method", code=2)
    coded.refused("pay B1 --apply", "only with --from", code=2)


# ----- paymatch itself ----------------------------------------------------------------------

NOW = resolve_now(MONDAY_EVENING, shop_zone("Asia/Jakarta"))


def test_the_sender_is_the_description_without_the_banks_words():
    assert paymatch.sender(trsf("01/12", 150_000, "SITI RAHMAWATI")) == "SITI RAHMAWATI"
    assert paymatch.sender("KR OTOMATIS LLG-ANTAR BANK MIKE TAN") == "LLG ANTAR MIKE TAN"
    assert paymatch.name_words("TRANSFER DARI SITI RAHMAWATI") == {"SITI", "RAHMAWATI"}
    assert paymatch.sender("TRSF E-BANKING CR") == "TRSF E-BANKING CR"  # nothing left: as is


def test_a_name_that_fits_several_leaves_the_transfer_to_the_seller(tmp_path):
    ledger = Ledger(
        customers=[Customer("siti", "Siti Rahmawati"), Customer("aminah", "Siti Aminah")],
        products=[Product("MAG-1", "Magnet", 15_000, stock=10)],
    )
    b1 = ledger.book("Siti Rahmawati", ["MAG-1"], NOW)
    b2 = ledger.book("aminah", ["MAG-1"], NOW)
    path = statement_file(
        tmp_path, [cr("23/11", 15_000, "SITI"), cr("23/11", 15_000, "SITI AMINAH")]
    )
    steps = paymatch.plan(ledger, read_statement(path, NOW.date()), NOW)
    assert [s.kind for s in steps] == ["ambiguous", "paid"]
    assert steps[0].why == "2 bookings owe this amount; the name fits several"
    assert [d.id for d in steps[0].candidates] == [b1.id, b2.id]
    assert steps[1].booking is not None and steps[1].booking.id == b2.id
    # Planning changed nothing; applying records exactly the matched one.
    assert (b1.owed, b2.owed) == (15_000, 15_000)
    assert paymatch.apply(ledger, steps, NOW) == [b2]
    assert (b1.status, b2.status) == ("booked", "paid")


# ----- today --------------------------------------------------------------------------------


def test_today_shows_who_the_last_statement_paid_and_what_waits(stocked, tmp_path):
    stocked("book mike SPAT-1", ok=True)  # B1 Rp35.000
    stocked("book siti SPAT-1", ok=True)  # B2 Rp35.000
    stocked("book siti PAN-24", ok=True)  # B3 Rp150.000
    stocked.set_now(MONDAY_EVENING)
    path = statement_file(
        tmp_path,
        [
            cr("23/11", 35_000, "BUDI SANTOSO"),  # line 6: B1 or B2?
            cr("23/11", 150_000, "SITI RAHMAWATI"),  # line 7: B3
            cr("23/11", 99_000, "ANI"),  # line 8: nobody's
        ],
        "senin.csv",
    )
    stocked(f"pay --from {path} --apply", ok=True)
    today = stocked("today", ok=True).stdout
    assert "· 2 transfers to decide\n" in today
    assert "Bank statement read 23 Nov 20:00 (senin.csv): paid B3\n" in today
    assert "Transfers for you to decide (one for a booking: olshop pay ID --transfer LINE)" in today
    lines = today.splitlines()
    waiting = [ln for ln in lines if ln.startswith(("6 ", "8 "))]
    assert len(waiting) == 2
    assert waiting[0].split()[:4] == ["6", "23/11", "Rp35.000", "BUDI"]
    assert "B1" in waiting[0] and "B2" in waiting[0]
    assert waiting[1].split()[:4] == ["8", "23/11", "Rp99.000", "ANI"]
    data = json.loads(stocked("today --json", ok=True).stdout)["statement"]
    assert (data["file"], data["paid"]) == ("senin.csv", ["B3"])
    assert [(w["line"], w["kind"], w["candidates"]) for w in data["waiting"]] == [
        (6, "ambiguous", [1, 2]),
        (8, "unmatched", []),
    ]

    # The seller decides: line 6 pays B2. It leaves today's list and is never read again.
    stocked("pay B2 --transfer 6", ok=True)
    b2 = booking(stocked, "B2")
    assert (b2["status"], b2["payments"][0]["received"]) == ("paid", "2026-11-23")
    assert b2["payments"][0]["statement"] == data["waiting"][0]["key"]
    today = stocked("today", ok=True).stdout
    assert "· 1 transfer to decide\n" in today
    assert not any(ln.startswith("6 ") for ln in today.splitlines())
    assert [p["kind"] for p in plan_of(stocked, path)] == ["recorded", "recorded", "unmatched"]
    stocked.refused(
        "pay B1 --transfer 6", "No transfer at line 6 of the statements read is waiting for you."
    )


def test_today_lists_the_waiting_transfers_of_a_statement_that_paid_nothing(stocked, tmp_path):
    stocked("book mike SPAT-1", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked.set_now(MONDAY_EVENING)
    path = statement_file(tmp_path, [cr("23/11", 35_000, "BUDI SANTOSO")], "senin.csv")
    result = stocked(f"pay --from {path} --apply", ok=True)
    assert "Nothing recorded: no transfer pays a booking." in result.stderr
    today = stocked("today", ok=True).stdout
    assert "1 transfer to decide" in today
    assert "Bank statement read 23 Nov 20:00 (senin.csv): paid none" in today


def test_today_names_a_booking_paid_by_two_transfers_once(coded, tmp_path):
    coded("config set dp-minimum 50%", ok=True)
    dp = -(-B1_TOTAL // 2)
    path = statement_file(tmp_path, [cr("23/11", dp, "MIKE TAN"), cr("23/11", dp, "MIKE TAN")])
    coded(f"pay --from {path} --apply", ok=True)
    assert "(mutasi.csv): paid B1\n" in coded("today", ok=True).stdout


def test_today_shows_a_waiting_transfer_with_cents_at_its_amount(coded, tmp_path):
    rows = [cr("23/11", B1_TOTAL, "MIKE TAN"), cr("23/11", 99_000, "BUDI")]
    text = bca(rows).replace('"99,000.00",CR', '"99,000.50",CR')
    text = text.replace(
        f'Kredit,=,"{B1_TOTAL + 99_000:,}.00"', f'Kredit,=,"{B1_TOTAL + 99_000:,}.50"'
    )
    ending = 1_500_000 + B1_TOTAL + 99_000
    text = text.replace(f'Saldo Akhir,=,"{ending:,}.00"', f'Saldo Akhir,=,"{ending:,}.50"')
    path = tmp_path / "mutasi.csv"
    path.write_text(text, encoding="utf-8")
    coded(f"pay --from {path} --apply", ok=True)
    waiting = [ln for ln in coded("today", ok=True).stdout.splitlines() if ln.startswith("7 ")]
    assert len(waiting) == 1
    assert "Rp0 " not in waiting[0] and "99" in waiting[0].split()[2]


# ----- all or nothing -----------------------------------------------------------------------


def _env(home: Path, now: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OLSHOP_") or k in KEEP_ENV}
    env.update(OLSHOP_HOME=str(home), OLSHOP_NOW=now, OLSHOP_LOCK_TIMEOUT="30")
    return env


def _olshop(home: Path, command: str, now: str = MONDAY_EVENING):
    result = CliRunner().invoke(
        app, shlex.split(command), env=_env(home, now), catch_exceptions=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _state(home: Path, path: Path) -> tuple[dict, list[str]]:
    """The whole ledger as export gives it, and what the statement's rows would do now."""
    exported = _olshop(home, "export")
    assert exported.exit_code == 0, exported.stderr
    data = json.loads(exported.stdout)
    data.pop("exported_at", None)
    planned = _olshop(home, f"pay --from {path} --json")
    assert planned.exit_code == 0, planned.stderr
    return data, [p["kind"] for p in json.loads(planned.stdout)["plan"]]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("calls", ["replace,rename", "fsync"])
def test_killed_mid_apply_records_every_payment_or_none(coded, tmp_path, calls, when):
    path = statement_file(tmp_path, MONDAY_ROWS)
    pristine = tmp_path / "pristine"
    shutil.copytree(coded.home, pristine, symlinks=True)
    before = _state(pristine, path)
    assert before[1] == ["paid", "paid", "unmatched", "pending"]
    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference, symlinks=True)
    assert _olshop(reference, f"pay --from {path} --apply").exit_code == 0
    after = _state(reference, path)
    assert after[1] == ["recorded", "recorded", "unmatched", "pending"]

    kills = 0
    for k in range(1, 100):
        home = tmp_path / "attempt"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(pristine, home, symlinks=True)
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                KILLER,
                calls,
                when,
                str(k),
                "pay",
                "--from",
                str(path),
                "--apply",
            ],
            env=_env(home, MONDAY_EVENING),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        if proc.returncode == 0:
            assert f"[killer: {k - 1} calls]" in proc.stderr, proc.stderr
            assert _state(home, path) == after
            break
        where = f"killed {when} os.{calls} call {k}"
        assert proc.returncode == -signal.SIGKILL, (where, proc.returncode, proc.stderr)
        kills += 1
        got = _state(home, path)
        # The payments and the rows they record land together, or neither does.
        assert got == before or got == after, where
        doctor = _olshop(home, "doctor")
        assert doctor.exit_code == 0, (where, doctor.stdout, doctor.stderr)
        assert "problem" not in doctor.stdout, (where, doctor.stdout)
        if got == before:
            # Whatever the killed process left does not stand in the way of the retry.
            assert _olshop(home, f"pay --from {path} --apply").exit_code == 0, where
            assert _state(home, path) == after, where
        else:
            assert _olshop(home, "undo").exit_code == 0, where
            assert _state(home, path) == before, where
    else:
        pytest.fail(f"pay --from --apply never finished: os.{calls} called 100 times?")
    assert kills >= 1, f"pay --from --apply never called os.{calls}"


def test_a_transfer_dated_after_today_pays_nothing(coded, tmp_path):
    path = tmp_path / "bri.csv"
    path.write_text(
        '"ID","NOREK","TGL_TRAN","TGL_EFEKTIF","JAM_TRAN","SEQ","DESK_TRAN",'
        '"SALDO_AWAL_MUTASI","MUTASI_DEBET","MUTASI_KREDIT","SALDO_AKHIR_MUTASI","GLSIGN"\n'
        '"1","0123","2026-11-23 10:00:00","2026-11-23","10:00:00","7","TRANSFER DARI MIKE TAN",'
        '"0.00",".00","150338.00","150338.00","C"\n'
        '"2","0123","2026-11-24 10:00:00","2026-11-24","10:00:00","8","TRANSFER DARI SITI",'
        '"0.00",".00","35675.00","186013.00","C"\n',
        encoding="utf-8",
    )
    plan = plan_of(coded, path)
    assert [(p["kind"], p["ref"]) for p in plan] == [("paid", "7"), ("unmatched", "8")]
    assert plan[1]["why"] == "dated after today"
    coded(f"pay --from {path} --apply", ok=True)
    assert booking(coded, "B1")["payments"][0]["ref"] == "7"  # the bank's reference kept
    assert booking(coded, "B2")["payments"] == []


# ----- what a seller meets in a real week ---------------------------------------------------


def test_a_buyer_who_paid_twice_is_pointed_out_and_the_money_owed_back(coded, tmp_path):
    path = statement_file(
        tmp_path, [cr("23/11", B1_TOTAL, "MIKE TAN"), cr("23/11", B1_TOTAL, "MIKE TAN")]
    )
    coded(f"pay --from {path} --apply", ok=True)
    second = [s for s in plan_of(coded, path) if s["line"] == 7][0]
    assert (second["kind"], second["candidates"]) == ("unmatched", ["B1"])
    assert second["why"] == "B1 Mike Tan was paid by line 6 already: paid twice?"
    today = coded("today", ok=True).stdout
    assert "7     23/11  Rp150.338  MIKE TAN  B1 Mike Tan was paid by line 6 already" in today
    result = coded("pay B1 --transfer 7", ok=True)
    assert "B1 received Rp150.338 more than its total: that is owed back to the buyer." in (
        result.stderr
    )
    data = booking(coded, "B1")
    assert (data["status"], data["paid"], data["owed_back"]) == ("paid", 2 * B1_TOTAL, B1_TOTAL)
    assert [p.get("statement") is not None for p in data["payments"]] == [True, True]
    today = coded("today", ok=True).stdout
    assert "Paid too much: money owed back to the buyer" in today
    assert "transfer to decide" not in today  # decided
    coded.refused("pay B1 --transfer 7", "No transfer at line 7")


def test_a_transfer_without_its_kode_unik_is_pointed_out_and_the_code_let_go(coded, tmp_path):
    path = statement_file(tmp_path, [cr("23/11", 150_000, "MIKE TAN")])
    [step] = plan_of(coded, path)
    assert (step["kind"], step["candidates"]) == ("unmatched", ["B1"])
    assert step["why"] == "B1 Mike Tan owes Rp150.338: the kode unik left off?"
    coded(f"pay --from {path} --apply", ok=True)
    coded("pay B1 --transfer 6", ok=True)
    data = booking(coded, "B1")
    assert (data["status"], data["total"], data["paid"], data["owed"]) == (
        "paid",
        150_000,
        150_000,
        0,
    )
    assert "unique_code" not in data
    assert any(
        h["detail"] == "kode unik Rp338 dropped: the transfer left it off" for h in data["history"]
    )
    assert (
        "Pembayaran Rp150.000 untuk pesanan B1" in coded("reply paid --booking B1", ok=True).stdout
    )


def test_one_common_first_name_does_not_choose_between_two_buyers(shop, tmp_path):
    shop('product add SPAT-1 "Spatula" --price 35rb --stock 10', ok=True)
    shop('customer add "Rina Kusuma"', ok=True)
    shop('customer add "Nur Aisyah"', ok=True)
    shop("book rina SPAT-1:2", ok=True)
    shop("book nur SPAT-1:2", ok=True)
    shop.set_now(MONDAY_EVENING)
    path = statement_file(
        tmp_path, [cr("23/11", 70_000, "NUR HIDAYAT"), cr("23/11", 70_000, "NUR AISYAH")]
    )
    first, second = plan_of(shop, path)
    assert (first["kind"], first["candidates"]) == ("ambiguous", ["B2", "B1"])
    assert first["why"] == "2 bookings owe this amount; only part of the name fits B2"
    assert (second["kind"], second["booking"]) == ("paid", "B2")


def test_a_transfer_made_before_the_booking_says_so(coded, tmp_path):
    path = statement_file(tmp_path, [cr("20/11", B1_TOTAL, "MIKE TAN")])
    [step] = plan_of(coded, path)
    assert (step["kind"], step["candidates"]) == ("unmatched", ["B1"])
    assert step["why"] == "made before B1 (which owes it) was booked on 23/11"


def test_what_waits_stays_until_decided_when_the_next_statement_is_read(coded, tmp_path):
    monday = statement_file(tmp_path, [cr("23/11", 99_000, "ANI")], "senin.csv")
    coded(f"pay --from {monday} --apply", ok=True)
    tuesday = statement_file(tmp_path, [cr("24/11", B1_TOTAL, "MIKE TAN")], "selasa.csv")
    coded(f"pay --from {tuesday} --apply", now=TUESDAY, ok=True)
    today = coded("today", ok=True).stdout
    assert "Bank statement read 24 Nov 09:00 (selasa.csv): paid B1" in today
    assert "senin.csv:6  23/11  Rp99.000  ANI" in today
    coded.refused("pay B2 --transfer 9", "Lines waiting: senin.csv:6 (olshop today lists them)")
    coded("pay B2 --transfer senin.csv:6", ok=True)
    assert booking(coded, "B2")["payments"][0]["amount"] == 99_000
    assert "transfer to decide" not in coded("today", ok=True).stdout


def test_the_next_command_repeats_the_columns_of_a_mapped_csv(coded, tmp_path):
    path = tmp_path / "bank lain.csv"
    path.write_text("Tgl,Uraian,Masuk\n23/11/2026,TRANSFER MIKE TAN,150338\n", encoding="utf-8")
    result = coded(
        f"pay --from '{path}' --bank csv --date Tgl --description Uraian --amount Masuk", ok=True
    )
    assert (
        f"To record them: olshop pay --from '{path}' --bank csv --date Tgl --amount Masuk "
        "--description Uraian --apply\n"
    ) in result.stderr


def test_print_replies_without_apply_is_refused(coded, tmp_path):
    path = statement_file(tmp_path, MONDAY_ROWS)
    coded.refused(f"pay --from {path} --print-replies", "add --apply", code=2)


@pytest.mark.parametrize(
    ("edit", "phrase"),
    [
        (  # a row and the Kredit total removed: the balances still tell
            lambda text: "\n".join(
                ln for ln in text.split("\n") if "BUDI" not in ln and not ln.startswith("Kredit")
            ),
            "its closing balance is",
        ),
        (  # the Kredit total and the balances removed: nothing to check the rows with
            lambda text: (
                "\n".join(ln for ln in text.split("\n") if not ln.startswith(("Kredit", "Saldo")))
                + 'Debet,=,"10,000.00"\n'
            ),
            "lack the total of the transfers in",
        ),
    ],
    ids=["row-and-total-removed", "totals-removed"],
)
def test_a_bca_statement_whose_totals_were_removed_is_refused(coded, tmp_path, edit, phrase):
    path = tmp_path / "edited.csv"
    path.write_text(edit(bca(MONDAY_ROWS)), encoding="utf-8")
    coded.refused(f"pay --from {path}", phrase)


def test_on_a_phone_the_plan_and_today_are_blocks_that_cut_no_id_or_amount(coded, tmp_path):
    coded.monkeypatch.setenv("COLUMNS", "40")
    path = statement_file(tmp_path, MONDAY_ROWS)
    plan = coded(f"pay --from {path}", ok=True).stdout
    assert plan.startswith(
        "Transfers that pay a booking\n"
        "6 · 23/11 · Rp150.338 → B1 paid\n"
        "  Mike Tan\n"
        "  amount, kode unik 338 and name\n"
    )
    assert "8 · 23/11 · Rp99.000\n  BUDI SANTOSO\n  no open booking owes this amount\n" in plan
    assert all(len(line) <= 40 for line in plan.splitlines())
    coded(f"pay --from {path} --apply", ok=True)
    today = coded("today", ok=True).stdout
    assert "8 · 23/11 · Rp99.000\n  BUDI SANTOSO\n  no open booking owes this amount\n" in today


def test_an_index_written_before_it_kept_what_bookings_owe_still_reads(stocked, tmp_path):
    from olshop_cli import tables

    real = tables.index_entry

    def as_before(booking):
        return {k: v for k, v in real(booking).items() if k not in tables.SINCE_STATEMENTS}

    stocked.monkeypatch.setattr(tables, "index_entry", as_before)
    stocked("config set unique-code on", ok=True)
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked.monkeypatch.setattr(tables, "index_entry", real)
    stocked.set_now(MONDAY_EVENING)
    path = statement_file(tmp_path, MONDAY_ROWS[:2])
    assert [(s["kind"], s.get("booking")) for s in plan_of(stocked, path)] == [
        ("paid", "B1"),
        ("paid", "B2"),
    ]
    doctor = stocked("doctor", ok=True)
    assert "healthy" in doctor.stderr and "index" not in doctor.stdout
    stocked(f"pay --from {path} --apply", ok=True)
    assert [booking(stocked, b)["status"] for b in ("B1", "B2")] == ["paid", "paid"]
