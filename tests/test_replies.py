"""Messages for buyers: built-in templates, variables, safe rendering, times in words,
what to offer, the seller's own templates and wa.me links (replies.py, no CLI)."""

from __future__ import annotations

import re
import string
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from olshop_cli.errors import Conflict, InputError, NotFound
from olshop_cli.hours import parse_hours, to_dict
from olshop_cli.ledger import Ledger
from olshop_cli.replies import (
    BUILTINS,
    LANGS,
    VARIABLES,
    MissingValues,
    Situation,
    Template,
    UnknownVariables,
    addons,
    alternatives,
    catalog,
    copy_for_editing,
    find_template,
    greeting,
    moment_words,
    next_reply_words,
    outside_hours_warning,
    pressure_warning,
    render,
    strip_emoji,
    variables_in,
    wa_link,
    when_words,
)
from olshop_cli.when import shop_zone

ZONE = shop_zone("Asia/Jakarta")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=ZONE)  # a Monday
SCHEDULE = "mon-fri 08:00-10:00,19:00-21:00"
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


@pytest.fixture
def ledger() -> Ledger:
    """Pans and their add-ons, one pan sold out, Mike (nickname, phone) and Siti (neither)."""
    ledger = Ledger()
    ledger.set_setting("shop-name", "Dapur Mungil")
    ledger.set_setting("bank", "BCA 123 a.n. Dapur Mungil")
    ledger.add_product("SPAT-1", "Spatula silikon", 35_000, NOW, stock=10)
    ledger.add_product("TUTUP-1", "Tutup kaca", 45_000, NOW, stock=2)
    ledger.add_product("MAG-1", "Magnet kulkas", 15_000, NOW, stock=30)
    ledger.add_product("PAN-28", "Wajan 28 cm", 185_000, NOW, stock=2, related=["SPAT-1"])
    ledger.add_product("PAN-26", "Wajan 26 cm", 165_000, NOW, stock=0)
    ledger.add_product(
        "PAN-24",
        "Wajan 24 cm",
        150_000,
        NOW,
        stock=3,
        related=["PAN-28", "PAN-26", "TUTUP-1", "SPAT-1"],
    )
    ledger.add_product("PAN-20", "Wajan 20 cm", 120_000, NOW, stock=0, related=["PAN-24"])
    ledger.edit_product("PAN-28", add_related=["PAN-24"])  # the two sizes are alternatives
    ledger.add_customer("Mike Tan", NOW, nick="Mike", phone="0812-3456-7890")
    ledger.add_customer("Siti Rahmawati", NOW, call="Bu")
    return ledger


def situation(ledger, now=NOW, lang="id", customer=None, booking=None, sku=None, **overrides):
    return Situation(
        ledger,
        now,
        lang,
        customer=ledger.customers[customer] if customer else None,
        booking=booking,
        product=ledger.products[sku] if sku else None,
        overrides=overrides,
    )


def builtin(name: str, lang: str = "id") -> Template:
    return Template(name, lang, BUILTINS[name][lang], "built-in")


def book(ledger, who="mike", items=("PAN-24:2",), hours=33):
    return ledger.book(who, list(items), NOW, deadline=NOW + timedelta(hours=hours))


# ----- the reminder steps ----------------------------------------------------------------------


def test_reminder_before_the_deadline_names_amount_and_deadline(ledger):
    booking = book(ledger)
    text = render(builtin("remind"), situation(ledger, booking=booking, customer="mike"))
    assert text.startswith("Halo Kak Mike, mau mengingatkan ya: pesanan B1 (2x Wajan 24 cm)")
    assert "sebesar Rp300.000" in text
    assert "paling lambat besok pukul 17.00" in text
    assert text.endswith("🙏")


def test_reminder_after_the_deadline_asks_for_today(ledger):
    booking = book(ledger)
    later = NOW + timedelta(days=2)
    text = render(builtin("remind"), situation(ledger, later, booking=booking, customer="mike"))
    assert "hari ini kalau masih berminat" in text and "paling lambat" not in text


def test_reminder_names_what_is_still_due_after_a_down_payment(ledger):
    booking = book(ledger)
    ledger.pay(booking.id, NOW, amount=100_000)
    text = render(builtin("remind"), situation(ledger, booking=booking))
    assert "masih menunggu sisa pembayaran Rp200.000 (DP Rp100.000 sudah kami terima)" in text
    assert "sebesar" not in text  # the rest is not the order's price


