"""A phone's screen: below 60 columns listings and the digest are blocks, and no id, SKU,
phone or amount is ever cut; at 60 columns and wider they are tables as before."""

from __future__ import annotations

import json
import re

import pytest

from olshop_cli.money import format_money

LISTINGS = ["today", "bookings", "product list", "customer list", "pack", "customer show mike"]


@pytest.fixture
def demo(shop):
    shop("demo", ok=True)
    return shop


def _whole_values(shop) -> set[str]:
    """Every id, SKU, phone and amount the listings can show, from the JSON views."""
    values: set[str] = set()
    for b in json.loads(shop("bookings --json", ok=True).stdout):
        values |= {b["id"], format_money(b["total"])}
        values |= {line["sku"] for line in b["lines"]}
    for p in json.loads(shop("product list --json", ok=True).stdout):
        values |= {p["sku"], format_money(p["price"])}
    from olshop_cli.phone import format_phone

    for c in json.loads(shop("customer list --json", ok=True).stdout):
        if c.get("phone"):
            values.add(format_phone(c["phone"]))
    return values


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[^\s,·()]+", text))


@pytest.mark.parametrize("command", LISTINGS)
def test_at_40_columns_nothing_is_cut_and_lines_fit(demo, monkeypatch, command):
    wide = demo(command, ok=True).stdout
    monkeypatch.setenv("COLUMNS", "40")
    narrow = demo(command, ok=True).stdout
    for value in _whole_values(demo):
        # each value whole on the phone wherever the wide table shows it
        if value in _tokens(wide):
            assert value in _tokens(narrow), (command, value, narrow)
    for line in narrow.splitlines():
        words = line.split()
        # a line longer than the screen only when one word alone is (never cut)
        assert len(line) <= 40 or any(len(w) > 30 for w in words), (command, line)
    assert "…" not in narrow and "..." not in narrow.replace("--tracking ...", "")


def test_the_digest_is_one_block_a_booking_at_40_columns(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    out = demo("today", ok=True).stdout
    assert "ID  Customer" not in out  # no table header
    # B4 of the demo: head line, items, status with deadline, next step
    block = out[out.index("B4 · Budi Santoso · Rp95.000") :].splitlines()[:4]
    assert block[1] == "  1x PANCI-18"
    assert block[2].startswith("  booked · ") and block[2].endswith("late)")
    assert block[3] == "  Next: release: olshop release B4"


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_from_60_columns_listings_are_tables(demo, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    assert "ID  Customer" in demo("bookings", ok=True).stdout
    assert demo("product list", ok=True).stdout.startswith("SKU  ")


def test_a_product_list_at_40_columns_reads_as_label_and_value(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    out = demo("product list", ok=True).stdout.splitlines()
    at = out.index("PAN-24 · Wajan anti lengket 24 cm")
    assert out[at + 1 : at + 3] == ["  Price: Rp150.000", "  On hand: 4"]
