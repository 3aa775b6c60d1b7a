"""Couriers: what the seller types matched to the known ones (couriers.py), the same for one
parcel and a batch; instant couriers, pickup and cash on delivery; a resi of `-` refused; and
the buyer's message that is true for each, in Indonesian and English."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from olshop_cli import couriers
from olshop_cli.errors import InputError
from olshop_cli.ledger import Ledger
from olshop_cli.replies import BUILTINS, Situation, Template, render, shipped_template
from olshop_cli.when import shop_zone

# ----- the list and the matching (couriers.py) -----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("sicepat", "SiCepat"),
        ("SICEPAT", "SiCepat"),
        ('"Anteraja"', "AnterAja"),
        ("\u201canteraja\u201d", "AnterAja"),  # quotes a phone keyboard types
        ("jnt", "J&T"),
        ("J&T", "J&T"),
        ("j & t", "J&T"),
        ("J&T Express", "J&T"),
        ("jnt cargo", "J&T Cargo"),
        ("jne", "JNE"),
        ("JNE REG", "JNE REG"),
        ("jne YES", "JNE YES"),  # the service as typed, after the name
        ("pos", "Pos Indonesia"),
        ("POS INDONESIA", "Pos Indonesia"),
        ("ninja", "Ninja Xpress"),
        ("lion", "Lion Parcel"),
        ("ide", "ID Express"),
        ("idexpress", "ID Express"),
        ("sap", "SAP Express"),
        ("spx", "SPX Express"),
        ("shopee express", "SPX Express"),
        ("tiki", "TIKI"),
        ("paxel", "Paxel"),
        ("gosend", "GoSend"),
        ("gojek", "GoSend"),
        ("Go-Send instant", "GoSend instant"),
        ("grab", "GrabExpress"),
        ("grabexpress", "GrabExpress"),
        ("lalamove", "Lalamove"),
        ("\uff2a\uff2e\uff25", "JNE"),  # full-width letters
        ("Kurir Pak Budi", "Kurir Pak Budi"),  # unknown: kept as typed
        ('  "kurir  budi" ', "kurir budi"),  # ... without its quotes and extra spaces
        (' "" ', ""),
    ],
)
def test_what_is_typed_is_kept_in_the_usual_spelling(typed, kept):
    assert couriers.normalize(typed) == kept
    assert couriers.normalize(kept) == kept  # already usual: unchanged


@pytest.mark.parametrize(
    ("typed", "instant"),
    [("gosend", True), ("grab", True), ("Lalamove", True), ("paxel", False), ("jne", False),
     ("Kurir Budi", False), (None, False)],
)  # fmt: skip
def test_instant_couriers(typed, instant):
    assert couriers.is_instant(typed) is instant


@pytest.mark.parametrize("typed", ["-", "", "   ", "--", "\u2014", '"-"', "."])
def test_a_tracking_number_of_a_dash_or_blank_is_refused(typed):
    with pytest.raises(InputError, match="tracking number") as refused:
        couriers.check_tracking(typed)
    assert "--pickup" in (refused.value.hint or "") and "GoSend" in (refused.value.hint or "")


def test_a_tracking_number_is_kept_without_its_quotes():
    assert couriers.check_tracking(' "JX123" ') == "JX123"


@pytest.mark.parametrize(
    ("courier", "tracking", "pickup", "cod", "refusal"),
    [
        ("jne", None, False, False, "JNE needs a tracking number"),
        ("Kurir Budi", None, False, False, "Kurir Budi needs a tracking number"),
        ("jne", "X1", True, False, "picks up has no courier"),
        (None, None, True, True, "this parcel is picked up"),
        ("gosend", None, False, True, "not GoSend"),
        ('""', "X1", False, False, "Which courier?"),
    ],
)
def test_shipments_that_cannot_be(courier, tracking, pickup, cod, refusal):
    with pytest.raises(InputError, match=refusal):
        couriers.shipment(courier, tracking, pickup=pickup, cod=cod)


def test_shipments_that_can():
    assert couriers.shipment("gosend", None) == couriers.Shipment("GoSend", None)
    assert couriers.shipment("PICKUP", None).pickup
    assert couriers.shipment(None, None, pickup=True) == couriers.Shipment(None, None, True)
    assert couriers.shipment("jnt", "JX1", cod=True) == couriers.Shipment("J&T", "JX1", cod=True)


# ----- through the command line: single and batch alike ---------------------------------------


def _bookings(shop) -> dict[str, dict]:
    return {b["id"]: b for b in json.loads(shop("bookings --all --json", ok=True).stdout)}


@pytest.fixture
def paid(stocked):
    """Two paid bookings for Mike (B1, B2) and one unpaid (B3)."""
    stocked("product stock SPAT-1 +20", ok=True)
    for _ in range(2):
        stocked("book mike SPAT-1", ok=True)
        stocked("pay B" + str(len(_bookings(stocked))), ok=True)
    stocked("book mike SPAT-1", ok=True)
    return stocked


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("sicepat", "SiCepat"), ("SICEPAT", "SiCepat"), ('"Anteraja"', "AnterAja"),
     ("jnt", "J&T"), ("J&T", "J&T"), ("j&t", "J&T"), ("KurirBudi", "KurirBudi")],
)  # fmt: skip
def test_single_and_batch_ship_keep_and_print_the_same_spelling(paid, tmp_path, typed, kept):
    single = paid(["ship", "B1", "--courier", typed, "--tracking", "R1"], ok=True)
    assert f"B1 shipped with {kept} R1." in single.stderr
    batch = tmp_path / "resi.txt"
    batch.write_text(f"B2 {typed} R2\n", encoding="utf-8")
    paid(f"ship --from {batch}", ok=True)
    rows = _bookings(paid)
    assert (rows["B1"]["courier"], rows["B2"]["courier"]) == (kept, kept)
    assert rows["B1"]["history"][-1]["detail"] == f"{kept} R1"
    for bid, resi in (("B1", "R1"), ("B2", "R2")):
        text = paid(f"reply shipped --booking {bid}", ok=True).stdout
        assert f"lewat {kept} dengan nomor resi {resi}" in text
        assert '"' not in text and kept.upper() not in text.replace(kept, "")


@pytest.mark.parametrize("typed", ["j & t", "J&T Express", "jnt"])
def test_a_courier_of_several_words_in_a_single_ship(paid, typed):
    paid(["ship", "B1", "--courier", typed, "--tracking", "JX1"], ok=True)
    assert _bookings(paid)["B1"]["courier"] == "J&T"


def test_an_unknown_courier_is_kept_as_typed(paid):
    paid(["ship", "B1", "--courier", "Kurir Pak Budi", "--tracking", "KB-7"], ok=True)
    assert _bookings(paid)["B1"]["courier"] == "Kurir Pak Budi"
    text = paid("reply shipped --booking B1", ok=True).stdout
    assert "lewat Kurir Pak Budi dengan nomor resi KB-7" in text


def test_book_and_edit_take_the_courier_in_its_usual_spelling(paid):
    paid(["book", "siti", "SPAT-1", "--ongkir", "10rb", "--courier", '"sicepat"'], ok=True)
    assert _bookings(paid)["B4"]["courier"] == "SiCepat"
    paid(["edit", "B4", "--courier", "jne yes"], ok=True)
    assert _bookings(paid)["B4"]["courier"] == "JNE yes"
    confirm = paid("reply confirm --booking B4", ok=True).stdout
    assert "Ongkir (JNE yes): Rp10.000" in confirm


@pytest.mark.parametrize("tracking", ["-", "", "  ", "--"])
def test_a_dash_or_blank_resi_is_refused_single_batch_and_edit(paid, tmp_path, tracking):
    paid.refused(
        ["ship", "B1", "--courier", "jne", "--tracking", tracking],
        "tracking number",
        "Give the resi",
        "--pickup",
        "instant courier (GoSend",
    )
    if tracking.strip():  # a blank one is no word in a batch line
        batch = tmp_path / "resi.txt"
        batch.write_text(f"B1 JNE JN1\nB2 JNE {tracking}\n", encoding="utf-8")
        paid.refused(
            f"ship --from {batch}", "1 bad line", f"line 2: B2: '{tracking}' is not a tracking"
        )
    paid("ship B1 --courier jne --tracking JN1", ok=True)
    paid.refused(["edit", "B1", "--tracking", tracking], "tracking number")


def test_a_courier_without_its_resi_is_a_usage_error(paid):
    result = paid.refused("ship B1 --courier JNE", "Missing option '--tracking'", code=2)
    assert "--pickup" in result.stderr


# ----- the buyer's message for each case, word for word ----------------------------------------

SHIPPED_ID = (
    "Halo Kak Mike, pesanan B1 sudah kami kirim lewat J&T dengan nomor resi JX123 📦 Resinya "
    "bisa dicek di situs atau aplikasi J&T ya. Semoga cepat sampai, terima kasih sudah "
    "belanja di toko kami 🙏"
)
SHIPPED_EN = (
    "Hi Mike, your order B1 is on its way with J&T, tracking number JX123 📦 You can follow it "
    "on the J&T website or app. We hope it arrives soon, and thank you for shopping at our "
    "shop 🙏"
)
INSTANT_ID = (
    "Halo Kak Mike, pesanan B1 sudah dalam perjalanan bersama driver GoSend 🛵 Mohon ditunggu "
    "ya, dan pastikan ada yang bisa menerima paketnya.{trip} Terima kasih sudah belanja di toko "
    "kami 🙏"
)
INSTANT_EN = (
    "Hi Mike, your order B1 is on its way with a GoSend driver 🛵 Please make sure someone is "
    "there to receive it.{trip} Thank you for shopping at our shop 🙏"
)
PICKUP_ID = (
    "Halo Kak Mike, pesanan B1 (1x Spatula silikon) sudah siap diambil 😊 Kabari kami dulu "
    "kapan mau datang ya, biar bisa langsung kami serahkan. Terima kasih sudah belanja di toko "
    "kami 🙏"
)
PICKUP_EN = (
    "Hi Mike, your order B1 (1x Spatula silikon) is ready for pickup 😊 Just let us know when "
    "you're coming, so we can hand it to you right away. Thank you for shopping at our shop 🙏"
)
COD_ID = (
    "Halo Kak Mike, pesanan B3 sudah kami kirim lewat J&T dengan nomor resi JX123 📦 Karena "
    "pembayarannya COD, mohon siapkan {due} untuk dibayarkan ke kurir saat paketnya sampai ya. "
    "Semoga cepat sampai, terima kasih sudah belanja di toko kami 🙏"
)
COD_EN = (
    "Hi Mike, your order B3 is on its way with J&T, tracking number JX123 📦 As it's cash on "
    "delivery, please have {due} ready to pay the courier when it arrives. We hope it arrives "
    "soon, and thank you for shopping at our shop 🙏"
)


def _messages(shop, bid: str, template: str) -> tuple[str, str]:
    """The buyer's message in Indonesian and English."""
    return tuple(  # type: ignore[return-value]
        shop(f"reply {template} --booking {bid} --lang {lang}", ok=True).stdout.rstrip("\n")
        for lang in ("id", "en")
    )


