"""Names as Indonesians write them (issue 15): honorifics, titles and emoji in a name, lookups
that never guess, `pay`/`remind` by customer, products by words of their name, and the
warning for an item booked twice. Through the rules (names, ledger) and through the CLI."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from olshop_cli import names
from olshop_cli.errors import Conflict, NotFound
from olshop_cli.ledger import Ledger
from olshop_cli.when import shop_zone

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=shop_zone("Asia/Jakarta"))

# The names: as typed -> (key, call, name kept, what the buyer is called).
EXAMPLES = [
    ("Kak Rina", "rina", "Kak", "Rina", "Kak Rina"),
    ("Bu Yanti Susanti", "yanti", "Bu", "Yanti Susanti", "Bu Yanti"),
    ("Bu Endang", "endang", "Bu", "Endang", "Bu Endang"),
    ("Hj. Siti Aminah", "siti", "Bu", "Hj. Siti Aminah", "Bu Siti"),
    ("dr. Andi Wijaya", "andi", None, "dr. Andi Wijaya", "Kak Andi"),
    ("🌸 Putri", "putri", None, "🌸 Putri", "Kak Putri"),
    ("Muhammad Rizal Hakim", "rizal", None, "Muhammad Rizal Hakim", "Kak Rizal"),
]


# ----- the rules: names --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, call, implied, full, real, calling",
    [
        ("Kak Rina", "Kak", None, "Rina", "Rina", "Rina"),
        ("Bu Yanti Susanti", "Bu", None, "Yanti Susanti", "Yanti Susanti", "Yanti"),
        ("Hj. Siti Aminah", None, "Bu", "Hj. Siti Aminah", "Siti Aminah", "Siti"),
        ("Hajjah Ani", None, "Bu", "Hajjah Ani", "Ani", "Ani"),
        ("H. Rudi Hartono", None, "Pak", "H. Rudi Hartono", "Rudi Hartono", "Rudi"),
        ("Haji Umar", None, "Pak", "Haji Umar", "Umar", "Umar"),
        ("dr. Andi Wijaya", None, None, "dr. Andi Wijaya", "Andi Wijaya", "Andi"),
        ("Prof. Dr. Ir. Budi", None, None, "Prof. Dr. Ir. Budi", "Budi", "Budi"),
        ("Drs. Joko", None, None, "Drs. Joko", "Joko", "Joko"),
        ("R.A. Kartini", None, None, "R.A. Kartini", "Kartini", "Kartini"),
        ("Pak dr. Andi", "Pak", None, "dr. Andi", "Andi", "Andi"),
        ("Bu Hj.Siti", "Bu", "Bu", "Hj.Siti", "Siti", "Siti"),
        ("🌸 Putri", None, None, "🌸 Putri", "Putri", "Putri"),
        ("✨Kak Rina✨", "Kak", None, "✨Rina✨", "Rina", "Rina"),
        (
            "Muhammad Rizal Hakim",
            None,
            None,
            "Muhammad Rizal Hakim",
            "Muhammad Rizal Hakim",
            "Rizal",
        ),  # fmt: skip
        ("M. Rizal", None, None, "M. Rizal", "M. Rizal", "Rizal"),
        ("Siti Nurhaliza", None, None, "Siti Nurhaliza", "Siti Nurhaliza", "Siti"),
        ("Andi Wijaya, S.E.", None, None, "Andi Wijaya, S.E.", "Andi Wijaya, S.E.", "Andi"),
        ("Kak", None, None, "Kak", "Kak", "Kak"),  # nothing but an honorific: the name
        ("Omar Said", None, None, "Omar Said", "Omar Said", "Omar"),  # not "Om ar"
        ("Kakak Rina", "Kak", None, "Rina", "Rina", "Rina"),
    ],
)
def test_a_name_is_read_as_a_phone_holds_it(typed, call, implied, full, real, calling):
    read = names.parse(typed)
    assert (read.call, read.implied, read.full, read.real, read.calling) == (
        call,
        implied,
        full,
        real,
        calling,
    )


@pytest.mark.parametrize(
    "typed, call",
    [
        ("Kak Rina", "Kak"),
        ("ka Rina", "Kak"),
        ("KAKAK Rina", "Kak"),
        ("Kak. Rina", "Kak"),
        ("Ibu Rina", "Bu"),
        ("ibu. Rina", "Bu"),
        ("Bapak Rudi", "Pak"),
        ("pak. Rudi", "Pak"),
        ("Mba Ayu", "Mbak"),
        ("mbak Ayu", "Mbak"),
        ("Mas Joko", "Mas"),
        ("Teh Euis", "Teh"),
        ("Aa Gym", "Aa"),
        ("Sis Lala", "Sis"),
        ("Gan Bowo", "Gan"),
        ("Bang Ucok", "Bang"),
        ("Om Hendra", "Om"),
        ("Tante Lusi", "Tante"),
        ("Cici Mei", "Cici"),
        ("Koko Hendra", "Koko"),
        ("Dek Ayu", "Dek"),
        ("Uda Rizal", "Uda"),
        ("Uni Ros", "Uni"),
    ],
)
def test_honorifics_in_any_case_with_or_without_a_dot(typed, call):
    read = names.parse(typed)
    assert read.call == call
    assert read.full == typed.split()[-1]


def test_what_was_typed_to_find_someone_loses_its_honorific():
    assert names.strip_leading("Pak Rudi") == "Rudi"
    assert names.strip_leading("bu  endang") == "endang"
    assert names.strip_leading("Bu Hj. Siti") == "Siti"
    assert names.strip_leading("pak") == "pak"  # nothing else: as typed
    assert names.strip_leading("Rina") == "Rina"


def test_lookup_forms_of_a_plain_name_are_just_the_name():
    assert names.lookup_forms("Mike Tan") == ("mike tan",)
    assert names.lookup_forms("Muhammad Rizal Hakim") == (
        "muhammad rizal hakim",
        "rizal hakim",
    )


# ----- the rules: the ledger ---------------------------------------------------------------


@pytest.fixture
def ledger() -> Ledger:
    led = Ledger()
    led.add_product("WJN-24", "Wajan Teflon 24 cm", 150_000, NOW, stock=5)
    led.add_product("WJN-28", "Wajan Teflon 28 cm", 170_000, NOW, stock=5)
    led.add_product("SPAT-1", "Spatula silikon", 35_000, NOW, stock=10)
    return led


@pytest.mark.parametrize("typed, key, call, name, called", EXAMPLES)
def test_add_customer_reads_the_name(ledger, typed, key, call, name, called):
    customer = ledger.add_customer(typed, NOW)
    assert (customer.key, customer.call, customer.name) == (key, call, name)
    assert f"{ledger.call_of(customer)} {customer.short_name}" == called


def test_what_the_seller_gives_wins(ledger):
    customer = ledger.add_customer("Bu Yanti Susanti", NOW, call="Kak", nick="Yan", key="ys")
    assert (customer.key, customer.call, customer.nick, customer.name) == (
        "ys",
        "Kak",
        "Yan",
        "Yanti Susanti",
    )
    assert ledger.add_customer("Hj. Siti Aminah", NOW, call="Mbak").call == "Mbak"
    assert ledger.add_customer("dr. Andi Wijaya", NOW, call="Pak").call == "Pak"


def test_keys_stay_unique_the_way_they_were_made(ledger):
    assert ledger.add_customer("Kak Rina", NOW).key == "rina"
    assert ledger.add_customer("Bu Rina", NOW).key == "rina-2"
    assert ledger.add_customer("Siti Nurhaliza", NOW).key == "siti"
    # Siti taken: the full name without the title, not "hj-siti-aminah".
    assert ledger.add_customer("Hj. Siti Aminah", NOW).key == "siti-aminah"


def test_editing_the_name_reads_it_too(ledger):
    ledger.add_customer("Endang", NOW)
    edited = ledger.edit_customer("endang", name="Bu Endang Lestari")
    assert (edited.name, edited.call) == ("Endang Lestari", "Bu")
    assert ledger.edit_customer("endang", name="Kak Endang", call="Mbak").call == "Mbak"


def test_lookup_understands_an_honorific_in_front(ledger):
    ledger.add_customer("Rudi Hartono", NOW, phone="0812-1111-0001")
    ledger.add_customer("Bu Endang", NOW)
    ledger.add_customer("Hj. Siti Aminah", NOW, key="haji-siti")
    assert ledger.find_customer("Pak Rudi").key == "rudi"
    assert ledger.find_customer("pak rudi hart").key == "rudi"
    assert ledger.find_customer("Bu Endang").key == "endang"
    assert ledger.find_customer("Bu Hj. Siti").key == "haji-siti"
    assert ledger.find_customer("siti amin").key == "haji-siti"  # without her title


def test_several_matches_are_refused_with_keys_and_phones(ledger):
    ledger.add_customer("Siti Nurhaliza", NOW, phone="0812-1111-0001")
    ledger.add_customer("Siti Rahmawati", NOW, phone="0813-2222-0002")
    ledger.add_customer("Hj. Siti Aminah", NOW)
    with pytest.raises(Conflict) as refused:
        ledger.find_customer("sit")
    message = refused.value.message
    assert "'sit' matches 3 customers" in message
    assert "siti (Siti Nurhaliza) · 0812-1111-0001" in message
    assert "siti-rahmawati (Siti Rahmawati) · 0813-2222-0002" in message
    assert "siti-aminah (Hj. Siti Aminah)" in message
    assert "Type more of the name, the phone number, or the key." == refused.value.hint
    assert ledger.find_customer("siti rah").key == "siti-rahmawati"
    assert ledger.find_customer("siti-rahmawati").key == "siti-rahmawati"


def test_a_key_that_is_also_another_buyers_name_is_refused_not_guessed(ledger):
    # Two buyers called Siti: the first got the key `siti`, but "siti" names both.
    ledger.add_customer("Siti Nurhaliza", NOW, phone="0812-1111-0001")
    ledger.add_customer("Hj. Siti Aminah", NOW, phone="0812-2222-0002")
    before = ledger.to_dict() if hasattr(ledger, "to_dict") else None
    with pytest.raises(Conflict) as refused:
        ledger.find_customer("siti")
    assert "'siti' matches 2 customers" in refused.value.message
    assert "siti (Siti Nurhaliza) · 0812-1111-0001" in refused.value.message
    assert "siti-aminah (Hj. Siti Aminah) · 0812-2222-0002" in refused.value.message
    assert refused.value.hint == "Type the full name or the phone number of the one you mean."
    assert before is None or ledger.to_dict() == before
    # The full name, the phone or the other key tell them apart.
    assert ledger.find_customer("Siti Nurhaliza").key == "siti"
    assert ledger.find_customer("0812 1111 0001").key == "siti"
    assert ledger.find_customer("siti-aminah").key == "siti-aminah"


def test_a_key_wins_over_a_name_that_only_starts_the_same(ledger):
    ledger.add_customer("Andini Putri", NOW)
    ledger.add_customer("Andi Wijaya", NOW)
    assert ledger.find_customer("andi").key == "andi"  # Andini is not called Andi
    assert ledger.find_customer("andin").key == "andini"


def test_a_shared_nickname_is_refused_not_guessed(ledger):
    ledger.add_customer("Rina Wati", NOW, nick="Nana", key="rw")
    ledger.add_customer("Nana Susanti", NOW, key="ns")
    with pytest.raises(Conflict, match="'nana' matches 2 customers"):
        ledger.find_customer("nana")


def test_products_by_words_of_their_name(ledger):
    assert ledger.find_product("wajan 24").sku == "WJN-24"
    assert ledger.find_product("Teflon 28").sku == "WJN-28"
    assert ledger.find_product("spatula").sku == "SPAT-1"
    assert ledger.find_product("wjn 28").sku == "WJN-28"
    assert ledger.find_product("wjn-24").sku == "WJN-24"  # the SKU itself
    with pytest.raises(Conflict) as refused:
        ledger.find_product("wajan")
    assert "'wajan' matches 2 products" in refused.value.message
    assert "WJN-24 (Wajan Teflon 24 cm), stock 5, 5 available" in refused.value.message
    assert "WJN-28 (Wajan Teflon 28 cm), stock 5, 5 available" in refused.value.message


def test_an_unknown_product_gets_the_closest_suggestions(ledger):
    with pytest.raises(NotFound) as missing:
        ledger.find_product("WJN-42")
    assert missing.value.message == "No product with SKU WJN-42."
    assert "WJN-24" in (missing.value.hint or "")
    with pytest.raises(NotFound) as missing:
        ledger.find_product("spatul silicon")
    assert missing.value.message == "No product matches 'spatul silicon'."
    assert missing.value.hint == "Did you mean SPAT-1 (Spatula silikon)?"


def test_booking_for_a_customer_finds_their_one_unpaid_booking(ledger):
    ledger.add_customer("Bu Yanti Susanti", NOW)
    ledger.add_customer("Kak Rina", NOW)
    booked = ledger.book("yanti", ["wajan 24"], NOW)
    assert ledger.booking_for("yanti", "pay") is booked
    assert ledger.booking_for("Bu Yanti", "remind") is booked
    assert ledger.booking_for("B1", "pay") is booked
    with pytest.raises(NotFound, match=r"Rina \(rina\) has no unpaid booking"):
        ledger.booking_for("rina", "pay")
    ledger.book("yanti", ["SPAT-1:2"], NOW)
    with pytest.raises(Conflict) as refused:
        ledger.booking_for("yanti", "pay")
    assert "Yanti Susanti (yanti) has 2 unpaid bookings" in refused.value.message
    assert "B1: total Rp150.000, owed Rp150.000, booked" in refused.value.message
    assert "B2: total Rp70.000, owed Rp70.000, booked" in refused.value.message
    with pytest.raises(NotFound, match="'nobody' is not a booking id, and no customer"):
        ledger.booking_for("nobody", "pay")


def test_booking_the_same_item_again_is_warned(ledger):
    ledger.add_customer("Kak Rina", NOW)
    ledger.book("rina", ["WJN-24"], NOW)
    assert ledger.notices == []
    second = ledger.book("rina", ["wajan 24", "SPAT-1"], NOW)
    assert second.id == "B2"
    assert ledger.notices == [
        "Rina already has B1 open with WJN-24; B2 books it again. If that was a mistake: "
        "olshop cancel B2"
    ]


# ----- through the CLI ---------------------------------------------------------------------


def customer_of(shop, ref: str) -> dict:
    return json.loads(shop(["customer", "show", ref, "--json"], ok=True).stdout)


@pytest.mark.parametrize("typed, key, call, name, called", EXAMPLES)
def test_cli_customer_add_reads_the_name(shop, typed, key, call, name, called):
    result = shop(["customer", "add", typed], ok=True)
    assert result.stdout == f"{key}\n"
    assert f"as '{key}' (you call them {called})" in result.stderr
    shown = customer_of(shop, key)
    assert (shown["name"], shown["call"]) == (name, called.split()[0])
    thanks = shop(["reply", "thanks", "--to", key], ok=True).stdout
    assert f"Terima kasih banyak, {called}, sudah belanja" in thanks
    assert "Kak Kak" not in thanks and "Bu Bu" not in thanks


def test_cli_explicit_call_and_nick_win(shop):
    shop('customer add "Hj. Siti Aminah" --call Mbak --nick Ami', ok=True)
    assert "Terima kasih banyak, Mbak Ami," in shop("reply thanks --to ami", ok=True).stdout


def test_cli_book_and_reply_by_honorific_and_name(shop):
    shop('product add WJN-24 "Wajan Teflon 24 cm" --price 150rb --stock 5', ok=True)
    shop('customer add "Rudi Hartono" --phone 0812-1111-0001', ok=True)
    shop('customer add "Bu Endang"', ok=True)
    assert shop('book "Pak Rudi" "wajan 24"', ok=True).stdout == "B1\n"
    assert shop('book "Bu Endang" WJN-24:2', ok=True).stdout == "B2\n"
    message = shop("reply remind --booking B2", ok=True).stdout
    assert "Bu Endang" in message and "Bu Bu" not in message
    rows = json.loads(shop("bookings --json", ok=True).stdout)
    assert [(b["id"], b["customer"]) for b in rows] == [("B1", "rudi"), ("B2", "endang")]


def test_cli_ambiguous_customer_is_refused_with_keys_and_phones(shop):
    shop('product add WJN-24 "Wajan Teflon 24 cm" --price 150rb --stock 5', ok=True)
    shop('customer add "Siti Nurhaliza" --key sn --phone 0812-1111-0001', ok=True)
    shop('customer add "Siti Rahmawati" --key sr --phone 0813-2222-0002', ok=True)
    result = shop.refused(
        "book siti WJN-24",
        "'siti' matches 2 customers",
        "sn (Siti Nurhaliza) · 0812-1111-0001",
        "sr (Siti Rahmawati) · 0813-2222-0002",
        "Type more of the name, the phone number, or the key.",
    )
    assert result.exit_code == 1
    shop.refused('reply thanks --to "Bu Siti"', "'Bu Siti' matches 2 customers")
    assert shop("book sn WJN-24", ok=True).stdout == "B1\n"


def test_cli_products_by_name_refused_when_several_and_suggested_when_unknown(shop):
    shop('product add WJN-24 "Wajan Teflon 24 cm" --price 150rb --stock 5', ok=True)
    shop('product add WJN-28 "Wajan Teflon 28 cm" --price 170rb --stock 2', ok=True)
    shop('customer add "Kak Rina"', ok=True)
    shop.refused(
        "book rina wajan",
        "'wajan' matches 2 products",
        "WJN-24 (Wajan Teflon 24 cm), stock 5, 5 available",
        "WJN-28 (Wajan Teflon 28 cm), stock 2, 2 available",
        "Type more of the name, or use the SKU.",
    )
    shop.refused("book rina WAJN-24", "No product with SKU WAJN-24.", "Did you mean WJN-24")
    shop.refused('book rina "panci 24"', "No product matches 'panci 24'.")
    assert shop('book rina "wajan 28:2"', ok=True).stdout == "B1\n"
    booked = json.loads(shop("show B1 --json", ok=True).stdout)
    assert [(line["sku"], line["qty"]) for line in booked["lines"]] == [("WJN-28", 2)]
    assert "WJN-28" in shop("product show 'teflon 28'", ok=True).stdout


def test_cli_pay_and_remind_by_customer(shop):
    shop('product add WJN-24 "Wajan Teflon 24 cm" --price 150rb --stock 5', ok=True)
    shop('product add SPAT-1 "Spatula silikon" --price 35rb --stock 5', ok=True)
    shop('customer add "Bu Yanti Susanti"', ok=True)
    shop('customer add "Kak Rina"', ok=True)
    shop("book yanti WJN-24", ok=True)
    reminded = shop('remind "Bu Yanti"', ok=True)
    assert "Bu Yanti" in reminded.stdout and "Recorded reminder for B1" in reminded.stderr
    paid = shop("pay yanti", ok=True)
    assert "B1 paid (Rp150.000)" in paid.stderr
    shop.refused(
        "pay rina", "Rina (rina) has no unpaid booking.", "olshop bookings --customer rina"
    )
    shop.refused("remind yanti", "Yanti Susanti (yanti) has no unpaid booking.")
    shop("book rina WJN-24", ok=True)
    shop("book rina SPAT-1:2", ok=True)
    for command in ("pay", "remind"):
        shop.refused(
            f"{command} rina",
            "Rina (rina) has 2 unpaid bookings:",
            "B2: total Rp150.000, owed Rp150.000, booked",
            "B3: total Rp70.000, owed Rp70.000, booked",
            f"olshop {command} B2",
        )
    shop.refused("pay nobody", "'nobody' is not a booking id, and no customer matches it.")
    assert "B3 paid" in shop("pay B3", ok=True).stderr
    assert "B2 paid" in shop("pay rina", ok=True).stderr


def test_cli_booking_the_same_item_twice_warns_and_books(shop):
    shop('product add WJN-24 "Wajan Teflon 24 cm" --price 150rb --stock 5', ok=True)
    shop('customer add "Kak Rina"', ok=True)
    first = shop("book rina WJN-24", ok=True)
    assert "Warning" not in first.stderr
    again = shop('book rina "wajan 24"', ok=True)
    assert again.exit_code == 0 and again.stdout == "B2\n"
    assert (
        "Warning: Rina already has B1 open with WJN-24; B2 books it again. If that was a "
        "mistake: olshop cancel B2"
    ) in again.stderr
    assert len(json.loads(shop("bookings --json", ok=True).stdout)) == 2


def test_cli_a_shared_nickname_is_refused_with_the_list(shop):
    shop('customer add "Rina Wati" --nick Nana --key rw --phone 0812-1111-0001', ok=True)
    shop('customer add "Kak Nana Susanti" --key ns', ok=True)
    shop.refused(
        "customer show nana",
        "'nana' matches 2 customers",
        "rw (Rina Wati) · 0812-1111-0001",
        "ns (Nana Susanti)",
    )
    shop.refused("customer edit nana --note x", "'nana' matches 2 customers")
    assert customer_of(shop, "rw")["nick"] == "Nana"
