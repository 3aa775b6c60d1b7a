"""Time the same commands under two checkouts of olshop, interleaved, each as a fresh
process, with the floor (`python -c "import typer"`) in the same rounds (development only).

    python bench/compare.py --rounds 11 OLD_SRC OLD_HOME NEW_SRC NEW_HOME -- CMD ... -- CMD ...

OLD_SRC and NEW_SRC are `src/` folders (a git worktree of the older commit, this checkout);
each reads its own copy of the ledger (a version written by the newer code may not be read
by the older). Prints medians and min-max in milliseconds, as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("old_src")
    parser.add_argument("old_home")
    parser.add_argument("new_src")
    parser.add_argument("new_home")
    parser.add_argument("commands", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    commands: list[list[str]] = []
    for word in args.commands:  # argparse may have taken the first "--" itself
        if word == "--":
            commands.append([])
        elif commands:
            commands[-1].append(word)
        else:
            commands.append([word])
    commands = [c for c in commands if c]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("OLSHOP_UI_LANG", "en")
    cases: dict[str, tuple[list[str], dict[str, str]]] = {
        "floor": ([sys.executable, "-c", "import typer"], env)
    }
    for label, src, home in (
        ("old", args.old_src, args.old_home),
        ("new", args.new_src, args.new_home),
    ):
        for command in commands:
            cases[f"{label} {' '.join(command)}"] = (
                [sys.executable, "-m", "olshop_cli", *command],
                {**env, "PYTHONPATH": src, "OLSHOP_HOME": home},
            )
    times: dict[str, list[float]] = {name: [] for name in cases}
    for round_ in range(args.rounds + 1):  # the first round warms the caches up
        for name, (argv, case_env) in cases.items():
            start = time.perf_counter()
            done = subprocess.run(argv, env=case_env, capture_output=True, check=False)
            took = (time.perf_counter() - start) * 1000
            if done.returncode != 0:
                sys.exit(f"{name} failed: {done.stderr.decode()[-300:]}")
            if round_:
                times[name].append(took)
    floor = statistics.median(times["floor"])
    print("| command | median ms (min-max) | x floor |\n|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        spread = f"{min(values):.0f}-{max(values):.0f}"
        print(f"| `{name}` | {median:.0f} ({spread}) | {median / floor:.2f} |")


if __name__ == "__main__":
    main()
