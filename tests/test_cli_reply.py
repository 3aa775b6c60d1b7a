"""Replies through the command line: `reply`, `templates list|show|edit|path`, and the
reminder messages of `remind`."""

from __future__ import annotations

import json
import os
import shutil
import sys
from urllib.parse import parse_qs, urlparse

import pytest

SCHEDULE = "mon-fri 08:00-10:00,19:00-21:00"
MONDAY_11 = "2026-11-23T11:00:00+07:00"
FRIDAY_22 = "2026-11-27T22:00:00+07:00"


@pytest.fixture
def demo(stocked):
    """The stocked shop with hours, a bank, a bigger pan, a magnet and a sold-out pan."""
    stocked("config set shop-name 'Dapur Mungil'", ok=True)
    stocked("config set bank 'BCA 123-456-7890 a.n. Dapur Mungil'", ok=True)
    stocked(f"hours set '{SCHEDULE}'", ok=True)
    stocked("product add PAN-28 'Wajan 28 cm' --price 185rb --stock 2 --related PAN-24", ok=True)
    stocked("product add MAG-1 'Magnet kulkas' --price 15rb --stock 30", ok=True)
    stocked("product add PAN-20 'Wajan 20 cm' --price 120rb --related PAN-28", ok=True)
    stocked("product edit PAN-24 --related PAN-28", ok=True)
    return stocked


def test_greet_addresses_the_buyer_by_honorific_and_nickname(demo):
    result = demo("reply greet --to mike", ok=True)
    assert result.stdout == (
        "Selamat pagi, Kak Mike! Terima kasih sudah mampir ke Dapur Mungil 😊 "
        "Ada yang bisa kami bantu?\n"
    )
    assert result.stderr == ""
    by_phone = demo("reply greet --to '+62 813 1111 2222'", ok=True).stdout
    assert by_phone.startswith("Selamat pagi, Bu Siti!")  # no nickname: the first name
    assert demo("reply greet", ok=True).stdout.startswith("Selamat pagi, Kak! ")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (MONDAY_11, "akan kami balas hari ini pukul 19.00"),
        (FRIDAY_22, "akan kami balas Senin pukul 08.00"),
        ("2026-11-24T06:00:00+07:00", "akan kami balas hari ini pukul 08.00"),
        ("2026-11-24T21:30:00+07:00", "akan kami balas besok pukul 08.00"),
        ("2026-11-24T19:15:00+07:00", "akan kami balas sebentar lagi"),
    ],
)
def test_away_says_when_the_next_reply_comes(demo, now, expected):
    result = demo("reply away", now=now, ok=True)
    assert expected in result.stdout and result.stderr == ""


def test_away_in_english_and_without_hours(stocked):
    stocked(f"hours set '{SCHEDULE}'", ok=True)
    english = stocked("reply away --lang en", now=FRIDAY_22, ok=True).stdout
    assert english.startswith("Good evening! Thanks for contacting our shop")  # no 'Kak' in English
    assert "will reply on Monday at 08:00" in english
    stocked("hours set 'closed'", ok=True)
    result = stocked("reply away", now=FRIDAY_22, ok=True)
    assert "akan kami balas secepatnya" in result.stdout
    assert "No working hours are set" in result.stderr and "olshop hours set" in result.stderr


def test_stockout_offers_the_in_stock_bigger_pan_with_its_price(demo):
    demo("product stock PAN-24 =0", ok=True)
    result = demo("reply stockout --sku pan-24 --to siti", ok=True)
    assert result.stdout == (
        "Mohon maaf, Bu Siti, stok Wajan 24 cm lagi habis 🙏 Sebagai gantinya, ada Wajan 28 cm "
        "(Rp185.000) yang masih tersedia. Mau kami siapkan?\n"
    )
    assert "Spatula" not in result.stdout  # an add-on is no replacement for a pan
    restock = demo("reply stockout --sku PAN-20 --lang en", ok=True).stdout
    assert "Instead, we have Wajan 28 cm (Rp185.000) in stock" in restock


def test_stockout_and_upsell_need_a_sku(demo):
    demo.refused("reply stockout", "needs --sku (for $product, $offer)", "--sku PAN-24")
    demo.refused("reply upsell --to mike", "needs --sku (for $product, $addons)")
    demo.refused("reply stockout --sku NOPE", "No product with SKU NOPE")