def test_a_courier_with_a_resi(paid):
    result = paid("ship B1 --courier jnt --tracking JX123", ok=True)
    assert "Tell the buyer: olshop reply shipped --booking B1" in result.stderr
    assert _messages(paid, "B1", "shipped") == (SHIPPED_ID, SHIPPED_EN)


@pytest.mark.parametrize(
    ("tracking", "trip_id", "trip_en"),
    [
        (None, "", ""),
        (
            "https://gosend.link/x1",
            " Perjalanannya bisa dipantau di sini: https://gosend.link/x1",
            " You can follow the trip here: https://gosend.link/x1",
        ),
        (
            "Pak Budi 0812-1111-2222",
            " Info pengirimannya: Pak Budi 0812-1111-2222.",
            " Delivery details: Pak Budi 0812-1111-2222.",
        ),
    ],
)
def test_an_instant_courier_needs_no_resi(paid, tracking, trip_id, trip_en):
    command = ["ship", "B1", "--courier", "gosend"]
    result = paid(command + (["--tracking", tracking] if tracking else []), ok=True)
    said = "B1 shipped with GoSend" if tracking else "B1 is on its way with GoSend."
    assert said in result.stderr and "olshop reply shipped-instant --booking B1" in result.stderr
    booking = _bookings(paid)["B1"]
    assert (booking["status"], booking["courier"], booking["tracking"]) == (
        "shipped",
        "GoSend",
        tracking,
    )
    assert _messages(paid, "B1", "shipped-instant") == (
        INSTANT_ID.format(trip=trip_id),
        INSTANT_EN.format(trip=trip_en),
    )
    # `shipped` would speak of a resi: refused, naming the one that is true
    paid.refused("reply shipped --booking B1", "with no resi", "reply shipped-instant")


