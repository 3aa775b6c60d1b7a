"""`olshop product add|list|show|edit|stock|rm`: prices as typed, stock that never lies.

The `stocked` shop (conftest) has PAN-24 "Wajan 24 cm" (Rp150.000, 3 on hand, related SPAT-1)
and SPAT-1 "Spatula silikon" (Rp35.000, 10 on hand), and customers mike and siti.
"""

from __future__ import annotations

import json
import re

import pytest


def product(shop, sku: str) -> dict:
    """`product show SKU --json`, parsed."""
    return json.loads(shop(["product", "show", sku, "--json"], ok=True).stdout)


def products(shop, *options: str) -> list[dict]:
    return json.loads(shop(["product", "list", "--json", *options], ok=True).stdout)


def list_row(shop, sku: str, *options: str) -> str:
    """The line of `product list` (plain text, as in a pipe) for one SKU."""
    out = shop(["product", "list", *options], ok=True).stdout
    rows = [line for line in out.splitlines() if line.startswith(f"{sku} ")]
    assert len(rows) == 1, out
    return rows[0]


def stock_numbers(row: str) -> tuple[int, int, int]:
    """(on hand, reserved, available) from a `product list` row: the numbers after the price."""
    match = re.search(r"Rp[\d.]+\s+(\d+)\s+(\d+)\s+(-?\d+)", row)
    assert match, row
    return tuple(int(n) for n in match.groups())


# ----- add -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "rupiah", "printed"),
    [
        ("150000", 150_000, "Rp150.000"),
        ("150.000", 150_000, "Rp150.000"),
        ("150rb", 150_000, "Rp150.000"),
        ("150 ribu", 150_000, "Rp150.000"),
        ("150k", 150_000, "Rp150.000"),
        ("150K", 150_000, "Rp150.000"),
        ("1,5jt", 1_500_000, "Rp1.500.000"),
        ("2 juta", 2_000_000, "Rp2.000.000"),
        ("Rp 150.000", 150_000, "Rp150.000"),
        ("Rp150.000,-", 150_000, "Rp150.000"),
        ("12.500", 12_500, "Rp12.500"),
        ("0", 0, "Rp0"),
    ],
)
def test_prices_as_people_type_them_are_stored_as_whole_rupiah(shop, typed, rupiah, printed):
    result = shop(["product", "add", "TAS-1", "Tas anyaman", "--price", typed], ok=True)

    assert result.stdout == "TAS-1\n"
    assert f"at {printed}" in result.stderr
    stored = product(shop, "TAS-1")["price"]
    assert stored == rupiah and type(stored) is int


def test_add_stores_every_field(shop):
    shop('product add tas-1 "  Tas   anyaman " --price 85rb --stock 4 --note "dari Bali"', ok=True)

    data = product(shop, "TAS-1")
    assert {k: data[k] for k in ("sku", "name", "price", "stock", "related", "restock",
                                 "listed", "note", "reserved", "available", "sold_out")} == {
        "sku": "TAS-1", "name": "Tas anyaman", "price": 85_000, "stock": 4, "related": [],
        "restock": None, "listed": True, "note": "dari Bali", "reserved": 0, "available": 4,
        "sold_out": False,
    }  # fmt: skip
    assert data["created"] == "2026-11-23T08:00:00+07:00"


@pytest.mark.parametrize("typed", ["pan-24", "Pan-24", "PAN-24", " pan-24 "])
def test_sku_is_case_insensitive(stocked, typed):
    assert product(stocked, typed)["sku"] == "PAN-24"