def test_upsell_offers_the_spatula_and_not_the_magnet(demo):
    result = demo("reply upsell --sku PAN-24 --to mike", ok=True)
    assert "Spatula silikon (Rp35.000)" in result.stdout
    assert "Magnet" not in result.stdout and "Wajan 28" not in result.stdout
    demo.refused("reply upsell --sku MAG-1", "Nothing to suggest with MAG-1")
    demo("product stock SPAT-1 =0", ok=True)
    demo.refused("reply upsell --sku PAN-24", "Nothing to suggest with PAN-24")


def test_confirm_shows_lines_total_deadline_and_bank(demo):
    demo("book mike PAN-24 SPAT-1 --deadline 17:00", ok=True)
    demo("book siti PAN-24 --deadline 'besok 17:00'", ok=True)
    result = demo("reply confirm --booking B1", ok=True)
    text = result.stdout
    assert text.startswith("Halo Kak Mike, terima kasih sudah order di Dapur Mungil")
    assert "- 1x Wajan 24 cm @ Rp150.000 = Rp150.000\n- 1x Spatula silikon" in text
    assert "Total: Rp185.000" in text
    assert "paling lambat hari ini pukul 17.00 ke BCA 123-456-7890 a.n. Dapur Mungil" in text
    assert result.stderr == ""
    english = demo("reply confirm --booking b2 --lang en", ok=True).stdout
    assert "Please transfer Rp150.000 by tomorrow at 17:00 to BCA" in english
    demo("book mike SPAT-1 --deadline 'Rabu 10:00'", ok=True)
    assert (
        "paling lambat Rabu, 25 November pukul 10.00" in demo("reply confirm --booking B3").stdout
    )


def test_confirm_without_a_bank_warns_how_to_set_it(stocked):
    stocked("book mike PAN-24", ok=True)
    result = stocked("reply confirm --booking B1", ok=True)
    assert "ke rekening yang akan kami kirimkan ya" in result.stdout
    assert 'olshop config set bank "' in result.stderr


def test_paid_and_shipped_follow_the_booking(demo):
    demo("book mike PAN-24", ok=True)
    demo.refused("reply shipped --booking B1", "B1 is booked, not shipped", "--courier")
    demo("pay B1", ok=True)
    paid = demo("reply paid --booking B1", ok=True)
    assert paid.stdout.startswith("Terima kasih, Kak Mike! Pembayaran Rp150.000 untuk pesanan B1")
    demo("ship B1 --courier jne --tracking JNE0012345678", ok=True)
    shipped = demo("reply shipped --booking B1", ok=True).stdout
    assert "lewat JNE dengan nomor resi JNE0012345678" in shipped
    custom = demo("reply shipped --booking B1 --set courier=SiCepat", ok=True).stdout
    assert "lewat SiCepat" in custom


def test_remind_checkin_release_are_three_texts(demo):
    demo("book mike PAN-24:2 --deadline '10:00'", ok=True)
    demo.set_now("2026-11-23T09:00:00+07:00")
    texts = [demo(f"reply {name} --booking B1", ok=True).stdout for name in ("remind", "checkin")]
    assert "Rp300.000" in texts[0] and "paling lambat hari ini pukul 10.00" in texts[0]
    assert "apa kabar" in texts[1] and "masih kami simpan" in texts[1]
    late = demo("reply remind --booking B1", now="2026-11-23T19:30:00+07:00", ok=True).stdout
    assert "hari ini kalau masih berminat" in late
    # `release` says it was let go: only once it was.
    demo.refused("reply release --booking B1", "B1 is still booked", "olshop release B1")
    demo("release B1", now="2026-11-23T19:30:00+07:00", ok=True)
    texts.append(demo("reply release --booking B1", ok=True).stdout)
    assert "kami lepas untuk pembeli lain" in texts[2] and len(set(texts)) == 3