def test_grab_in_a_batch_needs_no_resi_and_a_batch_picks_each_message(paid, tmp_path):
    paid("book mike SPAT-1", ok=True)
    paid("pay B4", ok=True)
    batch = tmp_path / "resi.txt"
    batch.write_text("B1 grab\nB2 pickup\nB3 jnt JX123 cod\nB4 jnt JX123\n", encoding="utf-8")
    result = paid(f"ship --from {batch} --print-replies", ok=True)
    rows = _bookings(paid)
    assert rows["B1"]["courier"] == "GrabExpress" and rows["B1"]["tracking"] is None
    assert rows["B2"]["pickup"] is True and rows["B2"]["courier"] is None
    assert rows["B3"]["cod"] is True and rows["B3"]["owed"] == 35_000
    out = result.stdout
    assert "bersama driver GrabExpress" in out and "sudah siap diambil" in out
    assert COD_ID.format(due="Rp35.000") in out.splitlines()
    assert "pesanan B4 sudah kami kirim lewat J&T dengan nomor resi JX123" in out


def test_pickup(paid):
    result = paid("ship B1 --pickup", ok=True)
    assert "B1 is ready for the buyer to pick up." in result.stderr
    booking = _bookings(paid)["B1"]
    assert (booking["status"], booking["courier"], booking["tracking"], booking["pickup"]) == (
        "shipped",
        None,
        None,
        True,
    )
    assert _messages(paid, "B1", "pickup") == (PICKUP_ID, PICKUP_EN)
    paid.refused("reply shipped --booking B1", "picked up by the buyer", "reply pickup")
    paid.refused("edit B1 --courier jne", "B1 was picked up by the buyer")
    assert "picked up by the buyer" in paid("show B1", ok=True).stdout