def test_three_steps_are_three_different_texts_in_both_languages(ledger):
    booking = book(ledger, who="siti")
    for lang in LANGS:
        texts = {
            name: render(builtin(name, lang), situation(ledger, lang=lang, booking=booking))
            for name in ("remind", "checkin", "release")
        }
        assert len(set(texts.values())) == 3
        assert all("Bu Siti" in text for text in texts.values())
    checkin = render(builtin("checkin"), situation(ledger, booking=booking), emoji=False)
    assert "apa kabar" in checkin and checkin.endswith("bantu.") and not EMOJI.search(checkin)
    english = render(builtin("remind", "en"), situation(ledger, lang="en", booking=booking))
    assert english.startswith("Hi Bu Siti, just a friendly reminder")
    assert "by tomorrow at 17:00" in english
    checkin_en = render(builtin("checkin", "en"), situation(ledger, lang="en", booking=booking))
    assert "how are you" in checkin_en
    release = render(builtin("release"), situation(ledger, booking=booking))
    assert "kami lepas untuk pembeli lain" in release


@pytest.mark.parametrize(
    ("moment", "lang", "words"),
    [
        ("2026-11-23T08:00", "id", "Senin, 23 November pukul 08.00"),
        ("2026-11-23T08:00", "en", "Monday 23 November at 08:00"),
        ("2026-12-01T17:30", "id", "Selasa, 1 Desember pukul 17.30"),
    ],
)
def test_moment_words(moment, lang, words):
    assert moment_words(at(moment), lang) == words


@pytest.mark.parametrize(
    ("moment", "lang", "words"),
    [
        ("2026-11-23T17:00", "id", "hari ini pukul 17.00"),
        ("2026-11-24T17:00", "id", "besok pukul 17.00"),
        ("2026-11-22T17:00", "id", "kemarin pukul 17.00"),
        ("2026-11-24T17:00", "en", "tomorrow at 17:00"),
        ("2026-11-23T23:59", "en", "today at 23:59"),
        ("2026-11-25T17:00", "id", "Rabu, 25 November pukul 17.00"),
        ("2026-11-25T17:00", "en", "Wednesday 25 November at 17:00"),
        ("2027-01-05T09:00", "id", "Selasa, 5 Januari 2027 pukul 09.00"),
    ],
)
def test_deadlines_in_words(moment, lang, words):
    assert when_words(at(moment), NOW, lang) == words


def test_deadline_in_another_zone_is_read_on_the_shop_clock():
    utc = datetime.fromisoformat("2026-11-24T10:00:00+00:00")  # 17:00 in Jakarta
    assert when_words(utc, NOW, "id") == "besok pukul 17.00"


# ----- every built-in, both languages, for buyers with and without nickname and phone ----------


def _ready(ledger, name, who):
    """A situation giving each built-in what it needs."""
    if name == "stockout":
        ledger.adjust_stock("PAN-24", "=0")
    booking = book(ledger, who=who, items=("PAN-28",))
    if name in ("paid", "shipped", "shipped-instant", "pickup"):
        ledger.pay(booking.id, NOW)
    if name == "shipped":
        ledger.ship(booking.id, "JNE", "JNE0012345678", NOW)
    if name == "shipped-instant":
        ledger.ship(booking.id, "gosend", "Pak Budi 0812-1111-2222", NOW)
    if name == "shipped-cod":
        ledger.ship(booking.id, "jnt", "JX123", NOW, cod=True)
    if name == "pickup":
        ledger.ship(booking.id, None, None, NOW, pickup=True)
    if name in ("dp", "refund"):
        ledger.pay(booking.id, NOW, amount=50_000)
    if name == "refund":
        ledger.cancel(booking.id, NOW, money="refund")
    return booking


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("who", "called"), [("mike", "Kak Mike"), ("siti", "Bu Siti")])
@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_every_builtin_renders_for_every_buyer(ledger, name, lang, who, called):
    booking = _ready(ledger, name, who)
    for emoji in (True, False):
        s = situation(ledger, lang=lang, booking=booking, sku="PAN-24")
        text = render(builtin(name, lang), s, emoji=emoji)
        assert "$" not in text, text
        assert text.strip() == text and "  " not in text and " ." not in text and " ," not in text
        # English keeps Bu and Pak but has no Kak, Sis...: the name alone
        addressed = called if lang == "id" or called.startswith("Bu ") else called.split()[1]
        if name == "ask-name":  # asks for the name, so it only uses the honorific
            assert called not in text
            assert (called.split()[0] in text) == (lang == "id" or called.startswith("Bu "))
        else:
            assert addressed in text, text
        if lang == "en" and not called.startswith("Bu "):
            assert "Kak" not in text, text
        assert bool(EMOJI.search(text)) == emoji, text


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_builtins_use_only_known_variables_and_the_same_ones_in_both_languages(name):
    used = {lang: set(variables_in(BUILTINS[name][lang])) for lang in LANGS}
    assert used["id"] == used["en"]
    assert used["id"] <= set(VARIABLES)


