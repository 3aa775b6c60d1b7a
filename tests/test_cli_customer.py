"""`olshop customer add|list|show|edit|rm`, typed the way a seller types them.

The `stocked` shop (conftest) has Mike Tan (key `mike`, nick Mike, 0812-3456-7890, wa) and
Siti Rahmawati (key `siti`, Bu, +62 813 1111 2222), and products PAN-24 (3 on hand) and SPAT-1.
"""

from __future__ import annotations

import json

import pytest

MIKE_PHONE_SPELLINGS = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"]


def customer(shop, ref: str) -> dict:
    """`customer show REF --json`, parsed."""
    result = shop(["customer", "show", ref, "--json"], ok=True)
    return json.loads(result.stdout)


def customers(shop, *options: str) -> list[dict]:
    result = shop(["customer", "list", "--json", *options], ok=True)
    return json.loads(result.stdout)


def bookings(shop) -> dict[str, dict]:
    """Every booking, open and closed, by id."""
    result = shop("bookings --all --json", ok=True)
    return {b["id"]: b for b in json.loads(result.stdout)}


def available(shop, sku: str) -> int:
    return json.loads(shop(["product", "show", sku, "--json"], ok=True).stdout)["available"]


# ----- add -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key", "called"),
    [
        ('"Mike Tan" --nick Mike', "mike", "Kak Mike"),
        ('"Siti Rahmawati"', "siti", "Kak Siti"),
        ('"  Dewi   Lestari " --nick "Dewi L"', "dewi-l", "Kak Dewi L"),
        ('"Budi Santoso" --call pak', "budi", "Pak Budi"),
        ('"José Ávila"', "jose", "Kak José"),
        ('"Rina" --key RinaOK', "rinaok", "Kak Rina"),
    ],
)
def test_add_prints_the_key_on_stdout_and_confirms_on_stderr(shop, typed, key, called):
    result = shop(f"customer add {typed}", ok=True)

    assert result.stdout == f"{key}\n"
    assert f"as '{key}'" in result.stderr
    assert f"you call them {called}" in result.stderr
    assert customer(shop, key)["key"] == key


def test_add_keeps_the_name_tidy_and_the_time_it_was_added(shop):
    shop('customer add "  Dewi   Lestari "', ok=True)

    saved = customer(shop, "dewi")
    assert saved["name"] == "Dewi Lestari"
    assert saved["created"] == "2026-11-23T08:00:00+07:00"


def test_a_second_customer_with_the_same_first_name_gets_a_longer_key(stocked):
    second = stocked('customer add "Siti Aminah"', ok=True)
    third = stocked('customer add "Siti Aminah" --nick Ami', ok=True)
    fourth = stocked('customer add "Siti Aminah"', ok=True)

    assert second.stdout == "siti-aminah\n"
    assert third.stdout == "ami\n"
    assert fourth.stdout == "siti-aminah-2\n"
    assert customer(stocked, "Siti Rahmawati")["name"] == "Siti Rahmawati"
    stocked.refused("customer show siti", "'siti' matches 3 customers")
    assert customer(stocked, "siti-aminah")["name"] == "Siti Aminah"
    assert customer(stocked, "siti-aminah-2")["nick"] is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("bu", "Bu"),
        ("PAK", "Pak"),
        ("mbak", "Mbak"),
        ("mAs", "Mas"),
        (" kak ", "Kak"),
        ("sis", "Sis"),
        ("gan", "Gan"),
        ("BRO", "Bro"),
        ("Cik", "Cik"),  # the seller's own word is kept as typed
        ("Kakak", "Kakak"),
        ("Ci Lina", "Ci Lina"),
    ],
)
def test_call_normalises_known_honorifics_and_keeps_custom_words(shop, typed, stored):
    shop(["customer", "add", "Lina", "--call", typed], ok=True)

    saved = customer(shop, "lina")
    assert saved["call"] == stored
    assert saved["call_is_default"] is False