def test_remind_decides_before_it_records_and_sends_anyway_when_told(demo):
    demo("book mike PAN-24 --deadline '10:00'", ok=True)
    first = demo("remind B1", now="2026-11-23T19:30:00+07:00", ok=True)
    assert first.stdout.startswith("Halo Kak Mike, mau mengingatkan ya: pesanan B1")
    assert "Warning" not in first.stderr  # within hours, first reminder
    demo.set_now("2026-11-23T22:00:00+07:00")
    demo.refused(
        "remind B1",
        "Nothing was recorded: 22:00 on Monday is outside your working hours; they start "
        "tomorrow at 08:00.",
        "Send it then, or now: olshop remind B1 --anyway",
    )
    second = demo("remind B1 --anyway", ok=True)
    assert second.stdout.startswith("Halo Kak Mike, apa kabar?")
    assert "outside your working hours" in second.stderr
    assert "Your hours start tomorrow at 08:00" in second.stderr
    assert "B1 was reminded 2h 30m ago" in second.stderr and "pressure" in second.stderr
    assert [r["step"] for r in json.loads(demo("show B1 --json").stdout)["reminders"]] == [1, 2]


def test_remind_soon_after_the_last_one_records_nothing(demo):
    demo("book mike PAN-24 --deadline '08:30'", ok=True)
    demo("remind B1", now="2026-11-23T09:00:00+07:00", ok=True)
    demo.set_now("2026-11-23T09:45:00+07:00")
    demo.refused(
        "remind B1",
        "Nothing was recorded: B1 was reminded 45m ago; another message so soon may feel like "
        "pressure to the buyer.",
        "Wait, or send it now: olshop remind B1 --anyway",
    )
    later = demo("remind B1", now="2026-11-23T19:30:00+07:00", ok=True)  # hours again, 10h on
    assert later.stdout.startswith("Halo Kak Mike, apa kabar?") and "Warning" not in later.stderr


def test_reply_remind_warns_too_but_records_nothing(demo):
    demo("book mike PAN-24 --deadline '10:00'", ok=True)
    demo("remind B1", now="2026-11-23T09:00:00+07:00", ok=True)
    before = demo.ledger_bytes()
    result = demo("reply checkin --booking B1", now="2026-11-23T11:00:00+07:00", ok=True)
    assert "apa kabar" in result.stdout
    assert "Your hours start today at 19:00" in result.stderr
    assert "reminded 2h ago" in result.stderr
    assert demo.ledger_bytes() == before


def test_remind_uses_the_sellers_own_template(demo):
    (demo.home / "templates").mkdir()
    (demo.home / "templates" / "remind.id.txt").write_text(
        "Kak $name, $booking sebesar $due ditunggu $pay_when ya\n", encoding="utf-8"
    )
    demo("book mike PAN-24 --deadline 'besok 17:00'", ok=True)
    result = demo("remind B1", ok=True)
    assert (
        result.stdout
        == "Kak Mike, B1 sebesar Rp150.000 ditunggu paling lambat besok pukul 17.00 ya\n"
    )


