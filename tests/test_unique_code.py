"""The kode unik: a number 1-999 on each new booking's total when the shop uses them
(`config set unique-code on|discount|off`), unique among open bookings, shown as its own
line wherever the booking's money is, freed when the booking closes."""

from __future__ import annotations

import csv
import io
import json

from olshop_cli.ledger import Ledger
from olshop_cli.models import MAX_UNIQUE_CODE, Customer, Product
from olshop_cli.when import resolve_now, shop_zone

NOW = resolve_now("2026-11-23T08:00:00+07:00", shop_zone("Asia/Jakarta"))


def booking(shop, bid: str) -> dict:
    return json.loads(shop(f"show {bid} --json", ok=True).stdout)


def ledger_with(mode: str, stock: int = 2000) -> Ledger:
    return Ledger(
        customers=[Customer("siti", "Siti Rahmawati")],
        products=[Product("MAG-1", "Magnet", 15_000, stock=stock)],
        settings={"unique-code": mode},
    )


def test_off_by_default_the_total_is_the_order(stocked):
    stocked("book mike PAN-24", ok=True)
    data = booking(stocked, "B1")
    assert data["total"] == 150_000
    assert "unique_code" not in data
    assert "kode unik" not in stocked("show B1", ok=True).stdout


def test_on_adds_a_code_shown_as_its_own_line(stocked):
    assert stocked("config set unique-code on", ok=True).stderr == "unique-code = on\n"
    result = stocked("book mike PAN-24 --ongkir 10rb --courier jne", ok=True)
    assert result.stderr == (
        "Booked B1 for Mike Tan: 1x PAN-24, Rp160.338 (items Rp150.000, ongkir Rp10.000 JNE, "
        "kode unik +Rp338); pay by 2026-11-24 08:00.\n"
    )
    data = booking(stocked, "B1")
    assert (data["unique_code"], data["total"], data["owed"]) == (338, 160_338, 160_338)
    shown = stocked("show B1", ok=True).stdout
    assert "  kode unik  +Rp338\n  total      Rp160.338\n" in shown


def test_confirm_names_the_exact_amount_with_its_code(stocked):
    stocked("config set unique-code on", ok=True)
    stocked("config set bank 'BCA 123 a.n. Toko'", ok=True)
    stocked("book siti SPAT-1", ok=True)
    text = stocked("reply confirm --booking B1", ok=True).stdout
    assert "Kode unik: Rp338\nTotal: Rp35.338\n" in text
    assert "Mohon transfer Rp35.338 paling lambat besok pukul 08.00 ke BCA 123 a.n. Toko ya." in (
        text
    )
    assert (
        "Nominal itu sudah termasuk kode unik Rp338 supaya transfer Bu Siti langsung kami "
        "kenali, jadi mohon ditransfer persis, tanpa dibulatkan. Setelah transfer" in text
    )
    english = stocked("reply confirm --booking B1 --lang en", ok=True).stdout
    assert "Unique code: Rp338\nTotal: Rp35.338\n" in english
    assert "That amount includes a unique code of Rp338" in english


def test_confirm_without_a_code_says_nothing_of_one(stocked):
    stocked("book siti SPAT-1", ok=True)
    text = stocked("reply confirm --booking B1", ok=True).stdout
    assert "kode unik" not in text.lower()
    assert "ke (rekening" not in text and "ya. Setelah transfer" in text


def test_discount_takes_the_code_off_the_total(stocked):
    stocked("config set unique-code potong", ok=True)
    assert stocked("config get unique-code", ok=True).stdout == "discount\n"
    stocked("book mike SPAT-1", ok=True)
    data = booking(stocked, "B1")
    assert (data["unique_code"], data["total"]) == (-338, 34_662)
    assert "  kode unik  -Rp338\n" in stocked("show B1", ok=True).stdout
    text = stocked("reply confirm --booking B1", ok=True).stdout
    assert "Kode unik: -Rp338\nTotal: Rp34.662\n" in text
    assert "Nominal itu sudah dipotong kode unik Rp338" in text


