#!/usr/bin/env python3
"""Build a realistic ledger for benchmarks, through olshop's own ledger and storage code.

    python bench/generate.py --bookings 100000 --home /tmp/bench-100k [--seed 1]

Shape: three years of sales ending at NOW (2026-11-23 08:00 Asia/Jakarta, the clock that
bench/run.py fixes with OLSHOP_NOW); 5,000 customers and 500 products (fewer for small
ledgers); about 2 % of bookings still open at the end (booked, some overdue, paid, shipped),
the rest done (85 %), cancelled (8 %) or released (7 %). Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from olshop_cli.store import Store
from olshop_cli.when import shop_zone

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=shop_zone("Asia/Jakarta"))
NOW_TEXT = "2026-11-23T08:00:00+07:00"
FIRST = [
    "Siti",
    "Dewi",
    "Rina",
    "Ayu",
    "Budi",
    "Agus",
    "Putri",
    "Nur",
    "Wahyu",
    "Indah",
    "Fitri",
    "Rizky",
    "Eka",
    "Dian",
    "Sri",
    "Yuni",
    "Andi",
    "Maya",
    "Lestari",
    "Hendra",
]
LAST = [
    "Rahmawati",
    "Santoso",
    "Wijaya",
    "Lestari",
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Pratama",
    "Susanti",
    "Nugroho",
    "Permata",
    "Setiawan",
]
CALLS = ["Kak", "Kak", "Kak", "Sis", "Gan", "Bu", "Pak", "Mbak", "Mas"]
CHANNELS = ["wa", "wa", "wa", "ig", "shopee", "tokopedia"]
COURIERS = ["JNE", "J&T", "SiCepat", "POS", "AnterAja"]
CHUNK = 5000  # bookings per commit: each commit is one locked, atomic change


def generate(bookings: int, home: Path, seed: int = 1, quiet: bool = False) -> dict:
    """Fill an empty ledger folder; returns counts for the benchmark's checks."""
    rng = random.Random(seed)
    store = Store(home)
    n_customers = min(50_000, max(50, bookings // 20))
    n_products = min(2_000, max(20, bookings // 200))
    start = NOW - timedelta(days=3 * 365)
    with store.change("bench/generate.py setup") as ledger:
        if ledger.customers or ledger.products or ledger.next_booking > 1:
            sys.exit(f"{home} already has a ledger; give an empty folder")
        for i in range(n_products):
            ledger.add_product(
                f"SKU-{i + 1:04d}",
                f"Produk {i + 1}",
                rng.choice([15000, 25000, 35000, 49900, 75000, 89000, 120000, 150000]),
                start,
                stock=1000,
            )
        for i in range(n_customers):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i + 1}"
            ledger.add_customer(
                name,
                start,
                call=rng.choice(CALLS),
                phone=f"0812{i + 1:08d}",
                channel=rng.choice(CHANNELS),
                address=f"Jl. Contoh No. {i + 1}",
                key=f"c{i + 1}",
            )
    skus = [f"SKU-{i + 1:04d}" for i in range(n_products)]
    open_from = bookings - max(1, bookings // 50)  # the last 2 % stay open
    step = (NOW - timedelta(hours=1) - start) / bookings
    made = 0
    t0 = time.perf_counter()
    while made < bookings:
        with store.change("bench/generate.py bookings") as ledger:
            for i in range(made, min(bookings, made + CHUNK)):
                at = start + step * i
                items = [
                    f"{rng.choice(skus)}:{rng.randint(1, 3)}" for _ in range(rng.randint(1, 3))
                ]
                for sku, _ in (item.split(":") for item in items):
                    product = ledger.products[sku]
                    if product.stock - ledger.reserved(sku) < 20:
                        ledger.adjust_stock(sku, "+500")
                booking = ledger.book(
                    f"c{rng.randint(1, n_customers)}",
                    items,
                    at,
                    deadline=at + timedelta(hours=rng.choice([24, 24, 48])),
                    note=rng.choice(["", "", "", "bungkus rapi ya", "kirim sore"]),
                )
                _settle(ledger, booking.id, at, i >= open_from, rng)
        made = min(bookings, made + CHUNK)
        if not quiet:
            print(f"  {made} bookings ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    ledger = store.load()
    return {
        "bookings": bookings,
        "open": len(ledger.bookings),
        "overdue": len(ledger.overdue(NOW)),
        "customers": len(ledger.customers),
        "products": len(ledger.products),
    }


def _settle(ledger, bid: str, at: datetime, stays_open: bool, rng: random.Random) -> None:
    """Move a booking along to where a real one of its age would be."""
    later = at + timedelta(hours=rng.randint(1, 20))
    if stays_open:
        roll = rng.random()
        if roll < 0.6:
            return  # booked: overdue or not, depending on its deadline
        ledger.pay(bid, later)
        if roll > 0.8:
            ledger.ship(bid, rng.choice(COURIERS), f"TRK{rng.randint(10**9, 10**10)}", later)
        return
    roll = rng.random()
    if roll < 0.08:
        ledger.cancel(bid, later, reason="ganti pilihan")
    elif roll < 0.15:
        if rng.random() < 0.5:
            ledger.remind(bid, later)
        ledger.release(bid, later + timedelta(days=3), force=True)
    else:
        ledger.pay(bid, later)
        ledger.ship(bid, rng.choice(COURIERS), f"TRK{rng.randint(10**9, 10**10)}", later)
        ledger.done(bid, later + timedelta(days=3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, required=True)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.bookings, args.home, args.seed)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