def test_customers_without_their_own_honorific_follow_the_shop_setting(stocked):
    assert customer(stocked, "mike")["call"] == "Kak"

    stocked("config set call sis", ok=True)
    added = stocked('customer add "Rina Wati"', ok=True)

    assert "you call them Sis Rina" in added.stderr
    for key in ("mike", "rina"):
        assert customer(stocked, key)["call"] == "Sis"
        assert customer(stocked, key)["call_is_default"] is True
    assert customer(stocked, "siti")["call"] == "Bu"  # her own honorific stays


@pytest.mark.parametrize("spelling", MIKE_PHONE_SPELLINGS)
def test_a_phone_in_any_spelling_is_stored_as_one_number(shop, spelling):
    shop(["customer", "add", "Mike Tan", "--phone", spelling], ok=True)

    assert customer(shop, "mike")["phone"] == "+6281234567890"


@pytest.mark.parametrize("spelling", MIKE_PHONE_SPELLINGS)
def test_a_phone_already_saved_is_refused_naming_its_owner(stocked, spelling):
    stocked.refused(
        ["customer", "add", "Mika", "--phone", spelling],
        "0812-3456-7890 already belongs to Mike Tan (mike)",
        "olshop customer show mike",
    )


@pytest.mark.parametrize(
    ("typed", "channel"),
    [
        ("wa", "wa"),
        ("WA", "wa"),
        ("WhatsApp", "wa"),
        ("instagram", "ig"),
        ("IG", "ig"),
        ("Shopee", "shopee"),
        ("tokped", "tokopedia"),
        ("lainnya", "other"),
    ],
)
def test_channel_names_people_type_are_understood(shop, typed, channel):
    shop(["customer", "add", "Ani", "--channel", typed], ok=True)

    assert customer(shop, "ani")["channel"] == channel


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["customer", "add", "Ani", "--channel", "fb"], ["Unknown channel 'fb'", "wa, ig"]),
        (["customer", "add", "Ani", "--phone", "0812-ABC"], ["Cannot read '0812-ABC' as a phone"]),
        (["customer", "add", "Ani", "--phone", "123"], ["Cannot read '123' as a phone"]),
        (["customer", "add", "   "], ["name is empty"]),
        (["customer", "add", "Michael", "--key", "mike"], ["key 'mike' is taken by Mike Tan"]),
        (["customer", "add", "Ani", "--key", "123"], ["key needs letters"]),
    ],
    ids=["channel", "phone-letters", "phone-short", "empty-name", "key-taken", "key-digits"],
)
def test_add_refuses_bad_input(stocked, command, expected):
    stocked.refused(command, *expected)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("customer add", "Missing argument"),
        ("customer add Ani --channel", "requires an argument"),
        ("customer add Ani --colour red", "No such option"),
        ("customer adopt Ani", "No such command"),
    ],
)
def test_usage_errors_exit_2(stocked, command, expected):
    stocked.refused(command, expected, code=2)


# ----- lookups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "key"),
    [
        ("mike", "mike"),
        ("MIKE", "mike"),
        ("Mike Tan", "mike"),
        ("mike t", "mike"),
        ("  mike   tan ", "mike"),
        *[(spelling, "mike") for spelling in MIKE_PHONE_SPELLINGS],
        ("+62-812-3456-7890", "mike"),
        ("siti", "siti"),
        ("SITI RAHMAWATI", "siti"),
        ("siti r", "siti"),
        ("s", "siti"),
        ("0813-1111-2222", "siti"),
        ("6281311112222", "siti"),
    ],
)
def test_a_customer_is_found_by_key_phone_or_name_prefix(stocked, ref, key):
    assert customer(stocked, ref)["key"] == key


def test_a_customer_is_found_by_nickname(stocked):
    stocked('customer edit siti --nick "Cici"', ok=True)

    assert customer(stocked, "cici")["key"] == "siti"
    assert customer(stocked, "CI")["key"] == "siti"


