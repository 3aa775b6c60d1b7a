"""Real processes: killed mid-write, and four of them booking at once.

The figures these tests print (run pytest with -s) are the ones in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from olshop_cli.cli import app

# the interface language and the catalog check reach a process started with a clean env
KEEP_ENV = ("OLSHOP_UI_LANG", "OLSHOP_I18N_MISSING")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OLSHOP_") or k in KEEP_ENV}
    env.update(OLSHOP_HOME=str(home), OLSHOP_NOW="2026-11-23T08:00:00", OLSHOP_LOCK_TIMEOUT="30")
    return env


def _run(cmd: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([cmd, *args], env=env, capture_output=True, text=True, timeout=60)


def _json(cmd: str, env: dict, *args: str):
    proc = _run(cmd, env, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _state(home: Path, env: dict) -> dict:
    """The whole ledger as `olshop export` gives it (in-process: fast), without the moment."""
    result = CliRunner().invoke(
        app, ["export"], env={**env, "OLSHOP_HOME": str(home)}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    data.pop("exported_at", None)
    return data


def _expected_from(state: dict) -> tuple[set[str], dict[str, str], list[str]]:
    """The bookkeeping, started afresh from a state proven right: the buyers, every
    booking's status, and the open bookings still to cancel."""
    customers = {c["key"] for c in state["customers"] if c["key"].startswith("buyer-")}
    bookings = {b["id"]: b["status"] for b in state["bookings"]}
    return customers, bookings, [bid for bid, status in bookings.items() if status == "booked"]


def _restore_target(home: Path) -> str:
    """Two versions back: history[-2] of the manifest (ENGINE.md's olshop.json)."""
    history = json.loads((home / "olshop.json").read_bytes())["history"]
    return str(history[-2 if len(history) > 1 else -1]["version"])


# Among the changes, every 16: undo, release --overdue, backup restore N (in place of a book).
SPECIALS = {5: "undo", 9: "release", 13: "restore"}
START = datetime(2026, 11, 23, 8, 0)