@pytest.mark.parametrize("typed", ["PAN-24", "pan-24"])
def test_a_duplicate_sku_is_refused(stocked, typed):
    stocked.refused(
        ["product", "add", typed, "Wajan lain", "--price", "99rb"],
        "SKU PAN-24 already exists (Wajan 24 cm)",
        "olshop product edit PAN-24",
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("product add TAS-1 Tas --price abc", "Cannot read 'abc' as money"),
        ("product add TAS-1 Tas --price -5000", "Money cannot be negative"),
        ("product add TAS-1 Tas --price 1,2345rb", "not a whole number of rupiah"),
        ("product add TAS-1 Tas --price 85rb --stock -1", "Stock cannot be negative"),
        ('product add TAS-1 "  " --price 85rb', "product name is empty"),
        ('product add "TAS 1" Tas --price 85rb', "'TAS 1' is not a usable SKU"),
        ("product add TAS:1 Tas --price 85rb", "'TAS:1' is not a usable SKU"),
        ("product add TAS-1 Tas --price 85rb --related tas-1", "TAS-1 cannot be related to itself"),
        ("product add TAS-1 Tas --price 85rb --restock kapan-kapan", "kapan-kapan"),
    ],
)
def test_add_refuses_bad_input(stocked, command, expected):
    stocked.refused(command, expected)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("product add TAS-1 Tas", "Missing option '--price'"),
        ("product add TAS-1 --price 85rb", "Missing argument"),
        ("product add TAS-1 Tas --price 85rb --stock lima", "'lima' is not a valid int"),
        ("product stock PAN-24", "Missing argument"),
    ],
)
def test_usage_errors_exit_2(stocked, command, expected):
    stocked.refused(command, expected, code=2)


# ----- related products ------------------------------------------------------------------


def test_an_unknown_related_sku_warns_but_is_accepted(shop):
    result = shop("product add PAN-24 Wajan --price 150rb --related spat-1 --related TUTUP-24")

    assert result.exit_code == 0 and result.stdout == "PAN-24\n"
    assert "Warning: SPAT-1 is not in the ledger yet" in result.stderr
    assert "Warning: TUTUP-24 is not in the ledger yet" in result.stderr
    assert product(shop, "PAN-24")["related"] == ["SPAT-1", "TUTUP-24"]


def test_a_known_related_sku_gives_no_warning(stocked):
    result = stocked("product add TUTUP-24 Tutup --price 40rb --related pan-24", ok=True)

    assert "Warning" not in result.stderr
    assert product(stocked, "TUTUP-24")["related"] == ["PAN-24"]


def test_edit_adds_and_removes_related_skus(stocked):
    stocked("product add TUTUP-24 Tutup --price 40rb", ok=True)

    stocked("product edit PAN-24 --related tutup-24 --related SPAT-1", ok=True)
    assert product(stocked, "PAN-24")["related"] == ["SPAT-1", "TUTUP-24"]

    stocked("product edit PAN-24 --unrelate spat-1", ok=True)
    assert product(stocked, "PAN-24")["related"] == ["TUTUP-24"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("product edit PAN-24 --unrelate TUTUP-24", "TUTUP-24 is not related to PAN-24"),
        ("product edit PAN-24 --related pan-24", "PAN-24 cannot be related to itself"),
        ("product edit PAN-24 --name ''", "product name cannot be empty"),
        ("product edit PAN-24 --price gratis", "Cannot read 'gratis' as money"),
        ("product edit WOK-1 --price 1rb", "No product with SKU WOK-1"),
    ],
)
def test_edit_refuses_bad_input(stocked, command, expected):
    stocked.refused(command, expected)


def test_show_describes_related_products(stocked):
    out = stocked("product show PAN-24", ok=True).stdout

    assert "SPAT-1 Spatula silikon Rp35.000, 10 available" in out


def test_rm_takes_a_product_out_of_other_products_related_lists(stocked):
    result = stocked("product rm spat-1", ok=True)

    assert "Removed SPAT-1 Spatula silikon" in result.stderr and result.stdout == ""
    assert product(stocked, "PAN-24")["related"] == []
    stocked.refused("product show SPAT-1", "No product with SKU SPAT-1")


# ----- stock -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "on_hand"),
    [("+5", 8), ("-2", 1), ("-3", 0), ("=10", 10), ("=0", 0), ("7", 7), ("+0", 3)],
)
def test_stock_adds_takes_away_or_sets(stocked, change, on_hand):
    result = stocked(["product", "stock", "pan-24", change], ok=True)

    assert result.stdout == f"{on_hand}\n"
    assert f"PAN-24: 3 -> {on_hand} on hand" in result.stderr
    assert product(stocked, "PAN-24")["stock"] == on_hand