def test_an_ambiguous_name_prefix_is_refused_listing_the_candidates(stocked):
    stocked('customer add "Siti Aminah"', ok=True)

    result = stocked.refused("customer show sit", "'sit' matches 2 customers", "Type more")
    assert "siti (Siti Rahmawati)" in result.stderr
    assert "siti-aminah (Siti Aminah)" in result.stderr


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("customer show nobody", "No customer matches 'nobody'"),
        ("customer show 0899-1111-2222", "No customer has the phone number 0899-1111-2222"),
        ("customer edit nobody --note x", "No customer matches 'nobody'"),
        ("customer rm nobody", "No customer matches 'nobody'"),
        ("customer show ''", "No customer given"),
    ],
)
def test_an_unknown_customer_is_refused_with_a_hint(stocked, command, expected):
    result = stocked.refused(command, expected)
    assert "\n  " in result.stderr, "a hint on what to type instead"


# ----- edit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "typed", "field", "stored"),
    [
        ("--name", "Michael  Tan", "name", "Michael Tan"),
        ("--call", "bro", "call", "Bro"),
        ("--nick", "Mikey", "nick", "Mikey"),
        ("--phone", "+62 811 2222 3333", "phone", "+6281122223333"),
        ("--phone", "6281234567890", "phone", "+6281234567890"),  # his own number, re-typed
        ("--channel", "Instagram", "channel", "ig"),
        ("--address", "Jl. Mawar 1, Bandung", "address", "Jl. Mawar 1, Bandung"),
        ("--note", "suka warna merah", "note", "suka warna merah"),
    ],
)
def test_edit_changes_one_field_and_keeps_the_key(stocked, option, typed, field, stored):
    before = customer(stocked, "mike")

    result = stocked(["customer", "edit", "mike", option, typed], ok=True)

    after = customer(stocked, "mike")
    assert "Updated" in result.stderr and result.stdout == ""
    assert after[field] == stored
    assert after["key"] == "mike"
    untouched = {k for k in before if k not in (field, "call_is_default")}
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}


@pytest.mark.parametrize(
    ("option", "field", "cleared"),
    [
        ("--nick", "nick", None),
        ("--phone", "phone", None),
        ("--channel", "channel", None),
        ("--address", "address", None),
        ("--note", "note", None),
        ("--call", "call", "Kak"),  # back to the shop's default honorific
    ],
)
def test_edit_with_an_empty_value_clears_the_field(stocked, option, field, cleared):
    stocked(
        'customer edit siti --address "Jl. Melati 2" --note vip --nick Ti --channel ig', ok=True
    )

    stocked(["customer", "edit", "siti", option, ""], ok=True)

    saved = customer(stocked, "siti")
    assert saved[field] == cleared
    if field == "call":
        assert saved["call_is_default"] is True


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            ["customer", "edit", "siti", "--phone", "0812 3456 7890"],
            "already belongs to Mike Tan (mike)",
        ),
        (["customer", "edit", "siti", "--name", "  "], "name cannot be empty"),
        (["customer", "edit", "siti", "--channel", "line"], "Unknown channel 'line'"),
        (["customer", "edit", "siti", "--phone", "call me"], "Cannot read 'call me'"),
    ],
)
def test_edit_refuses_bad_input(stocked, command, expected):
    stocked.refused(command, expected)


# ----- list and show ---------------------------------------------------------------------


def test_list_shows_key_name_call_phone_channel_and_open_bookings(stocked):
    stocked("book mike PAN-24 SPAT-1", ok=True)

    out = stocked("customer list", ok=True).stdout

    header, *rows = out.splitlines()
    assert header.split() == ["Key", "Name", "Call", "Phone", "Channel", "Open"]
    mike = next(row for row in rows if row.startswith("mike"))
    siti = next(row for row in rows if row.startswith("siti"))
    assert mike.split() == ["mike", "Mike", "Tan", "Kak", "Mike", "0812-3456-7890", "wa", "1"]
    assert siti.split() == ["siti", "Siti", "Rahmawati", "Bu", "Siti", "0813-1111-2222"]


def test_list_json_is_valid_json_only_sorted_by_name(stocked):
    stocked('customer add "anton" --channel ig', ok=True)

    listed = customers(stocked)

    assert [c["key"] for c in listed] == ["anton", "mike", "siti"]
    mike = listed[1]
    assert mike == {
        "key": "mike",
        "name": "Mike Tan",
        "call": "Kak",
        "call_is_default": True,
        "nick": "Mike",
        "phone": "+6281234567890",
        "channel": "wa",
        "address": None,
        "note": None,
        "created": "2026-11-23T08:00:00+07:00",
    }


