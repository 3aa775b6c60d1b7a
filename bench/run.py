#!/usr/bin/env python3
"""Whole-process benchmark of olshop's daily commands against a floor measured in the same run.

    python bench/run.py [--sizes 1000 10000 100000] [--rounds 7] [--work /tmp/olshop-bench]

The floor is this Python's `python -c "import typer"`. Every case runs as a fresh process
under /usr/bin/time (peak memory), in interleaved rounds (every case once per round, the
order rotated, after one untimed warm-up round), so a ratio compares runs made under the
same machine load. Reported: median wall time (min-max), the median's ratio to the floor's
median, and the median peak memory. Commands that change the ledger have the ledger put
back after every run (not timed). Ledgers are built with bench/generate.py.

If Taskwarrior (`task`) is installed, `task +OVERDUE ids` and `task add` are measured on
Taskwarrior data of the same sizes (made by ../shared/anchors/gen_data.py), as the
reference a power user would compare with.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import NOW_TEXT, generate  # noqa: E402

PY = sys.executable
OLSHOP = str(Path(PY).parent / "olshop")
TIME = "/usr/bin/time"
# The bounds, as ratios to the floor (`--scale big` allows the 1,000,000 ones).
TARGETS = {"daily": 2.0, "startup": 1.5, "month": 3.0, "history": 5.0, "doctor": 10.0,
           "archive": 30.0, "statement": 3.0}  # fmt: skip
MEMORY_MB = {"daily": 80}
# Measured as installed for a user: bytecode cached (the warm-up round writes it).
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str], env: dict, memfile: str) -> tuple[float, int, int]:
    """(wall ms, peak KB, exit code) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [TIME, "-f", "%M", "-o", memfile, *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = (time.perf_counter() - t0) * 1000
    with open(memfile) as handle:
        peak = int(handle.read().split()[-1])
    return wall, peak, proc.returncode


class Restore:
    """Put a ledger folder back as it was after a command that changed it: the manifest's
    bytes, and the data and version files as they were (hard links to the originals, which
    are never changed once written)."""

    def __init__(self, home: Path, stash: Path):
        self.home = home
        self.stash = stash
        self.main = (home / "olshop.json").read_bytes()
        self.files = {}
        # A stash left by an earlier run may hold other files under the same names: never
        # put one of those back (olshop would rightly refuse it as damaged).
        shutil.rmtree(stash, ignore_errors=True)
        for folder in ("data", "versions"):
            (stash / folder).mkdir(parents=True, exist_ok=True)
            for path in (home / folder).iterdir():
                kept = stash / folder / path.name
                if not kept.exists():
                    os.link(path, kept)
                self.files[f"{folder}/{path.name}"] = kept

    def __call__(self) -> None:
        for folder in ("data", "versions"):
            for path in (self.home / folder).iterdir():
                if f"{folder}/{path.name}" not in self.files:
                    path.unlink()
        for rel, kept in self.files.items():
            if not (self.home / rel).exists():
                os.link(kept, self.home / rel)
        (self.home / "olshop.json").write_bytes(self.main)


def pick(home: Path) -> dict:
    """Real ids to measure with: an open booking of each kind, a customer with history."""
    env = dict(BASE_ENV, OLSHOP_HOME=str(home), OLSHOP_NOW=NOW_TEXT)

    def listing(*args: str) -> list:
        out = subprocess.run([OLSHOP, *args, "--json"], env=env, capture_output=True, text=True)
        return json.loads(out.stdout)

    booked = listing("bookings", "--status", "booked")
    paid = listing("bookings", "--status", "paid")
    overdue = listing("bookings", "--overdue")
    customer = listing("customer", "show", "c1")
    return {
        "booked": booked[-1]["id"],
        "paid": paid[0]["id"],
        "overdue": next(b["id"] for b in overdue if b["reminded"] < 2),
        "phone": "+62 812-0000-0001",  # c1's number, typed as a buyer gives it
        "history": len(customer["bookings"]),
    }


STATEMENT_ROWS = 2000


def write_statement(home: Path, path: Path) -> None:
    """A BCA statement of STATEMENT_ROWS rows for the bench ledger, as the bank writes it:
    header lines, transfers in of what unpaid bookings owe (half of them, the sender's name
    in the description), others that match nothing, transfers out, pending ones, and the
    closing totals."""
    import random

    env = dict(BASE_ENV, OLSHOP_HOME=str(home), OLSHOP_NOW=NOW_TEXT)
    out = subprocess.run(
        [OLSHOP, "bookings", "--status", "booked", "--json"], env=env, capture_output=True
    )
    booked = json.loads(out.stdout)
    rnd = random.Random(13)
    day = NOW_TEXT[8:10] + "/" + NOW_TEXT[5:7]
    lines = ["No. Rekening,=,'0123456789", "Nama,=,TOKO BENCH", "Mata Uang,=,IDR", "",
             "Tanggal,Keterangan,Cabang,Jumlah,,Saldo"]  # fmt: skip
    balance = credit = debit = 0
    payers = rnd.sample(booked, min(len(booked) // 2, STATEMENT_ROWS // 2))
    for i in range(STATEMENT_ROWS):
        if i < len(payers):
            b = payers[i]
            amount, name, mark = b["owed"], b["customer_name"].upper(), "CR"
        elif i % 5 == 0:
            amount, name, mark = rnd.randrange(10_000, 500_000), "", "DB"
        else:
            amount, name, mark = rnd.randrange(10_000, 500_000) + 7, "PEMBELI LAIN", "CR"
        text = f"TRSF E-BANKING CR {day.replace('/', '')}/FTSCY/WS95051    {amount}.00{name}"
        if mark == "DB":
            text, debit, balance = "BIAYA TRANSFER", debit + amount, balance - amount
        else:
            credit, balance = credit + amount, balance + amount
        lines.append(f'\'{day},{text},\'0000,"{amount:,}.00",{mark},"{balance:,}.00"')
    lines += ["Saldo Awal,=,0.00", f'Kredit,=,"{credit:,}.00"', f'Debet,=,"{debit:,}.00"',
              f'Saldo Akhir,=,"{balance:,}.00"']  # fmt: skip
    path.write_text("\n".join(lines) + "\n")


def cases_for(size: int, home: Path, work: Path) -> list[dict]:
    env = dict(BASE_ENV, OLSHOP_HOME=str(home), OLSHOP_NOW=NOW_TEXT, NO_COLOR="1")
    restore = Restore(home, work / f"stash_{size}")
    ids = pick(home)
    statement = work / f"mutasi_{size}.csv"
    write_statement(home, statement)

    def case(name: str, *args: str, kind: str = "daily", changes: bool = False) -> dict:
        found = {"name": name, "argv": [OLSHOP, *args], "kind": kind}
        if changes:
            found["restore"] = restore
        return found

    cases = [
        case("today", "today"),
        case("bookings --overdue", "bookings", "--overdue"),
        case("book KEY", "book", "c1", "SKU-0001", changes=True),
        case("book PHONE", "book", ids["phone"], "SKU-0001", changes=True),
        case("pay", "pay", ids["booked"], changes=True),
        case("ship", "ship", ids["paid"], "--courier", "JNE", "--tracking", "JN1", changes=True),
        case("remind", "remind", ids["overdue"], changes=True),
        case("product add", "product", "add", "NEW-1", "Baru", "--price", "50rb", changes=True),
        case("product stock", "product", "stock", "SKU-0002", "+5", changes=True),
        case("reply remind --booking", "reply", "remind", "--booking", ids["booked"]),
        case("reply greet --to PHONE", "reply", "greet", "--to", ids["phone"]),
        case("show ID", "show", ids["booked"]),
        case(f"customer show KEY ({ids['history']} bookings)", "customer", "show", "c1"),
        case("bookings --customer KEY --all", "bookings", "--customer", "c1", "--all"),
        case("pack", "pack"),
        case("release --overdue --dry-run", "release", "--overdue", "--dry-run"),
        case("undo", "undo", changes=True),
        case(f"pay --from ({STATEMENT_ROWS} rows)", "pay", "--from", str(statement),
             kind="statement"),
        case(f"pay --from --apply ({STATEMENT_ROWS} rows)", "pay", "--from", str(statement),
             "--apply", kind="statement apply", changes=True),
        case("report --period month", "report", "--period", "month", kind="month"),
        case("report --period year", "report", "--period", "year", kind="history"),
        case("report --period all", "report", "--period", "all", kind="history"),
        case("doctor", "doctor", kind="doctor"),
        case("bookings --all --json", "bookings", "--all", "--json", kind="archive"),
        case("export csv bookings", "export", "--format", "csv", "--table", "bookings",
             kind="archive"),
    ]  # fmt: skip
    for found in cases:
        found["env"] = env
    return cases + taskwarrior_cases(size, work)


def taskwarrior_cases(size: int, work: Path) -> list[dict]:
    """Taskwarrior on data of the same size, when it is installed (the reference)."""
    task = shutil.which("task")
    tw = work / f"tw_{size}"
    if not (task and tw.is_dir()):
        return []
    tw_env = dict(BASE_ENV, TASKRC=str(tw / "taskrc"), TASKDATA=str(tw))
    pristine = {n: (tw / n).read_bytes() for n in ("pending.data", "undo.data", "backlog.data")
                if (tw / n).exists()}  # fmt: skip

    def restore_tw():
        for name, data in pristine.items():
            (tw / name).write_bytes(data)

    return [
        {"name": "taskwarrior +OVERDUE ids", "argv": [task, "+OVERDUE", "ids"],
         "env": tw_env, "kind": "reference"},
        {"name": "taskwarrior add", "argv": [task, "add", "Order Siti", "due:tomorrow"],
         "env": tw_env, "kind": "reference", "restore": restore_tw},
    ]  # fmt: skip


def check(home: Path, expected: dict) -> None:
    """The benchmark measures complete, correct answers: verify them once first."""
    env = dict(BASE_ENV, OLSHOP_HOME=str(home), OLSHOP_NOW=NOW_TEXT)
    out = subprocess.run(
        [OLSHOP, "bookings", "--all", "--json"], env=env, capture_output=True, text=True
    )
    assert len(json.loads(out.stdout)) == expected["bookings"], "bookings --all is incomplete"
    out = subprocess.run(
        [OLSHOP, "bookings", "--overdue", "--json"], env=env, capture_output=True, text=True
    )
    assert len(json.loads(out.stdout)) == expected["overdue"], "overdue count is wrong"
    out = subprocess.run(
        [OLSHOP, "export", "--format", "csv", "--table", "bookings"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.stdout.count("\n") == expected["bookings"] + 1, "CSV export is incomplete"


def measure(cases: list[dict], rounds: int, memfile: str) -> None:
    for case in cases:
        case.update(walls=[], peaks=[])
    for round_no in range(rounds + 1):  # round 0 is the warm-up
        shift = round_no % len(cases)
        for case in cases[shift:] + cases[:shift]:
            wall, peak, code = run_once(case["argv"], case["env"], memfile)
            if code != 0:
                raise SystemExit(f"{case['name']} failed with exit code {code}")
            if round_no:
                case["walls"].append(wall)
                case["peaks"].append(peak)
            if case.get("restore"):
                case["restore"]()


def report(title: str, cases: list[dict], floor_ms: float, big: bool = False) -> list[str]:
    lines = [f"\n{title}", "| command | median ms (min-max) | x floor | target | peak MB |",
             "|---|---|---|---|---|"]  # fmt: skip
    for case in cases:
        median = statistics.median(case["walls"])
        ratio = median / floor_ms
        target = TARGETS.get(case["kind"])
        memory = MEMORY_MB.get(case["kind"])
        if big and case["kind"] == "daily":  # the bounds at 1,000,000 bookings
            target, memory = 2.5, 120
        peak = statistics.median(case["peaks"]) / 1024
        missed = (target and ratio > target) or (memory and peak > memory)
        verdict = f"<= {target:g}x" + (f", {memory} MB" if memory else "") if target else "-"
        verdict += (" MISSED" if missed else " ok") if target else ""
        lines.append(
            f"| `{case['name']}` | {median:.0f} ({min(case['walls']):.0f}-"
            f"{max(case['walls']):.0f}) | {ratio:.2f} | {verdict} | {peak:.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "olshop-bench")
    args = parser.parse_args()
    if not Path(TIME).exists():
        raise SystemExit("needs /usr/bin/time (Debian: apt-get install time)")
    args.work.mkdir(parents=True, exist_ok=True)
    memfile = str(args.work / "peak.txt")
    anchors = HERE.parent.parent / "shared" / "anchors" / "gen_data.py"
    if shutil.which("task") and anchors.exists():
        subprocess.run([PY, str(anchors), str(args.work), *map(str, args.sizes)],
                       check=True, capture_output=True)  # fmt: skip

    floor = {"name": "python -c 'import typer' (floor)", "argv": [PY, "-c", "import typer"],
             "env": dict(BASE_ENV), "kind": None}  # fmt: skip
    small = args.work / "olshop_small"
    if not (small / "olshop.json").exists():
        generate(100, small, quiet=True)
    small_env = dict(BASE_ENV, OLSHOP_HOME=str(small), OLSHOP_NOW=NOW_TEXT)
    startup = [
        {"name": "olshop --version", "argv": [OLSHOP, "--version"], "env": small_env,
         "kind": "startup"},
        {"name": "olshop reply greet", "argv": [OLSHOP, "reply", "greet"], "env": small_env,
         "kind": "startup"},
        {"name": "olshop --help", "argv": [OLSHOP, "--help"], "env": small_env,
         "kind": "startup"},
        {"name": "olshop book --help", "argv": [OLSHOP, "book", "--help"], "env": small_env,
         "kind": "startup"},
    ]  # fmt: skip
    measure([floor, *startup], max(args.rounds, 11), memfile)
    floor_ms = statistics.median(floor["walls"])
    out = [
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"floor (import typer) median {floor_ms:.0f} ms",
        *report("start-up (small ledger)", [floor, *startup], floor_ms),
    ]
    for size in args.sizes:
        home = args.work / f"olshop_{size}"
        if not (home / "olshop.json").exists():
            print(f"generating {size} bookings in {home}...", file=sys.stderr)
            expected = generate(size, home, quiet=True)
            (home.parent / f"olshop_{size}.expected.json").write_text(json.dumps(expected))
        expected = json.loads((home.parent / f"olshop_{size}.expected.json").read_text())
        check(home, expected)
        floor_here = dict(floor)
        cases = [floor_here, *cases_for(size, home, args.work)]
        measure(cases, args.rounds, memfile)
        size_floor = statistics.median(floor_here["walls"])
        out += report(
            f"{size:,} bookings ({expected['open']} open, {expected['overdue']} overdue, "
            f"{expected['customers']} customers, {expected['products']} products)",
            cases,
            size_floor,
            big=size >= 1_000_000,
        )
    print("\n".join(out))


if __name__ == "__main__":
    main()