@pytest.mark.parametrize(
    "command",
    ["ship B2 --pickup --courier jne", "ship B2 --pickup --tracking X1", "ship B2"],
)
def test_pickup_with_a_courier_or_nothing_at_all_is_a_usage_error(paid, command):
    paid.refused(command, code=2)


def test_pickup_of_a_booking_charged_ongkir_is_refused(stocked):
    stocked("book mike SPAT-1 --ongkir 10rb --courier jne", ok=True)
    stocked("pay B1", ok=True)
    stocked.refused("ship B1 --pickup", "charges Rp10.000 ongkir", "olshop edit B1 --ongkir 0")


def test_cash_on_delivery_ships_an_unpaid_booking_and_waits_for_the_money(paid):
    stock = json.loads(paid("product show SPAT-1 --json", ok=True).stdout)["stock"]
    paid.refused("ship B3 --courier jnt --tracking JX123", "B3 is booked", "--cod")
    result = paid("ship B3 --courier jnt --tracking JX123 --cod", ok=True)
    assert "cash on delivery: the courier collects Rp35.000" in result.stderr
    assert "olshop reply shipped-cod --booking B3" in result.stderr
    booking = _bookings(paid)["B3"]
    assert (booking["status"], booking["cod"], booking["owed"], booking["paid"]) == (
        "shipped",
        True,
        35_000,
        0,
    )
    assert json.loads(paid("product show SPAT-1 --json", ok=True).stdout)["stock"] == stock - 1
    assert _messages(paid, "B3", "shipped-cod") == (
        COD_ID.format(due="Rp35.000"),
        COD_EN.format(due="Rp35.000"),
    )
    paid.refused("reply shipped --booking B3", "'shipped' would not ask", "reply shipped-cod")
    # not sold in the report until the courier pays it over; done waits for it too
    report = json.loads(paid("report --json", ok=True).stdout)
    assert report["bookings"]["paid"] == 2
    paid.refused("done B3", "B3 still has Rp35.000", "olshop pay B3 --method cod")
    result = paid("pay B3", ok=True)
    assert "its cash on delivery is paid" in result.stderr
    booking = _bookings(paid)["B3"]
    assert (booking["status"], booking["owed"], booking["payments"][-1]["method"]) == (
        "shipped",
        0,
        "cod",
    )
    assert json.loads(paid("report --json", ok=True).stdout)["bookings"]["paid"] == 3
    paid.refused("reply shipped-cod --booking B3", "reply shipped --booking B3")
    paid("done B3", ok=True)