@pytest.mark.parametrize(
    ("channel", "keys"), [("wa", ["mike"]), ("WhatsApp", ["mike"]), ("ig", []), ("other", [])]
)
def test_list_filters_by_channel(stocked, channel, keys):
    assert [c["key"] for c in customers(stocked, "--channel", channel)] == keys


def test_list_of_an_empty_shop(shop):
    empty = shop("customer list", ok=True)

    assert empty.stdout == ""
    assert "No customers yet" in empty.stderr
    assert customers(shop) == []


def test_show_prints_the_customer_and_their_bookings(stocked):
    stocked("book siti SPAT-1:2", ok=True)

    out = stocked("customer show siti", ok=True).stdout

    assert out.splitlines()[0] == "Siti Rahmawati"
    assert "Bu Siti" in out
    assert "0813-1111-2222" in out
    assert "B1" in out and "Rp70.000" in out and "2x SPAT-1" in out


def test_show_json_is_valid_json_with_the_bookings(stocked):
    stocked("book siti SPAT-1:2", ok=True)

    data = customer(stocked, "siti")

    assert data["name"] == "Siti Rahmawati"
    assert data["call"] == "Bu" and data["call_is_default"] is False
    assert data["phone"] == "+6281311112222"
    assert [(b["id"], b["status"], b["total"]) for b in data["bookings"]] == [
        ("B1", "booked", 70_000)
    ]


# ----- rm --------------------------------------------------------------------------------


def test_rm_removes_a_customer_without_bookings(stocked):
    result = stocked("customer rm mike", ok=True)

    assert result.stdout == ""
    assert "Removed Mike Tan (mike)" in result.stderr
    assert [c["key"] for c in customers(stocked)] == ["siti"]
    stocked.refused("customer show mike", "No customer matches 'mike'")


def test_rm_is_refused_while_the_customer_has_open_bookings(stocked):
    stocked("book mike PAN-24:2", ok=True)

    stocked.refused("customer rm mike", "Mike Tan has open bookings (B1)", "--force")


def test_rm_force_cancels_unpaid_bookings_and_frees_their_stock(stocked):
    stocked("book mike PAN-24:2", ok=True)
    assert available(stocked, "PAN-24") == 1

    stocked("customer rm mike --force", ok=True)

    assert bookings(stocked)["B1"]["status"] == "cancelled"
    assert available(stocked, "PAN-24") == 3
    assert [c["key"] for c in customers(stocked)] == ["siti"]


def test_rm_force_keeps_a_paid_booking_and_its_stock(stocked):
    stocked("book mike PAN-24:2", ok=True)
    stocked("pay B1", ok=True)

    stocked("customer rm mike --force", ok=True)

    assert bookings(stocked)["B1"]["status"] == "paid"
    assert available(stocked, "PAN-24") == 1


@pytest.mark.parametrize(
    "goodbye",
    [["cancel B1", "customer rm mike"], ["pay B1", "customer rm mike --force"]],
    ids=["cancelled-then-removed", "paid-then-force-removed"],
)
def test_a_new_customer_does_not_inherit_a_removed_customers_bookings(stocked, goodbye):
    """Records must stay accurate: Mike Lee must not be shown Mike Tan's booking."""
    stocked("book mike PAN-24", ok=True)
    for command in goodbye:
        stocked(command, ok=True)

    key = stocked('customer add "Mike Lee" --nick Mike', ok=True).stdout.strip()

    assert key != "mike"
    assert customer(stocked, key)["bookings"] == []
    assert bookings(stocked)["B1"]["customer_name"] == "Mike Tan"


def test_a_removed_customers_key_cannot_be_given_to_someone_else(stocked):
    stocked("customer rm mike", ok=True)

    stocked.refused('customer add "Mike Lee" --key mike', "'mike' belonged to a removed customer")