def test_no_customer_means_the_shop_honorific_alone(ledger):
    text = render(builtin("greet"), situation(ledger, now=at("2026-11-23T09:00")))
    assert text.startswith("Selamat pagi, Kak! Terima kasih sudah mampir ke Dapur Mungil")
    ledger.set_setting("call", "Sis")
    assert render(builtin("thanks"), situation(ledger)).startswith("Terima kasih banyak, Sis,")


def test_a_removed_customer_is_still_addressed_by_the_booking(ledger):
    booking = book(ledger)
    ledger.pay(booking.id, NOW)
    ledger.remove_customer("mike", NOW, force=True)
    text = render(builtin("paid"), situation(ledger, booking=booking))
    assert text.startswith("Terima kasih, Kak Mike!")


def test_set_overrides_any_variable_and_the_address_follows_the_name(ledger):
    s = situation(ledger, customer="mike", name="Michael", shop="Toko Sebelah")
    text = render(builtin("thanks"), s)
    assert "Kak Michael" in text and "Toko Sebelah" in text
    s = situation(ledger, to="Juragan")
    assert render(builtin("thanks"), s).startswith("Terima kasih banyak, Juragan,")


def test_the_shop_name_and_bank_have_fallbacks_and_a_note(ledger):
    ledger.settings.pop("bank")
    ledger.settings.pop("shop-name")
    booking = book(ledger)
    s = situation(ledger, booking=booking)
    text = render(builtin("confirm"), s)
    assert "order di toko kami" in text and "ke rekening yang akan kami kirimkan ya" in text
    assert any("olshop config set bank" in note for note in s.notes)


def test_confirm_lists_lines_total_deadline_and_bank(ledger):
    booking = book(ledger, items=("PAN-24:2", "SPAT-1"), hours=9)
    text = render(builtin("confirm"), situation(ledger, booking=booking))
    assert "- 2x Wajan 24 cm @ Rp150.000 = Rp300.000\n- 1x Spatula silikon @ Rp35.000" in text
    assert "Total: Rp335.000" in text
    assert "paling lambat hari ini pukul 17.00 ke BCA 123 a.n. Dapur Mungil" in text


# ----- the greeting follows the shop's clock ---------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "indonesian", "english"),
    [
        ("00:00", "Selamat malam", "Good evening"),
        ("03:59", "Selamat malam", "Good evening"),
        ("04:00", "Selamat pagi", "Good morning"),
        ("10:59", "Selamat pagi", "Good morning"),
        ("11:00", "Selamat siang", "Good morning"),
        ("11:59", "Selamat siang", "Good morning"),
        ("12:00", "Selamat siang", "Good afternoon"),
        ("14:59", "Selamat siang", "Good afternoon"),
        ("15:00", "Selamat sore", "Good afternoon"),
        ("17:59", "Selamat sore", "Good afternoon"),
        ("18:00", "Selamat sore", "Good evening"),
        ("18:29", "Selamat sore", "Good evening"),
        ("18:30", "Selamat malam", "Good evening"),
        ("23:59", "Selamat malam", "Good evening"),
    ],
)
def test_greeting_at_the_boundaries(clock, indonesian, english):
    moment = at(f"2026-11-23T{clock}")
    assert greeting(moment, "id") == indonesian
    assert greeting(moment, "en") == english