def test_cash_on_delivery_after_a_down_payment_asks_for_the_rest(stocked):
    stocked("book mike PAN-24:2", ok=True)  # Rp300.000
    stocked("pay B1 --amount 100rb", ok=True)
    stocked("ship B1 --courier sicepat --tracking SC9 --cod", ok=True)
    texts = _messages(stocked, "B1", "shipped-cod")
    assert (
        "mohon siapkan Rp200.000 (sisanya, DP Rp100.000 sudah kami terima) untuk dibayarkan ke "
        "kurir" in texts[0]
    )
    assert (
        "please have Rp200.000 (the rest: we've received your Rp100.000 down payment) ready to "
        "pay the courier" in texts[1]
    )


def test_a_cod_parcel_that_comes_back(paid):
    paid("ship B3 --courier jnt --tracking JX123 --cod", ok=True)
    history = json.loads(paid("customer show mike --json", ok=True).stdout)["history"]
    assert history["paid"] == 3  # shipped COD counts as sold in the buyer's record...
    paid("return B3 --restock", ok=True)
    history = json.loads(paid("customer show mike --json", ok=True).stdout)["history"]
    assert (history["paid"], history["cancelled"]) == (2, 1)  # ...until it comes back
    assert _bookings(paid)["B3"]["status"] == "cancelled"


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        ("ship B1 --courier jnt --tracking JX1 --cod", "B1 has nothing left to pay"),
        ("ship B3 --courier gosend --cod", "not GoSend"),
        ("ship B3 --pickup --cod", "this parcel is picked up"),
        ("ship B3 --courier jnt --cod", "Missing option '--tracking'"),
    ],
)
def test_cash_on_delivery_only_where_a_courier_collects_what_is_owed(paid, command, refusal):
    paid.refused(command, refusal, code=2 if "Missing" in refusal else 1)


def test_cod_in_a_batch_only_for_an_unpaid_booking(paid, tmp_path):
    batch = tmp_path / "resi.txt"
    batch.write_text("B1 jnt JX1 cod\nB3 jnt JX3\n", encoding="utf-8")
    paid.refused(
        f"ship --from {batch}",
        "2 bad lines",
        "line 1: B1 has nothing left to pay",
        "line 2: B3 is not paid yet, so not shippable (cash on delivery: write cod",
    )


# ----- the domain: the message chosen, and couriers stored before they were matched ---------

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=shop_zone("Asia/Jakarta"))


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger()
    ledger.add_product("SPAT-1", "Spatula silikon", 35_000, NOW, stock=10)
    ledger.add_customer("Mike Tan", NOW, nick="Mike")
    for _ in range(4):
        ledger.book("mike", ["SPAT-1"], NOW, deadline=NOW + timedelta(days=1))
    for bid in ("B1", "B2", "B3"):
        ledger.pay(bid, NOW)
    return ledger


def test_the_message_follows_how_it_went(ledger):
    ledger.ship("B1", "JNE", "JN1", NOW)
    ledger.ship("B2", "lalamove", None, NOW)
    ledger.ship("B3", None, None, NOW, pickup=True)
    ledger.ship("B4", "pos", "P4", NOW, cod=True)
    assert [shipped_template(ledger.bookings[n]) for n in (1, 2, 3, 4)] == [
        "shipped",
        "shipped-instant",
        "pickup",
        "shipped-cod",
    ]


@pytest.mark.parametrize(
    ("stored", "shown"), [("SICEPAT", "SiCepat"), ('"ANTERAJA"', "AnterAja"), ("JNT", "J&T")]
)
def test_a_courier_stored_shouting_reaches_the_buyer_in_its_usual_spelling(ledger, stored, shown):
    booking = ledger.ship("B1", "jne", "R1", NOW)
    booking.courier = stored  # as older versions stored it
    for lang in ("id", "en"):
        template = Template("shipped", lang, BUILTINS["shipped"][lang], "built-in")
        text = render(template, Situation(ledger, NOW, lang, booking=booking))
        assert shown in text and stored not in text and '"' not in text
