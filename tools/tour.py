"""Run the tours in a Markdown file and paste their real output (development only).

    python tools/tour.py update README.md docs/guide.md    run every tour, rewrite its output
    python tools/tour.py check README.md                   exit 1 if an output is not true

A tour is every ```console block of the file, in order, run in one fresh shop: each
`$ command` line runs in bash (so `# comments` after it are fine) and the lines after it,
up to the next `$`, are what it printed (stdout and stderr, as a terminal shows them).
`$ export NAME=value` sets a variable for the commands after it (the clock: OLSHOP_NOW).
A comment line `<!-- tour: command -->` outside the blocks runs a command without showing
it (writing a bank statement file, say); `<!-- tour-env: NAME=value ... -->` sets the
variables the run starts with (OLSHOP_NOW, COLUMNS, OLSHOP_UI_LANG).

Each run has its own shop folder, shown as ~/toko, and `olshop` is this checkout's
(`python -m olshop_cli` with src/ first), whatever is installed.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = "```console"
HIDDEN = re.compile(r"<!-- tour: (.*?) -->")
START_ENV = re.compile(r"<!-- tour-env: (.*?) -->")
SHOWN_HOME = "~/toko"


def _olshop_bin(folder: Path) -> Path:
    """A folder holding an `olshop` that runs this checkout with this Python."""
    binary = folder / "bin"
    binary.mkdir()
    script = binary / "olshop"
    script.write_text(
        f"#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT / 'src'))} "
        f'exec {shlex.quote(sys.executable)} -m olshop_cli "$@"\n'
    )
    script.chmod(0o755)
    return binary


def run(text: str) -> str:
    """`text` with every tour output replaced by what its commands print now."""
    with tempfile.TemporaryDirectory(prefix="olshop-tour-") as tmp:
        folder = Path(tmp)
        home = folder / "toko"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("OLSHOP_") or key == "OLSHOP_I18N_MISSING"
        }
        env.update(
            {
                "PATH": f"{_olshop_bin(folder)}{os.pathsep}{env.get('PATH', '')}",
                "OLSHOP_HOME": str(home),
                "COLUMNS": "100",
                "TERM": "dumb",
                "NO_COLOR": "1",
                "HOME": str(folder),
            }
        )
        found = START_ENV.search(text)
        if found:
            env.update(dict(item.split("=", 1) for item in shlex.split(found.group(1))))
        out: list[str] = []
        lines = text.split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            hidden = HIDDEN.fullmatch(line.strip())
            if hidden:
                _shell(hidden.group(1), env, folder, home)
            out.append(line)
            i += 1
            if line.strip() != FENCE:
                continue
            while i < len(lines) and lines[i].strip() != "```":
                command = lines[i]
                i += 1
                if not command.startswith("$ "):
                    continue  # an old output line: made anew below
                if out[-1] != FENCE:
                    out.append("")
                out.append(command)
                words = command[2:]
                if words.startswith("export "):
                    name, _, value = words[len("export ") :].partition("=")
                    env[name.strip()] = shlex.split(value)[0] if value.strip() else ""
                    continue
                printed = _shell(words, env, folder, home)
                out.extend(printed)
        return "\n".join(out)


def _shell(command: str, env: dict[str, str], folder: Path, home: Path) -> list[str]:
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    printed = done.stdout.replace(str(home), SHOWN_HOME).replace(str(folder), "~")
    return [line.rstrip() for line in printed.rstrip("\n").split("\n")] if printed else []


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("update", "check"):
        print(__doc__)
        return 2
    stale = []
    for name in argv[1:]:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        fresh = run(text)
        if fresh != text:
            if argv[0] == "update":
                path.write_text(fresh, encoding="utf-8")
                print(f"{name}: tour output rewritten")
            else:
                stale.append(name)
    for name in stale:
        print(
            f"{name}: its tour output is not what the commands print now "
            f"(python tools/tour.py update {name})"
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