# ----- away: when the next reply comes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "indonesian", "english"),
    [
        ("2026-11-23T07:00", "hari ini pukul 08.00", "today at 08:00"),  # Monday before hours
        ("2026-11-23T08:00", "sebentar lagi", "shortly"),  # opening minute
        ("2026-11-23T09:59", "sebentar lagi", "shortly"),
        ("2026-11-23T10:00", "hari ini pukul 19.00", "today at 19:00"),  # closing minute
        ("2026-11-23T11:00", "hari ini pukul 19.00", "today at 19:00"),  # between ranges
        ("2026-11-23T20:30", "sebentar lagi", "shortly"),
        ("2026-11-23T21:00", "besok pukul 08.00", "tomorrow at 08:00"),
        ("2026-11-23T23:59", "besok pukul 08.00", "tomorrow at 08:00"),
        ("2026-11-27T22:00", "Senin pukul 08.00", "on Monday at 08:00"),  # Friday night
        ("2026-11-28T10:00", "Senin pukul 08.00", "on Monday at 08:00"),  # Saturday
        ("2026-11-29T23:00", "besok pukul 08.00", "tomorrow at 08:00"),  # Sunday night
    ],
)
def test_next_reply_from_the_schedule(moment, indonesian, english):
    hours = parse_hours(SCHEDULE)
    assert next_reply_words(hours, at(moment), "id")[0] == indonesian
    assert next_reply_words(hours, at(moment), "en")[0] == english


def test_next_reply_a_week_ahead_and_without_hours():
    mondays = parse_hours("mon 08:00-10:00")
    assert next_reply_words(mondays, at("2026-11-23T11:00"), "id")[0] == "Senin depan pukul 08.00"
    assert next_reply_words(mondays, at("2026-11-23T11:00"), "en")[0] == "next Monday at 08:00"
    assert next_reply_words(None, NOW, "id") == ("secepatnya", "no-hours")
    assert next_reply_words(None, NOW, "en") == ("as soon as we can", "no-hours")


def test_away_message_uses_the_stored_hours_or_notes_there_are_none(ledger):
    s = situation(ledger, now=at("2026-11-27T22:00"))
    text = render(builtin("away"), s)
    assert "akan kami balas secepatnya" in text and "olshop hours set" in s.notes[0]
    ledger.set_hours(to_dict(parse_hours(SCHEDULE)))
    s = situation(ledger, now=at("2026-11-27T22:00"), customer="siti")
    text = render(builtin("away"), s)
    assert text.startswith("Selamat malam, Bu Siti!")
    assert "akan kami balas Senin pukul 08.00" in text and s.notes == []


# ----- reminding at a bad time -----------------------------------------------------------------


def test_outside_hours_and_pressure_warnings(ledger):
    assert outside_hours_warning(ledger, at("2026-11-23T23:00")) is None  # no hours set
    ledger.set_hours(to_dict(parse_hours(SCHEDULE)))
    assert outside_hours_warning(ledger, at("2026-11-23T09:00")) is None
    late = outside_hours_warning(ledger, at("2026-11-23T23:00"))
    assert "outside your working hours" in late and "tomorrow at 08:00" in late
    booking = book(ledger)
    previous = at("2026-11-23T09:00").isoformat()
    assert "1h 30m ago" in pressure_warning(booking, at("2026-11-23T10:30"), previous)
    assert pressure_warning(booking, at("2026-11-23T13:00"), previous) is None  # 4h later
    assert pressure_warning(booking, at("2026-11-23T10:30"), None) is None


# ----- what to offer ---------------------------------------------------------------------------


def skus(products):
    return [p.sku for p in products]


def test_stockout_offers_in_stock_alternatives_cheapest_first_at_most_two(ledger):
    # PAN-24's related: PAN-28 (both ways), PAN-26 (sold out), TUTUP-1 and SPAT-1 (add-ons).
    assert skus(alternatives(ledger, ledger.products["PAN-24"])) == ["PAN-28"]
    assert skus(alternatives(ledger, ledger.products["PAN-20"])) == ["PAN-24"]  # pricier
    ledger.add_product("PAN-22", "Wajan 22 cm", 140_000, NOW, stock=1, related=["PAN-24"])
    ledger.add_product("PAN-30", "Wajan 30 cm", 200_000, NOW, stock=1)
    ledger.edit_product("PAN-24", add_related=["PAN-30", "PAN-22", "MAG-1"])
    assert skus(alternatives(ledger, ledger.products["PAN-24"])) == ["PAN-22", "PAN-28"]
    ledger.edit_product("PAN-22", listed=False)
    assert skus(alternatives(ledger, ledger.products["PAN-24"])) == ["PAN-28", "PAN-30"]