def test_a_negative_change_typed_in_a_shell_line_is_an_argument_not_an_option(stocked):
    assert stocked("product stock PAN-24 -2", ok=True).stdout == "1\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("-4", "PAN-24 has 3 on hand; taking 4 would make it negative"),
        ("abc", "'abc' is not a stock change"),
        ("+", "'+' is not a stock change"),
        ("+-1", "'+-1' is not a stock change"),
        ("=-1", "'=-1' is not a stock change"),
        ("1.5", "'1.5' is not a stock change"),
    ],
)
def test_stock_never_goes_negative_or_takes_nonsense(stocked, change, expected):
    stocked.refused(["product", "stock", "PAN-24", change], expected)


@pytest.mark.parametrize("change", ["-2", "=1", "=0"])
def test_stock_never_goes_below_what_open_bookings_reserve(stocked, change):
    stocked("book mike PAN-24:2", ok=True)

    stocked.refused(["product", "stock", "PAN-24", change], "open bookings hold 2")


def test_stock_can_go_down_to_exactly_what_is_reserved(stocked):
    stocked("book mike PAN-24:2", ok=True)

    assert stocked("product stock PAN-24 -1", ok=True).stdout == "2\n"
    assert product(stocked, "PAN-24")["available"] == 0


def test_stock_of_an_unknown_sku_suggests_close_ones(stocked):
    stocked.refused("product stock PAN-42 +1", "No product with SKU PAN-42", "PAN-24")


# ----- reserved, available, sold out -------------------------------------------------------


def test_list_shows_on_hand_reserved_and_available(stocked):
    stocked("book mike PAN-24:2 SPAT-1", ok=True)

    assert stock_numbers(list_row(stocked, "PAN-24")) == (3, 2, 1)
    assert stock_numbers(list_row(stocked, "SPAT-1")) == (10, 1, 9)
    pan = product(stocked, "PAN-24")
    assert (pan["stock"], pan["reserved"], pan["available"], pan["sold_out"]) == (3, 2, 1, False)
    assert pan["reserved_by"] == ["B1"]


def test_cancelling_a_booking_frees_its_stock(stocked):
    stocked("book mike PAN-24:2", ok=True)
    stocked("cancel B1", ok=True)

    assert stock_numbers(list_row(stocked, "PAN-24")) == (3, 0, 3)


def test_a_product_with_nothing_available_is_marked_sold_out(stocked):
    stocked("book mike PAN-24:3", ok=True)

    assert "SOLD OUT" in list_row(stocked, "PAN-24")
    assert "SOLD OUT" not in list_row(stocked, "SPAT-1")
    assert "SOLD OUT" in stocked("product show PAN-24", ok=True).stdout
    assert product(stocked, "PAN-24")["sold_out"] is True


@pytest.mark.parametrize(
    "make_sold_out", ["book mike PAN-24:3", "product stock PAN-24 =0", "product stock PAN-24 -3"]
)
def test_list_sold_out_shows_only_those(stocked, make_sold_out):
    stocked(make_sold_out, ok=True)

    assert [p["sku"] for p in products(stocked, "--sold-out")] == ["PAN-24"]
    out = stocked("product list --sold-out", ok=True).stdout
    assert "PAN-24" in out and "SPAT-1" not in out


def test_list_sold_out_when_nothing_is_sold_out(stocked):
    result = stocked("product list --sold-out", ok=True)

    assert result.stdout == ""
    assert "No sold-out products" in result.stderr
    assert products(stocked, "--sold-out") == []


def test_list_json_is_valid_json_only_sorted_by_sku(stocked):
    stocked("product add ANTI-1 'Anti lengket' --price 20rb", ok=True)

    listed = products(stocked)

    assert [p["sku"] for p in listed] == ["ANTI-1", "PAN-24", "SPAT-1"]
    assert [(p["price"], p["stock"], p["available"]) for p in listed] == [
        (20_000, 0, 0),
        (150_000, 3, 3),
        (35_000, 10, 10),
    ]


