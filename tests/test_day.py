"""A whole seller's day, run as real subprocesses of the installed `olshop` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# the interface language and the catalog check reach a process started with a clean env
KEEP_ENV = ("OLSHOP_UI_LANG", "OLSHOP_I18N_MISSING")


class Day:
    def __init__(self, home: Path, cmd: str):
        self.cmd = cmd
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith("OLSHOP_") or k in KEEP_ENV
        }
        self.env.update(OLSHOP_HOME=str(home), NO_COLOR="1", OLSHOP_UI_LANG="en")
        self.transcript: list[str] = []

    def __call__(self, now: str, *args: str, code: int = 0) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [self.cmd, *args],
            env=dict(self.env, OLSHOP_NOW=now),
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.transcript.append(f"$ olshop {' '.join(args)}\n{proc.stdout}{proc.stderr}")
        assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
        assert proc.returncode == code, (args, proc.stdout, proc.stderr)
        return proc


MON_8 = "2026-11-23T08:00:00"
MON_9 = "2026-11-23T09:00:00"
TUE_18 = "2026-11-24T18:00:00"
WED_9 = "2026-11-25T09:00:00"
WED_19 = "2026-11-25T19:00:00"


def test_a_whole_day(tmp_path, olshop_cmd):
    day = Day(tmp_path / "shop", olshop_cmd)
    assert day(MON_8, "--version").stdout.startswith("olshop ")
    day(MON_8, "config", "set", "shop-name", "Dapur Mungil")
    day(MON_8, "product", "add", "PAN-24", "Wajan 24 cm", "--price", "75rb", "--stock", "3")
    day(MON_8, "product", "add", "PAN-28", "Wajan 28 cm", "--price", "80.000", "--stock", "2")
    day(MON_8, "product", "add", "OVEN-1", "Oven listrik", "--price", "1,5jt", "--stock", "1")
    prices = {
        p["sku"]: p["price"] for p in json.loads(day(MON_8, "product", "list", "--json").stdout)
    }
    assert prices == {"PAN-24": 75_000, "PAN-28": 80_000, "OVEN-1": 1_500_000}

    assert (
        day(
            MON_8, "customer", "add", "Mike Tan", "--nick", "Mike", "--phone", "0812-3456-7890"
        ).stdout
        == "mike\n"
    )
    assert (
        day(
            MON_8,
            "customer",
            "add",
            "Siti Rahmawati",
            "--call",
            "Bu",
            "--phone",
            "+62 813 1111 2222",
        ).stdout
        == "siti\n"
    )
    dup = day(MON_8, "customer", "add", "Michael", "--phone", "6281234567890", code=1)
    assert "already belongs to Mike Tan" in dup.stderr

    assert day(MON_9, "book", "mike", "PAN-24:2", "--deadline", "besok 17:00").stdout == "B1\n"
    assert day(MON_9, "book", "+62 813-1111-2222", "OVEN-1", "--deadline", "lusa").stdout == "B2\n"
    over = day(MON_9, "book", "siti", "PAN-24:2", code=1)
    assert "Only 1 of PAN-24" in over.stderr

    assert json.loads(day(MON_9, "bookings", "--overdue", "--json").stdout) == []
    late = json.loads(day(TUE_18, "bookings", "--overdue", "--json").stdout)
    assert [b["id"] for b in late] == ["B1"]

    first = day(TUE_18, "remind", "B1").stdout
    second = day(WED_9, "remind", "B1").stdout
    assert first.startswith("Halo Kak Mike") and "apa kabar" in second and first != second
    assert "next step is release" in day(WED_9, "remind", "B1", code=1).stderr

    dry = day(WED_9, "release", "--overdue", "--dry-run")
    assert "Would release B1" in dry.stderr
    assert day(WED_9, "product", "show", "PAN-24", "--json").stdout.count('"available": 1') == 1
    assert day(WED_9, "release", "--overdue").stdout == "B1\n"
    pan = json.loads(day(WED_9, "product", "show", "PAN-24", "--json").stdout)
    assert pan["available"] == 3 and pan["reserved"] == 0

    day(WED_9, "pay", "B2")
    day(WED_19, "ship", "B2", "--courier", "JNE", "--tracking", "JNE0011223344")
    today = day(WED_19, "today").stdout
    assert "Dapur Mungil" in today and "0 overdue" in today and "1 in transit" in today
    data = json.loads(day(WED_19, "today", "--json").stdout)
    assert data["counts"]["in_transit"] == 1
    assert data["in_transit"][0]["tracking"] == "JNE0011223344"
    assert [p["sku"] for p in data["sold_out"]] == ["OVEN-1"]
    oven = json.loads(day(WED_19, "product", "show", "OVEN-1", "--json").stdout)
    assert (oven["stock"], oven["available"]) == (0, 0)

    # Bad input on purpose: one sentence each, never a traceback.
    for args in (
        ["book", "nobody", "NOSKU"],
        ["pay", "B99"],
        ["product", "add", "X", "Y", "--price", "murah"],
        ["bookings", "--due-within", "sebentar"],
    ):
        err = day(WED_19, *args, code=1).stderr
        assert err.startswith("Error: ")


def test_broken_pipe_and_module_entry(tmp_path):
    env = dict(os.environ, OLSHOP_HOME=str(tmp_path / "shop"), OLSHOP_NOW=MON_8)
    proc = subprocess.run(
        [sys.executable, "-m", "olshop_cli", "demo"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        f'"{sys.executable}" -m olshop_cli bookings --all | head -1',
        shell=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.stdout.startswith("ID") and "Traceback" not in proc.stderr
    assert "failed unexpectedly" not in proc.stderr