def test_upsell_offers_in_stock_add_ons_never_itself_unrelated_or_sold_out(ledger):
    assert skus(addons(ledger, ledger.products["PAN-24"])) == ["SPAT-1", "TUTUP-1"]
    ledger.book("siti", ["TUTUP-1:2"], NOW)  # the last two lids are booked
    assert skus(addons(ledger, ledger.products["PAN-24"])) == ["SPAT-1"]
    assert skus(addons(ledger, ledger.products["PAN-28"])) == ["SPAT-1"]  # not the 24 cm pan
    assert addons(ledger, ledger.products["MAG-1"]) == []


def test_stockout_text_alternatives_then_restock_then_notify(ledger):
    text = render(builtin("stockout"), situation(ledger, sku="PAN-26", customer="mike"))
    assert text == (
        "Mohon maaf, Kak Mike, stok Wajan 26 cm lagi habis 🙏 "
        "Mau kami kabari kalau stoknya sudah ada lagi?"
    )
    ledger.edit_product("PAN-26", restock="2026-11-28")
    text = render(builtin("stockout", "en"), situation(ledger, lang="en", sku="PAN-26"))
    assert text.endswith(
        "We expect new stock on Saturday 28 November. Shall we let you know when it arrives?"
    )
    ledger.edit_product("PAN-26", add_related=["PAN-28"])
    text = render(builtin("stockout"), situation(ledger, sku="PAN-26"))
    assert "Sebagai gantinya, ada Wajan 28 cm (Rp185.000) yang masih tersedia" in text
    assert "Mau kami siapkan?" in text


def test_stockout_of_a_product_still_available_notes_it(ledger):
    s = situation(ledger, sku="PAN-24")
    render(builtin("stockout"), s)
    assert "PAN-24 still has 3 available" in s.notes[0]


def test_upsell_text_and_refusal_when_nothing_fits(ledger):
    text = render(builtin("upsell"), situation(ledger, sku="PAN-24", customer="siti"))
    assert "Spatula silikon (Rp35.000) dan Tutup kaca (Rp45.000)" in text
    assert "Wajan 28 cm" not in text and "Magnet" not in text
    with pytest.raises(Conflict, match="Nothing to suggest with MAG-1"):
        render(builtin("upsell"), situation(ledger, sku="MAG-1"))


# ----- refusals: missing values, unknown variables, bad templates -----------------------------


def test_missing_values_are_all_named_with_their_flags(ledger):
    with pytest.raises(MissingValues) as caught:
        render(builtin("stockout"), situation(ledger))
    assert caught.value.missing == ["product", "offer"]
    assert "needs --sku (for $product, $offer)" in caught.value.message
    mixed = Template("mixed", "id", "$name: $total, $product", "own")
    with pytest.raises(MissingValues) as caught:
        render(mixed, situation(ledger))
    message = caught.value.message
    assert "--to or --booking (for $name)" in message
    assert "--booking (for $total)" in message and "--sku (for $product)" in message


def test_shipped_needs_a_shipped_booking(ledger):
    booking = book(ledger)
    with pytest.raises(MissingValues, match="B1 is booked, not shipped"):
        render(builtin("shipped"), situation(ledger, booking=booking))
    s = situation(ledger, booking=booking, courier="JNE", tracking="JNE123")
    assert "lewat JNE dengan nomor resi JNE123" in render(builtin("shipped"), s)


@pytest.mark.parametrize(
    ("text", "unknown", "tip"),
    [
        ("Halo $nama", ["nama"], "Did you mean $name?"),
        ("Halo ${namenya}", ["namenya"], "Write ${name}nya"),
        ("Halo $to, diskon $discount dan $Name", ["discount", "Name"], "Did you mean $name?"),
    ],
)
def test_unknown_variables_are_refused_naming_them_and_the_known_ones(ledger, text, unknown, tip):
    with pytest.raises(UnknownVariables) as caught:
        render(Template("promo", "id", text, "own"), situation(ledger, customer="mike"))
    assert caught.value.unknown == unknown
    assert "Known variables: $to, $call, $name" in caught.value.message
    assert tip in caught.value.hint
    assert "olshop templates edit promo --lang id" in caught.value.hint


