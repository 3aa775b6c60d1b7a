"""Batch shipping: `olshop ship --from FILE` ships all lines in one change, or nothing."""

from __future__ import annotations

import json

import pytest

from olshop_cli.cli import app


@pytest.fixture
def paid(stocked):
    """Three paid bookings (B1, B2 for Mike; B3 for Siti) and one unpaid (B4)."""
    for customer in ("mike", "mike", "siti"):
        bid = stocked(f"book {customer} SPAT-1", ok=True).stdout.strip()
        stocked(f"pay {bid}", ok=True)
    stocked("book siti SPAT-1", ok=True)
    return stocked


def _status(shop) -> dict[str, tuple]:
    rows = json.loads(shop("bookings --all --json", ok=True).stdout)
    return {b["id"]: (b["status"], b["courier"], b["tracking"]) for b in rows}


def test_ships_every_line_in_one_change(paid, tmp_path):
    batch = tmp_path / "resi.txt"
    batch.write_text("# Monday pickup\nB1 JNE JN001\n\n  b2 sicepat SC002   # second\nB3 J&T JT3\n")
    backups_before = len(json.loads(paid("backup list --json", ok=True).stdout))
    result = paid(f"ship --from {batch}", ok=True)
    assert result.stdout.split() == ["B1", "B2", "B3"]
    assert "Shipped 3 parcels." in result.stderr
    status = _status(paid)
    assert status["B1"] == ("shipped", "JNE", "JN001")
    assert status["B2"] == ("shipped", "SiCepat", "SC002")  # its usual spelling
    assert status["B3"] == ("shipped", "J&T", "JT3")
    assert status["B4"][0] == "booked"
    # One change: one backup entry, so one `undo` takes the whole batch back.
    assert len(json.loads(paid("backup list --json", ok=True).stdout)) == backups_before + 1
    paid("undo", ok=True)
    assert {s[0] for bid, s in _status(paid).items() if bid != "B4"} == {"paid"}


def test_stock_leaves_the_shelf(paid, tmp_path):
    batch = tmp_path / "resi.txt"
    batch.write_text("B1 JNE 1\nB3 JNE 3\n")
    paid(f"ship --from {batch}", ok=True)
    product = json.loads(paid("product show SPAT-1 --json", ok=True).stdout)
    assert product["stock"] == 8


def test_one_bad_line_ships_nothing_and_every_bad_line_is_named(paid, tmp_path):
    batch = tmp_path / "resi.txt"
    batch.write_text(
        "B1 JNE JN001\n"
        "B2 JNE\n"  # 2: missing tracking
        "B4 JNE X4\n"  # 3: not paid
        "B99 JNE X99\n"  # 4: unknown
        "B1 JNE again\n"  # 5: duplicate
        "B3 JNE too many words\n"  # 6
        "Bx JNE 1\n"  # 7: not an id
    )
    paid.refused(
        f"ship --from {batch}",
        "has 6 bad lines, so nothing was shipped",
        "line 2: B2 has no tracking number.",
        "line 3: B4 is not paid yet",
        "line 4: There is no booking B99.",
        "line 5: B1 is also on line 1.",
        "line 6: 'B3 JNE too many words' has 5 words",
        "line 7: 'Bx' is not a booking id.",
    )
    assert _status(paid)["B1"][0] == "paid"


def test_single_bad_line(paid, tmp_path):
    batch = tmp_path / "resi.txt"
    batch.write_text("B1 JNE 1\nB2 JNE 2\nB4 JNE 4\n")
    paid.refused(f"ship --from {batch}", "has 1 bad line, so nothing", "line 3: B4 is not paid")


def test_stdin(paid):
    result = paid.runner.invoke(app, ["ship", "--from", "-"], input="B2 POS P2\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "B2"
    assert _status(paid)["B2"] == ("shipped", "Pos Indonesia", "P2")


def test_twenty_parcels(stocked, tmp_path):
    stocked("product stock SPAT-1 +30", ok=True)
    lines = []
    for n in range(1, 21):
        bid = stocked(f"book {'mike' if n % 2 else 'siti'} SPAT-1", ok=True).stdout.strip()
        stocked(f"pay {bid}", ok=True)
        lines.append(f"{bid} JNE JN{n:04d}")
    batch = tmp_path / "resi.txt"
    batch.write_text("\n".join(lines) + "\n")
    result = stocked(f"ship --from {batch}", ok=True)
    assert len(result.stdout.split()) == 20
    assert {s[0] for s in _status(stocked).values()} == {"shipped"}


def test_print_replies_with_links(paid, tmp_path):
    paid("customer add 'Tono' --channel ig", ok=True)
    bid = paid("book tono SPAT-1", ok=True).stdout.strip()
    paid(f"pay {bid}", ok=True)
    batch = tmp_path / "resi.txt"
    batch.write_text(f"B1 JNE JN001\n{bid} JNE JN005\n")
    result = paid(f"ship --from {batch} --print-replies", ok=True)
    expected = paid("reply shipped --booking B1", ok=True).stdout.strip()
    link = paid("reply shipped --booking B1 --wa", ok=True).stdout.strip()
    out = result.stdout.splitlines()
    assert out[0] == "B1" and out[1] == bid
    assert "== B1 · Mike Tan · 0812-3456-7890 ==" in out
    assert expected in out and link in out
    assert link.startswith("https://wa.me/6281234567890?text=")
    assert f"== {bid} · Tono ==" in out
    assert "Tono has no phone number: no WhatsApp link." in result.stderr
    assert sum(line.startswith("https://wa.me/") for line in out) == 1


def test_single_ship_still_works_with_replies(paid):
    result = paid("ship B1 --courier JNE --tracking JN1 --print-replies", ok=True)
    assert "B1 shipped with JNE JN1" in result.stderr
    assert "JN1" in result.stdout and "https://wa.me/" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        "ship",
        "ship B1",
        "ship B1 --courier JNE",
        "ship --courier JNE --tracking X",
        "ship B1 --from resi.txt",
        "ship --from resi.txt --courier JNE",
    ],
)
def test_usage_errors(paid, command):
    paid.refused(command, code=2)


def test_missing_file(paid, tmp_path):
    paid.refused(f"ship --from {tmp_path / 'nope.txt'}", "Could not read", "No such file")


def test_empty_file(paid, tmp_path):
    batch = tmp_path / "resi.txt"
    batch.write_text("# nothing yet\n\n")
    paid.refused(f"ship --from {batch}", "lists no parcels")