def test_wa_link_carries_the_text_for_the_buyers_phone(demo):
    text = demo("reply thanks --to mike", ok=True).stdout.rstrip("\n")
    link = demo("reply thanks --to mike --wa", ok=True).stdout.strip()
    parts = urlparse(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://wa.me/6281234567890"
    assert parse_qs(parts.query)["text"] == [text]
    demo("customer add 'Tanpa Nomor'", ok=True)
    demo.refused("reply thanks --to tanpa --wa", "Tanpa Nomor has no phone number", "--phone")
    demo.refused("reply thanks --wa", "--wa needs a buyer", "--to CUSTOMER")


def test_json_output(demo):
    data = json.loads(demo("reply greet --to siti --json", ok=True).stdout)
    assert set(data) == {"template", "lang", "text", "to", "wa_link"}
    assert data["template"] == "greet" and data["lang"] == "id"
    assert data["text"].startswith("Selamat pagi, Bu Siti!")
    assert data["to"] == {
        "key": "siti",
        "name": "Siti Rahmawati",
        "phone": "+6281311112222",
        "addressed_as": "Bu Siti",
    }
    assert parse_qs(urlparse(data["wa_link"]).query)["text"] == [data["text"]]
    alone = json.loads(demo("reply thanks --json --lang en", ok=True).stdout)
    assert alone["to"] is None and alone["wa_link"] is None and alone["lang"] == "en"


def test_language_and_emoji_follow_the_settings(demo):
    demo("config set lang en", ok=True)
    demo("config set emoji off", ok=True)
    text = demo("reply greet --to mike", ok=True).stdout
    assert text == (
        "Good morning, Mike! Thanks for stopping by Dapur Mungil. How can we help you today?\n"
    )
    assert demo("reply greet --to mike --lang id", ok=True).stdout.startswith("Selamat pagi")


@pytest.mark.parametrize(
    "name",
    ["{0.__class__.__init__.__globals__}", "${x}", "$to $$ ${shop}", "{name!r:>99999999}"],
)
def test_hostile_names_print_literally(shop, name):
    shop(["customer", "add", f"{name} Hacker", "--nick", name, "--key", "h"], ok=True)
    result = shop("reply greet --to h", ok=True)
    assert result.stdout.startswith(f"Selamat pagi, Kak {name}! Terima kasih")
    link = shop("reply greet --to h --set call=Bu --json", ok=True).stdout
    assert json.loads(link)["text"].startswith(f"Selamat pagi, Bu {name}!")


@pytest.mark.parametrize(
    ("command", "phrases", "code"),
    [
        (
            "reply stockot",
            ["There is no template 'stockot'", "Did you mean stockout or restock?"],
            1,
        ),
        ("reply greet --to nobody", ["No customer matches 'nobody'"], 1),
        (
            "reply confirm",
            ["needs --booking (for $booking, $lines, $costs, $due, $deadline, $exact)"],
            1,
        ),
        ("reply confirm --booking B9", ["There is no booking B9"], 1),
        ("reply thanks --set oops", ["'oops' is not key=value"], 2),
        ("reply thanks --set nope=1", ["'nope' is not a template"], 2),
        ("reply thanks --lang fr", ["'fr' is not a language"], 2),
        ("reply thanks --to mike --booking B1", ["not both"], 2),
        ("reply", ["Missing argument"], 2),
    ],
)
def test_refusals(stocked, command, phrases, code):
    stocked("book mike PAN-24", ok=True)
    stocked.refused(command, *phrases, code=code)


def _own(shop, filename: str, text: str) -> None:
    folder = shop.home / "templates"
    folder.mkdir(exist_ok=True)
    (folder / filename).write_text(text, encoding="utf-8")


def test_own_templates_override_and_add(stocked):
    _own(stocked, "thanks.id.txt", "Makasih banyak $to, ditunggu lagi di $shop ya!\n")
    _own(stocked, "promo.id.txt", "Halo $to, ${name}nya dapat diskon 10% hari ini, harga $$5!")
    assert stocked("reply thanks --to mike", ok=True).stdout == (
        "Makasih banyak Kak Mike, ditunggu lagi di toko kami ya!\n"
    )
    assert stocked("reply thanks --to mike --lang en", ok=True).stdout.startswith("Thank you")
    promo = stocked("reply promo --to siti", ok=True).stdout
    assert promo == "Halo Bu Siti, Sitinya dapat diskon 10% hari ini, harga $5!\n"
    stocked.refused("reply promo --lang en", "no English text", "templates edit promo --lang en")


def test_own_templates_with_unknown_variables_are_refused_when_used_or_shown(stocked):
    _own(stocked, "promo.id.txt", "Halo $nama, diskon $diskon untuk $to")
    for command in ("reply promo --to mike", "templates show promo"):
        stocked.refused(
            command,
            "uses the unknown variables $nama, $diskon",
            "Known variables: $to, $call, $name",
            "Did you mean $name?",
        )
    _own(stocked, "harga.id.txt", "Cuma $5 saja")
    stocked.refused("reply harga", "'$' that starts no variable on line 1", "$$")


def test_own_template_missing_values_name_the_flags(stocked):
    _own(stocked, "cek.id.txt", "$name, $product dan $total")
    stocked.refused(
        "reply cek",
        "--to or --booking (for $name)",
        "--sku (for $product)",
        "--booking (for $total)",
    )


def test_templates_list(stocked):
    _own(stocked, "thanks.id.txt", "Makasih $to")
    _own(stocked, "promo.en.txt", "Hi $to, $diskon")
    _own(stocked, "notes.txt", "not a template")
    result = stocked("templates list", ok=True)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Template", "Lang", "Source", "Variables"]
    names = [line.split()[0] for line in lines[1:]]
    assert (
        names == sorted(names)
        and len(names) == 21
        and "promo" in names
        and "dp" in names
        and "refund" in names
        and "format-order" in names
    )
    assert any(line.split()[:4] == ["confirm", "id", "en", "built-in"] for line in lines)
    assert "own (id) over built-in" in result.stdout and "$diskon?" in result.stdout
    assert "unknown $diskon" in result.stderr and "Ignored notes.txt" in result.stderr
    rows = {row["name"]: row for row in json.loads(stocked("templates list --json").stdout)}
    assert rows["stockout"]["variables"] == ["to", "product", "offer"]
    assert rows["thanks"]["own"] == ["id"] and rows["thanks"]["builtin"]
    assert rows["promo"]["languages"] == ["en"] and rows["promo"]["unknown"] == ["diskon"]


def test_templates_show(stocked):
    result = stocked("templates show thanks --lang en", ok=True)
    assert result.stdout.startswith("thanks · English · built-in\n\nThank you so much for")
    assert "Uses: $shop $to" in result.stdout
    assert "$product     the product's name (needs --sku)" in result.stdout
    data = json.loads(stocked("templates show upsell --json", ok=True).stdout)
    assert data["uses"] == ["to", "product", "addons"] and data["source"] == "built-in"
    assert {v["name"] for v in data["variables"]} >= {"to", "greeting", "next_reply", "tracking"}
    stocked.refused("templates show nope", "There is no template 'nope'")


def test_templates_path(stocked):
    assert stocked("templates path", ok=True).stdout == f"{stocked.home / 'templates'}\n"


@pytest.mark.skipif(os.name == "nt", reason="the fake editor is a shell script")
def test_templates_edit_copies_the_builtin_and_opens_the_editor(stocked, tmp_path, monkeypatch):
    editor = tmp_path / "fake-editor"
    editor.write_text(
        '#!/bin/sh\ncat "$1" > "$1.seen"\nprintf \'Makasih ya $to!\\n\' > "$1"\n',
        encoding="utf-8",
    )
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    result = stocked("templates edit thanks", ok=True)
    path = stocked.home / "templates" / "thanks.id.txt"
    assert f"Copied the built-in 'thanks' (id) to {path}" in result.stderr
    assert "Saved" in result.stderr and "olshop reply thanks --lang id" in result.stderr
    assert (
        (path.parent / "thanks.id.txt.seen")
        .read_text(encoding="utf-8")
        .startswith("Terima kasih banyak, $to")
    )
    assert stocked("reply thanks --to mike", ok=True).stdout == "Makasih ya Kak Mike!\n"
    editor.write_text("#!/bin/sh\nprintf 'Halo $namaku' > \"$1\"\n", encoding="utf-8")
    again = stocked("templates edit thanks", ok=True)
    assert "Copied" not in again.stderr
    assert "Saved, but it cannot be used yet" in again.stderr and "$namaku" in again.stderr


def test_templates_edit_without_an_editor_says_where_the_file_is(stocked, tmp_path, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = stocked("templates edit promo --lang en", ok=True)
    path = stocked.home / "templates" / "promo.en.txt"
    assert "New template 'promo'" in result.stderr
    assert (
        f"No editor found (set EDITOR). Edit the file with any text editor: {path}" in result.stderr
    )
    assert path.read_text(encoding="utf-8") == "Hi $to, \n"
    if os.name != "nt":  # private, as every file olshop makes
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"


def test_copy_without_a_clipboard_warns_and_still_prints(stocked, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = stocked("reply thanks --to mike --copy")
    assert result.exit_code == 0
    assert result.stdout.startswith("Terima kasih banyak, Kak Mike")
    assert "Warning: Not copied: no clipboard here" in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fakes an X11 clipboard tool")
def test_copy_puts_the_message_on_the_clipboard(stocked, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "xclip"
    cat = shutil.which("cat")
    fake.write_text(f"#!/bin/sh\n{cat} > '{tmp_path / 'clipboard'}'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = stocked("reply thanks --to mike --wa --copy", ok=True)
    assert (tmp_path / "clipboard").read_text(encoding="utf-8") == result.stdout.strip()
    assert "Copied to the clipboard." in result.stderr


def test_a_reply_that_would_be_untrue_for_the_booking_is_refused(demo):
    """Every message about a booking is checked against its status and money first: each
    refusal says why and which template fits, exits 1 and changes nothing."""
    demo("book mike PAN-24 --deadline '10:00'", ok=True)  # B1: paid, then shipped
    demo("book siti SPAT-1:2 --deadline '10:00'", ok=True)  # B2: a down payment
    demo("book mike SPAT-1 --deadline '10:00'", ok=True)  # B3: released
    demo.set_now("2026-11-23T09:00:00+07:00")
    demo("pay B1", ok=True)
    demo("pay B2 --amount 30rb", ok=True)
    demo.refused(
        "reply remind --booking B1",
        "B1 is paid: 'remind' would ask for money the buyer does not owe.",
        "Use: olshop reply paid --booking B1",
    )
    demo.refused("reply checkin --booking B1", "B1 is paid", "reply paid --booking B1")
    demo.refused("reply confirm --booking B1", "B1 is paid", "reply paid --booking B1")
    demo.refused(
        "reply paid --booking B2",
        "B2 still has Rp40.000 to pay: 'paid' would say it is paid and on its way.",
        "Use: olshop reply dp --booking B2",
    )
    # confirm after a down payment asks for what is left (it shows what was paid)
    assert "Sisa: Rp40.000" in demo("reply confirm --booking B2", ok=True).stdout
    demo.refused("reply dp --booking B1", "B1 is paid", "reply paid --booking B1")
    demo.refused("reply dp --booking B3", "B3 has no payment recorded", "olshop pay B3")
    demo.refused("reply paid --booking B3", "B3 has no payment recorded", "olshop pay B3")
    demo("ship B1 --courier JNE --tracking JN1", ok=True)
    demo.refused(
        "reply release --booking B1",
        "B1 is shipped: 'release' would tell the buyer their payment never came.",
        "Use: olshop reply shipped --booking B1",
    )
    demo.refused("reply paid --booking B1", "B1 is already shipped", "reply shipped --booking B1")
    demo.set_now("2026-11-23T11:00:00+07:00")
    demo("release B3", ok=True)
    demo.refused(
        "reply checkin --booking B3",
        "B3 is released: 'checkin' would tell the buyer it is still waiting for them.",
        "Use: olshop reply release --booking B3",
    )
    demo.refused("reply remind --booking B3", "B3 is released")
    demo.refused("reply confirm --booking B3", "B3 is released")
    demo.refused("reply shipped --booking B3", "B3 is released, not shipped")
    # What is true is printed as before.
    assert "Rp40.000" in demo("reply remind --booking B2", ok=True).stdout
    assert "kami lepas untuk pembeli lain" in demo("reply release --booking B3", ok=True).stdout
    assert "JN1" in demo("reply shipped --booking B1", ok=True).stdout


def test_dp_thanks_for_the_down_payment_and_asks_for_the_rest(demo):
    demo("book siti SPAT-1:2 --deadline 'besok 17:00'", ok=True)
    demo("pay B1 --amount 30rb", ok=True)
    indonesian = demo("reply dp --booking B1", ok=True)
    assert indonesian.stdout == (
        "Terima kasih, Bu Siti! DP Rp30.000 untuk pesanan B1 sudah kami terima 🙏 Sisanya "
        "Rp40.000, mohon ditransfer paling lambat besok pukul 17.00 ya. Barangnya tetap kami "
        "simpan untuk Bu Siti 😊\n"
    )
    assert indonesian.stderr == ""
    english = demo("reply dp --booking B1 --lang en", ok=True).stdout
    assert english == (
        "Thank you, Bu Siti! We've received your down payment of Rp30.000 for order B1 🙏 "
        "Please transfer the remaining Rp40.000 by tomorrow at 17:00; we're keeping the item "
        "for you 😊\n"
    )


def test_force_prints_an_untrue_reply_with_a_warning(demo):
    demo("book mike PAN-24", ok=True)
    demo("pay B1", ok=True)
    before = demo.ledger_bytes()
    forced = demo("reply remind --booking B1 --force", ok=True)
    assert forced.stdout.startswith("Halo Kak Mike, mau mengingatkan ya")
    assert "Warning: B1 is paid: 'remind' would ask for money" in forced.stderr
    assert "Printed anyway (--force)." in forced.stderr
    assert demo.ledger_bytes() == before


def test_own_templates_named_like_a_builtin_are_checked_like_it(demo):
    """A seller's own `remind` asks for money just as the built-in one does."""
    demo("book mike PAN-24", ok=True)
    demo("pay B1", ok=True)
    folder = demo.home / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "remind.id.txt").write_text("Kak, ditunggu transfernya $due ya", encoding="utf-8")
    demo.refused("reply remind --booking B1", "B1 is paid")