@pytest.mark.parametrize("text", ["Harga $5", "Halo ${to", "Halo $ to", "akhir $"])
def test_a_dollar_that_starts_no_variable_is_refused(text):
    with pytest.raises(InputError, match="starts no variable on line 1"):
        variables_in(text)
    assert variables_in("Harga $$5 untuk ${name}nya, $to") == ["name", "to"]


# ----- rendering is safe ----------------------------------------------------------------------


HOSTILE = [
    "{0.__class__.__init__.__globals__}",
    "${x}",
    "$to",
    "$$",
    "{name!r:>999999999}",
    "%(name)s %s",
    "<b>Mike</b> [bold]",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_customer_names_are_printed_literally(ledger, name):
    customer = ledger.add_customer(f"{name} Tan", NOW, nick=name)
    s = Situation(ledger, NOW, customer=customer)
    text = render(builtin("thanks"), s)
    assert text.startswith(f"Terima kasih banyak, Kak {name}, sudah belanja di Dapur Mungil!")
    assert render(Template("x", "id", "[$full_name]", "own"), s) == f"[{name} Tan]"


@pytest.mark.parametrize("value", HOSTILE)
def test_set_values_are_inserted_literally(ledger, value):
    s = situation(ledger, shop=value)
    assert render(Template("x", "id", "at $shop!", "own"), s) == f"at {value}!"


def test_a_user_template_cannot_reach_python(ledger):
    for text in ("{0.__class__}", "${to.__class__}", "$to.__class__", "{to}"):
        template = Template("x", "id", text, "own")
        try:
            out = render(template, situation(ledger))
        except InputError:
            continue
        assert "class '" not in out and "<" not in out


# ----- emoticons -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Terima kasih 🙏", "Terima kasih."),
        ("Siap, $to! 😊", "Siap, $to!"),
        ("ke $shop 😊 Ada yang bisa dibantu?", "ke $shop. Ada yang bisa dibantu?"),
        ("habis 🙏 $offer", "habis. $offer"),
        ("resi $tracking 📦 Resinya", "resi $tracking. Resinya"),
        ("mantap 👍 ya", "mantap ya"),
        ("Halo ❤️\nBaris dua", "Halo.\nBaris dua"),
        ("tanpa emoji.", "tanpa emoji."),
    ],
)
def test_strip_emoji(text, plain):
    assert strip_emoji(text) == plain


def test_emoji_off_never_touches_values(ledger):
    s = situation(ledger, shop="Toko 🌸")
    assert render(Template("x", "id", "di $shop 😊", "own"), s, emoji=False) == "di Toko 🌸."


# ----- the seller's own templates --------------------------------------------------------------


def test_own_file_overrides_a_builtin_and_adds_new_ones(tmp_path, ledger):
    (tmp_path / "thanks.id.txt").write_text("Makasih ya $to!\n", encoding="utf-8")
    (tmp_path / "promo.en.txt").write_text("\ufeffHi $to, 10% off today", encoding="utf-8")
    own = find_template("Thanks", "id", tmp_path)
    assert (own.source, own.text) == ("own", "Makasih ya $to!")
    assert find_template("thanks", "en", tmp_path).source == "built-in"
    assert render(find_template("promo", "en", tmp_path), situation(ledger)) == (
        "Hi Kak, 10% off today"
    )
    with pytest.raises(NotFound, match="no Indonesian text"):
        find_template("promo", "id", tmp_path)
    rows = {row["name"]: row for row in catalog(tmp_path)}
    assert rows["thanks"]["builtin"] and rows["thanks"]["own"] == ["id"]
    assert rows["promo"] == {
        "name": "promo",
        "languages": ["en"],
        "builtin": False,
        "own": ["en"],
        "variables": ["to"],
        "unknown": [],
        "problems": [],
    }


