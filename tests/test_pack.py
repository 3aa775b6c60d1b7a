"""Packing day: `olshop pack` sums items by SKU over paid, unshipped bookings."""

from __future__ import annotations

import json


def _pack(shop) -> dict:
    result = shop("pack --json", ok=True)
    return json.loads(result.stdout)


def _ready(shop, customer: str, *items: str) -> str:
    bid = shop(f"book {customer} {' '.join(items)}", ok=True).stdout.strip()
    shop(f"pay {bid}", ok=True)
    return bid


def test_picks_are_summed_over_paid_bookings_only(stocked):
    stocked("customer edit mike --address 'Jl. Melati 1, Bogor'", ok=True)
    b1 = _ready(stocked, "mike", "PAN-24:2", "SPAT-1")
    b2 = _ready(stocked, "siti", "SPAT-1:3")
    stocked("book siti PAN-24", ok=True)  # booked, unpaid: not packed
    shipped = _ready(stocked, "siti", "SPAT-1:4")
    stocked(f"ship {shipped} --courier JNE --tracking X", ok=True)  # already gone

    data = _pack(stocked)

    assert data["picks"] == [
        {"sku": "PAN-24", "name": "Wajan 24 cm", "qty": 2},
        {"sku": "SPAT-1", "name": "Spatula silikon", "qty": 4},
    ]
    assert [p["id"] for p in data["parcels"]] == [b1, b2]
    mike = data["parcels"][0]
    assert mike["name"] == "Mike Tan"
    assert mike["phone"] == "+6281234567890"
    assert mike["address"] == "Jl. Melati 1, Bogor"
    assert mike["items"] == [
        {"sku": "PAN-24", "name": "Wajan 24 cm", "qty": 2},
        {"sku": "SPAT-1", "name": "Spatula silikon", "qty": 1},
    ]
    assert mike["total"] == 335_000


def test_text_packing_list(stocked):
    stocked("customer edit siti --address 'Jl. Kenanga 2'", ok=True)
    _ready(stocked, "mike", "PAN-24", "SPAT-1:2")
    _ready(stocked, "siti", "SPAT-1")
    result = stocked("pack", ok=True)
    lines = result.stdout.splitlines()
    assert lines[0] == "Pick: 4 items for 2 parcels"
    assert lines[2].split() == ["PAN-24", "Wajan", "24", "cm", "1"]
    assert lines[3].split() == ["SPAT-1", "Spatula", "silikon", "3"]
    assert "B1 · Mike Tan · 0812-3456-7890" in lines
    assert "  (no address: ask the buyer)" in lines
    assert "B2 · Siti Rahmawati · 0813-1111-2222" in lines
    assert "  Jl. Kenanga 2" in lines
    assert "olshop ship B1" in result.stderr


def test_current_product_name_is_used_for_picks(stocked):
    _ready(stocked, "mike", "PAN-24")
    stocked('product edit PAN-24 --name "Wajan besi 24"', ok=True)
    assert _pack(stocked)["picks"][0]["name"] == "Wajan besi 24"


def test_nothing_to_pack(stocked):
    stocked("book mike PAN-24", ok=True)
    result = stocked("pack", ok=True)
    assert result.stdout == ""
    assert "Nothing to pack" in result.stderr
    assert _pack(stocked) == {"picks": [], "parcels": []}