def test_list_of_an_empty_shop(shop):
    result = shop("product list", ok=True)

    assert result.stdout == ""
    assert "No products yet" in result.stderr
    assert products(shop) == []


def test_unlisted_products_are_marked_and_can_be_listed_again(stocked):
    stocked("product edit SPAT-1 --unlisted", ok=True)

    assert product(stocked, "SPAT-1")["listed"] is False
    assert list_row(stocked, "SPAT-1").rstrip().endswith("unlisted")
    assert "no (taken down)" in stocked("product show SPAT-1", ok=True).stdout

    stocked("product edit SPAT-1 --listed", ok=True)
    assert product(stocked, "SPAT-1")["listed"] is True
    assert "unlisted" not in list_row(stocked, "SPAT-1")


def test_a_sold_out_unlisted_product_says_both(stocked):
    stocked("product stock PAN-24 =0", ok=True)
    stocked("product edit PAN-24 --unlisted", ok=True)

    assert "sold out, unlisted" in list_row(stocked, "PAN-24")


# ----- rm --------------------------------------------------------------------------------


@pytest.mark.parametrize("pay_first", [False, True], ids=["booked", "paid"])
def test_rm_is_refused_while_an_open_booking_holds_it(stocked, pay_first):
    stocked("book siti PAN-24", ok=True)
    if pay_first:
        stocked("pay B1", ok=True)

    stocked.refused("product rm pan-24", "PAN-24 is held by open bookings (B1)", "--unlisted")


def test_rm_works_once_the_booking_is_cancelled(stocked):
    stocked("book siti PAN-24", ok=True)
    stocked("cancel B1", ok=True)

    stocked("product rm PAN-24", ok=True)

    assert [p["sku"] for p in products(stocked)] == ["SPAT-1"]


# ----- restock dates and prices ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("5 Des", "2026-12-05"),
        ("5 des", "2026-12-05"),
        ("5 Desember", "2026-12-05"),
        ("2026-12-05", "2026-12-05"),
        ("besok", "2026-11-24"),
        ("lusa", "2026-11-25"),
        ("10 Jan", "2027-01-10"),
    ],
)
def test_restock_dates_are_stored_as_iso_dates(stocked, typed, date):
    stocked(["product", "add", "TUTUP-24", "Tutup", "--price", "40rb", "--restock", typed], ok=True)
    stocked(["product", "edit", "PAN-24", "--restock", typed], ok=True)

    assert product(stocked, "TUTUP-24")["restock"] == date
    assert product(stocked, "PAN-24")["restock"] == date
    assert list_row(stocked, "TUTUP-24").endswith(date)


def test_restock_is_cleared_by_an_empty_value_or_by_new_stock(stocked):
    stocked("product edit PAN-24 --restock '5 Des'", ok=True)
    stocked("product edit SPAT-1 --restock '5 Des'", ok=True)

    stocked("product edit PAN-24 --restock ''", ok=True)
    stocked("product stock SPAT-1 +5", ok=True)

    assert product(stocked, "PAN-24")["restock"] is None
    assert product(stocked, "SPAT-1")["restock"] is None


def test_money_prints_as_rupiah(stocked):
    stocked("product edit PAN-24 --price 1,25jt", ok=True)

    assert "Rp1.250.000" in list_row(stocked, "PAN-24")
    assert "Rp35.000" in list_row(stocked, "SPAT-1")
    assert "price      Rp1.250.000" in stocked("product show PAN-24", ok=True).stdout
    assert product(stocked, "PAN-24")["price"] == 1_250_000


def test_a_booking_keeps_the_price_it_was_booked_at(stocked):
    stocked("book mike PAN-24", ok=True)

    stocked("product edit PAN-24 --price 175rb", ok=True)

    booking = json.loads(stocked("bookings --json", ok=True).stdout)[0]
    assert booking["lines"][0]["price"] == 150_000
    assert product(stocked, "PAN-24")["price"] == 175_000