def test_unknown_names_get_the_closest_suggested(tmp_path):
    with pytest.raises(NotFound, match="There is no template 'stockot'") as caught:
        find_template("stockot", "id", tmp_path)
    assert "Did you mean stockout or restock?" in caught.value.hint


def test_copy_for_editing_copies_the_builtin_once(tmp_path):
    path, what = copy_for_editing(tmp_path / "templates", "thanks", "en")
    assert what == "copied" and path.read_text(encoding="utf-8") == BUILTINS["thanks"]["en"] + "\n"
    path.write_text("Mine", encoding="utf-8")
    assert copy_for_editing(tmp_path / "templates", "thanks", "en") == (path, "exists")
    assert path.read_text(encoding="utf-8") == "Mine"
    new, what = copy_for_editing(tmp_path / "templates", "promo", "id")
    assert what == "new" and new.name == "promo.id.txt"
    with pytest.raises(InputError, match="not a usable template name"):
        copy_for_editing(tmp_path / "templates", "../evil", "id")


# ----- wa.me links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Halo Kak Mike, total Rp300.000 ya 🙏",
        "Baris satu\nBaris dua & tiga = 100% #promo?",
        "${x} {0.__class__} +62 / é",
    ],
)
def test_wa_link_decodes_back_to_the_text(text):
    link = wa_link("+6281234567890", text)
    parts = urlparse(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert parse_qs(parts.query)["text"] == [text]
    assert " " not in link and "\n" not in link


def test_wa_link_normalizes_a_typed_number():
    assert wa_link("0812-3456-7890", "x").startswith("https://wa.me/6281234567890?text=x")


def test_rendering_matches_string_template_semantics(ledger):
    # The one documented syntax: $name, ${name} and $$, exactly as string.Template reads them.
    text = "$$to ${to}nya $to"
    s = situation(ledger, customer="mike")
    assert render(Template("x", "id", text, "own"), s) == string.Template(text).substitute(
        to="Kak Mike"
    )


def test_english_without_a_name_drops_the_honorific_and_its_comma(ledger):
    """No buyer given and the shop calls everyone Kak: English addresses no one by it."""
    texts = {
        name: render(builtin(name, "en"), situation(ledger, lang="en"))
        for name in ("greet", "sorry", "thanks")
    }
    shop = ledger.setting("shop-name") or "our shop"
    assert texts == {
        "greet": f"Good morning! Thanks for stopping by {shop} 😊 How can we help you today?",
        "sorry": "We're so sorry for the trouble 🙏 Let us look into it, and we'll get back to "
        "you shortly.",
        "thanks": f"Thank you so much for shopping at {shop}! We hope you enjoy it. See you "
        "again soon 🙏",
    }


@pytest.mark.parametrize(
    ("lang", "start", "fields", "end"),
    [
        (
            "id",
            "Selamat pagi, Kak! Terima kasih sudah mau order di Dapur Mungil 😊",
            ["Nama lengkap:", "No. HP/WA:", "Alamat lengkap (jalan, nomor rumah, RT/RW, "
             "kelurahan, kecamatan, kota, kode pos):", "Pesanan (nama barang x jumlah):",
             "Ekspedisi (JNE, J&T, SiCepat, atau ambil sendiri):", "Catatan:"],
            "Setelah formatnya kami terima, kami kirim total pembayaran beserta ongkirnya ya 🙏",
        ),
        (
            "en",
            "Good morning! Thanks for ordering from Dapur Mungil 😊",
            ["Full name:", "Phone/WhatsApp:", "Full address (street, house number, RT/RW, "
             "kelurahan, kecamatan, city, postcode):", "Order (item x quantity):",
             "Courier (JNE, J&T, SiCepat, or pick up yourself):", "Notes:"],
            "Once we have it, we'll send you the total with the shipping cost 🙏",
        ),
    ],
)  # fmt: skip
def test_the_order_form_for_a_new_buyer(ledger, lang, start, fields, end):
    # a buyer not in the ledger yet: the shop's honorific alone, one field a line
    text = render(builtin("format-order", lang), situation(ledger, lang=lang, now=NOW))
    lines = text.split("\n")
    assert lines[0].startswith(start)
    assert lines[1] == "" and lines[2:8] == fields and lines[8] == ""
    assert lines[9] == end and len(lines) == 10