def test_codes_differ_among_open_bookings_and_a_closed_one_frees_its_code():
    ledger = ledger_with("on")
    first = ledger.book("siti", ["MAG-1"], NOW)
    assert first.unique_code == 338
    codes = [ledger.book("siti", ["MAG-1"], NOW).unique_code for _ in range(50)]
    assert len(set(codes + [338])) == 51
    assert all(1 <= code <= MAX_UNIQUE_CODE for code in codes)
    ledger.cancel(first.id, NOW)
    assert 338 not in ledger.codes_in_use()
    assert ledger.codes_in_use() == set(codes)


def test_the_seller_is_told_when_codes_run_low_and_when_none_is_left():
    ledger = ledger_with("on")
    for _ in range(MAX_UNIQUE_CODE - 100):
        ledger.book("siti", ["MAG-1"], NOW)
    assert [n for n in ledger.notices if "kode unik" in n] == []  # (booked again: warned)
    ledger.book("siti", ["MAG-1"], NOW)
    codes = [n for n in ledger.notices if "kode unik" in n]
    assert codes[-1].startswith("Only 99 of the 999 kode unik are free now")
    for _ in range(99):
        ledger.book("siti", ["MAG-1"], NOW)
    assert len(ledger.codes_in_use()) == MAX_UNIQUE_CODE
    last = ledger.book("siti", ["MAG-1"], NOW)
    assert last.unique_code == 0 and last.total == 15_000
    assert [n for n in ledger.notices if "kode unik" in n][-1] == (
        f"{last.id} has no kode unik: all 999 are held by open bookings. Close finished "
        "ones to free theirs: olshop done ID (or cancel)."
    )


def test_a_code_taken_off_stays_below_the_total():
    ledger = ledger_with("discount")
    ledger.products["TINY"] = Product("TINY", "Stiker", 300, stock=10)
    tiny = ledger.book("siti", ["TINY"], NOW)
    assert 1 <= -tiny.unique_code < 300 and tiny.total >= 1
    ledger.products["FREE"] = Product("FREE", "Bonus", 0, stock=10)
    assert ledger.book("siti", ["FREE"], NOW).unique_code == 0  # nothing to pay: no code


def test_the_setting_refuses_what_it_cannot_read(stocked):
    result = stocked.refused("config set unique-code maybe", "'maybe' is not a kode unik rule.")
    assert "Use on (added to the total), discount (taken off it) or off." in result.stderr


def test_csv_and_json_exports_carry_the_code(stocked):
    stocked("config set unique-code on", ok=True)
    stocked("book mike SPAT-1", ok=True)
    rows = list(csv.DictReader(io.StringIO(stocked("export --format csv", ok=True).stdout)))
    assert (rows[0]["unique_code"], rows[0]["total"]) == ("338", "35338")
    exported = json.loads(stocked("export", ok=True).stdout)
    assert exported["bookings"][0]["unique_code"] == 338


def test_a_code_survives_undo_and_an_import_round_trip(stocked, tmp_path):
    stocked("config set unique-code on", ok=True)
    stocked("book mike SPAT-1", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("undo", ok=True)
    assert booking(stocked, "B1")["unique_code"] == 338
    stocked(f"export -o {tmp_path / 'all.json'}", ok=True)
    stocked.monkeypatch.setenv("OLSHOP_HOME", str(tmp_path / "other"))
    stocked(f"import {tmp_path / 'all.json'}", ok=True)
    assert booking(stocked, "B1")["total"] == 35_338
    assert "healthy" in stocked("doctor", ok=True).stderr


def test_confirm_in_english_for_a_code_taken_off(stocked):
    stocked("config set unique-code discount", ok=True)
    stocked("book mike SPAT-1", ok=True)
    english = stocked("reply confirm --booking B1 --lang en", ok=True).stdout
    assert "Please transfer Rp34.662 by" in english
    assert "That amount is less a unique code of Rp338 so we can recognise your transfer" in (
        english
    )