def test_killed_mid_write_loses_nothing_acknowledged(tmp_path, olshop_cmd):
    home = tmp_path / "shop"
    cmd, env = olshop_cmd, _env(home)
    for args in (
        ["product", "add", "SPAT-1", "Spatula", "--price", "35rb", "--stock", "100000"],
        ["customer", "add", "Mike Tan", "--nick", "Mike"],
    ):
        assert _run(cmd, env, *args).returncode == 0
    rng = random.Random(20261123)
    # How long a change takes here, so that kills land anywhere from start-up to the write.
    started = time.perf_counter()
    _run(cmd, env, "customer", "add", "Timing", "--key", "timing")
    typical = time.perf_counter() - started
    acked_customers: set[str] = set()
    acked_bookings: dict[str, str] = {}  # id -> status it must have
    booked: list[str] = []
    killed = survived = i = 0
    specials = 0
    while i < 200 or (killed < 55 and i < 400):
        i += 1
        # Half an hour a change: unpaid bookings pass their 24h deadline 48 changes later.
        env["OLSHOP_NOW"] = (START + timedelta(minutes=30 * i)).isoformat(timespec="seconds")
        kind = i % 4
        special = SPECIALS.get(i % 16)
        if special:
            args = {
                "undo": ["undo"],
                "release": ["release", "--overdue"],
                "restore": ["backup", "restore", _restore_target(home)],
            }[special]
        elif kind == 0:
            args = ["customer", "add", f"Buyer {i}", "--key", f"buyer-{i}"]
        elif kind == 3 and booked:
            target = booked.pop(0)
            args = ["cancel", target]
        else:
            args = ["book", "mike", "SPAT-1:2"]
        if special:
            before = _state(home, env)
            copy = tmp_path / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(home, copy, symlinks=True)
        proc = subprocess.Popen(
            [cmd, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if rng.random() < 0.45:
            time.sleep(rng.uniform(0.1, 1.0) * typical)
            proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err
        if special:
            # Acknowledged or killed, the ledger is the one before or the one after: the
            # same command, not killed, on a copy taken just before. The bookkeeping starts
            # afresh from it (after an undo or a restore, what was undone is not expected).
            specials += 1
            if proc.returncode == 0:
                survived += 1
            else:
                assert proc.returncode == -signal.SIGKILL, err
                killed += 1
            after = _state(home, env)
            if proc.returncode == 0 or after != before:
                result = CliRunner().invoke(
                    app, args, env={**env, "OLSHOP_HOME": str(copy)}, catch_exceptions=False
                )
                assert result.exit_code == 0, result.stderr
                assert after == _state(copy, env), (args, proc.returncode)
            acked_customers, acked_bookings, booked = _expected_from(after)
            continue
        if proc.returncode == 1 and args[0] == "cancel" and "is cancelled" in err:
            continue  # an earlier, killed try did get through: fine, it was not acknowledged
        if proc.returncode != 0:
            assert proc.returncode == -signal.SIGKILL, err
            killed += 1
            if args[0] == "cancel":
                booked.insert(0, args[1])  # may or may not have happened: try again
            continue
        survived += 1
        if args[0] == "customer":
            acked_customers.add(f"buyer-{i}")
        elif args[0] == "book":
            acked_bookings[out.strip()] = "booked"
            booked.append(out.strip())
        else:
            acked_bookings[args[1]] = "cancelled"
    print(
        f"\ncrash test: {i} changes ({specials} undo, release or restore), "
        f"{killed} killed mid-run, {survived} acknowledged"
    )
    assert killed >= 50

    keys = {c["key"] for c in _json(cmd, env, "customer", "list")}
    assert acked_customers <= keys
    statuses = {b["id"]: b["status"] for b in _json(cmd, env, "bookings", "--all")}
    for bid, status in acked_bookings.items():
        assert bid in statuses
        if status in ("cancelled", "released"):  # closed: only an undo or restore reopens
            assert statuses[bid] == status
    product = _json(cmd, env, "product", "show", "SPAT-1")
    open_qty = 2 * sum(1 for s in statuses.values() if s == "booked")
    assert product["reserved"] == open_qty and product["stock"] == 100000
    doctor = _run(cmd, env, "doctor", "--fix")
    assert "problem:" not in doctor.stdout, doctor.stdout
    assert not list((tmp_path / "shop").rglob(".*.tmp"))


def test_four_writers_never_oversell(tmp_path, olshop_cmd):
    cmd, env = olshop_cmd, _env(tmp_path / "shop")
    assert _run(cmd, env, "product", "add", "PAN-24", "Wajan", "--price", "150rb",
                "--stock", "120").returncode == 0  # fmt: skip
    for n in range(4):
        assert _run(cmd, env, "customer", "add", f"Writer {n}", "--key", f"w{n}").returncode == 0
    results: list[tuple[int, int, str, str]] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for _ in range(50):
            proc = _run(cmd, env, "book", f"w{n}", "PAN-24")
            with lock:
                results.append((n, proc.returncode, proc.stdout.strip(), proc.stderr))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ok = [r for r in results if r[1] == 0]
    refused = [r for r in results if r[1] != 0]
    print(f"\nconcurrency: 4 writers x 50 bookings, {len(ok)} booked, {len(refused)} refused")
    assert len(results) == 200 and len(ok) == 120
    assert all(r[1] == 1 and "Only 0 of PAN-24" in r[3] for r in refused)
    ids = [r[2] for r in ok]
    assert len(set(ids)) == 120
    stored = _json(cmd, env, "bookings", "--all")
    assert sorted(b["id"] for b in stored) == sorted(ids)
    by_writer = {f"w{n}": sum(1 for r in ok if r[0] == n) for n in range(4)}
    for key, count in by_writer.items():
        assert sum(1 for b in stored if b["customer"] == key) == count
    product = _json(cmd, env, "product", "show", "PAN-24")
    assert (product["stock"], product["reserved"], product["available"]) == (120, 120, 0)
