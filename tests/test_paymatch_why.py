"""paymatch's whys are kept in English (--json, the ledger) and shown in the seller's
language: `shown_why` reads each back to its msgid and its values."""

from __future__ import annotations

import pytest

from olshop_cli import paymatch

VALUES = {
    "count": "3",
    "code": "123",
    "line": "7",
    "id": "B12",
    "owed": "Rp150.123",
    "day": "01/12",
    "name": "Mike Tan: the one (Kak)",
    "hint": "B9 Siti owes Rp99.000: the kode unik left off?",
}


def _marked(monkeypatch) -> None:
    """`_` of paymatch shows which msgid it was given."""
    monkeypatch.setattr(paymatch, "_", lambda msgid: "<" + msgid + ">")


@pytest.mark.parametrize("msgid", paymatch._WHYS)
def test_every_why_is_shown_as_itself_in_english(msgid):
    english = msgid.format(**VALUES)
    assert paymatch.shown_why(english) == english


@pytest.mark.parametrize("msgid", paymatch._WHYS)
def test_every_why_is_read_back_to_its_own_msgid(msgid, monkeypatch):
    _marked(monkeypatch)
    english = msgid.format(**VALUES)
    values = dict(VALUES, hint="<{id} {name} owes {owed}: the kode unik left off?>")
    values["hint"] = values["hint"].format(id="B9", name="Siti", owed="Rp99.000")
    assert paymatch.shown_why(english) == ("<" + msgid + ">").format(**values)


def test_a_why_it_does_not_know_is_shown_as_it_is(monkeypatch):
    _marked(monkeypatch)
    assert paymatch.shown_why("something an older olshop kept") == (
        "something an older olshop kept"
    )
    assert paymatch.shown_kind("ambiguous") == "<ambiguous>"
    assert paymatch.shown_kind("odd") == "odd"


def test_the_dp_notice_is_found_whatever_its_amounts():
    notice = (
        "B12 is held by its DP (Rp50.000, the shop's minimum is Rp50.000): it will not go "
        "overdue. When the balance of Rp100.000 is due, say so: olshop extend B12 --to "
        "'20 Des 17:00'"
    )
    assert paymatch._held_notice("B12").fullmatch(notice)
    assert not paymatch._held_notice("B1").fullmatch(notice)
