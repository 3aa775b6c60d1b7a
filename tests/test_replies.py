"""Reminder messages for the two steps with a buyer who has not paid."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from olshop_cli.ledger import Ledger
from olshop_cli.replies import moment_words, reminder_text
from olshop_cli.when import shop_zone

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=shop_zone("Asia/Jakarta"))


@pytest.fixture
def booking():
    ledger = Ledger()
    ledger.add_product("PAN-24", "Wajan 24 cm", 150_000, NOW, stock=3)
    ledger.add_customer("Mike Tan", NOW, nick="Mike")
    return ledger.book("mike", ["PAN-24:2"], NOW, deadline=NOW + timedelta(hours=33))


def test_reminder_before_the_deadline_names_it(booking):
    text = reminder_text(1, booking, "Kak Mike", NOW)
    assert text.startswith("Halo Kak Mike, kami mau mengingatkan pesanan B1 (2x Wajan 24 cm)")
    assert "sebesar Rp300.000" in text
    assert "sebelum Selasa, 24 November pukul 17.00" in text
    assert text.endswith("🙏")


def test_reminder_after_the_deadline_asks_for_today(booking):
    text = reminder_text(1, booking, "Kak Mike", NOW + timedelta(days=2))
    assert "hari ini kalau masih berminat" in text and "sebelum" not in text


def test_checkin_differs_and_english(booking):
    checkin = reminder_text(2, booking, "Bu Siti", NOW, emoji=False)
    assert "apa kabar" in checkin and checkin.endswith(".") and "🙏" not in checkin
    english = reminder_text(1, booking, "Kak Mike", NOW, lang="en")
    assert "by Tuesday 24 November, 17:00" in english
    assert "how are you" in reminder_text(2, booking, "Kak Mike", NOW, lang="en")


def test_moment_words():
    assert moment_words(NOW, "id") == "Senin, 23 November pukul 08.00"
    assert moment_words(NOW, "en") == "Monday 23 November, 08:00"
