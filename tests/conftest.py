"""Every test gets its own empty ledger folder and a fixed clock."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

# Every message a command asks the catalog for while the suite runs (in-process or in a
# subprocess, whatever its language) is checked against the Indonesian catalog; one that is
# missing is written to this file, and the session fails at its end (pytest_sessionfinish).
# Set before olshop is imported: i18n reads it once.
if not os.environ.get("OLSHOP_I18N_MISSING"):
    import tempfile

    _fd, _missing = tempfile.mkstemp(prefix="olshop-i18n-missing-", suffix=".txt")
    os.close(_fd)
    os.environ["OLSHOP_I18N_MISSING"] = _missing

from typer.testing import CliRunner  # noqa: E402

from olshop_cli.cli import app  # noqa: E402

MONDAY_8AM = "2026-11-23T08:00:00+07:00"


@pytest.fixture(autouse=True)
def shop_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "shop"
    monkeypatch.setenv("OLSHOP_HOME", str(home))
    monkeypatch.setenv("OLSHOP_NOW", MONDAY_8AM)
    monkeypatch.setenv("OLSHOP_LOCK_TIMEOUT", "2")
    # The seller's interface in English unless a test asks for Indonesian (ui-lang tests).
    monkeypatch.setenv("OLSHOP_UI_LANG", "en")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("OLSHOP_DEBUG", raising=False)
    # A rule called outside a command (a test of orderform, say) reads the language as a
    # command would: not whatever the test before it left chosen.
    from olshop_cli import i18n

    i18n.use(None)
    return home


class Shop:
    """Runs `olshop` in-process through CliRunner, stdout and stderr kept apart."""

    def __init__(self, home: Path, monkeypatch):
        self.home = home
        self.monkeypatch = monkeypatch
        self.runner = CliRunner()

    def __call__(self, command: str | list[str], now: str | None = None, ok: bool | None = None):
        args = shlex.split(command) if isinstance(command, str) else command
        if now is not None:
            self.monkeypatch.setenv("OLSHOP_NOW", now)
        result = self.runner.invoke(app, args, catch_exceptions=False)
        assert "Traceback" not in result.stderr, result.stderr
        if ok is True:
            assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def refused(self, command, *expected: str, code: int = 1):
        """Run a command that must be refused and prove it: the exit code, every expected
        phrase on stderr, nothing on stdout, and not one byte of the ledger changed."""
        before = self.ledger_bytes()
        result = self(command)
        assert result.exit_code == code, (command, result.stdout, result.stderr)
        assert result.stdout == "", result.stdout
        if code == 1:
            assert result.stderr.startswith("Error: "), result.stderr
        for phrase in expected:
            assert phrase in result.stderr, (phrase, result.stderr)
        assert self.ledger_bytes() == before, f"{command!r} changed the ledger"
        return result

    def ledger_bytes(self) -> dict[str, bytes]:
        """Every ledger file's bytes, to prove a refusal changed nothing."""
        return {
            str(p.relative_to(self.home)): p.read_bytes() for p in sorted(self.home.rglob("*.json"))
        }

    def set_now(self, now: str) -> None:
        self.monkeypatch.setenv("OLSHOP_NOW", now)


@pytest.fixture
def shop(shop_home, monkeypatch) -> Shop:
    return Shop(shop_home, monkeypatch)


@pytest.fixture
def stocked(shop) -> Shop:
    """A shop with two products and two customers, nothing booked yet."""
    shop('product add PAN-24 "Wajan 24 cm" --price 150rb --stock 3 --related SPAT-1', ok=True)
    shop('product add SPAT-1 "Spatula silikon" --price 35.000 --stock 10', ok=True)
    shop('customer add "Mike Tan" --nick Mike --phone 0812-3456-7890 --channel wa', ok=True)
    shop('customer add "Siti Rahmawati" --call Bu --phone "+62 813 1111 2222"', ok=True)
    return shop


@pytest.fixture(scope="session")
def olshop_cmd() -> str:
    """The installed `olshop` command beside this Python (or on PATH)."""
    beside = Path(sys.executable).parent / ("olshop.exe" if os.name == "nt" else "olshop")
    found = str(beside) if beside.exists() else shutil.which("olshop")
    if not found:
        pytest.skip("the olshop command is not installed")
    return found


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a message printed by any command is missing from the catalog."""
    path = Path(os.environ["OLSHOP_I18N_MISSING"])
    try:
        missing = sorted(set(path.read_text(encoding="utf-8").splitlines()))
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)
    if missing:
        shown = "\n  ".join(missing[:40])
        sys.stderr.write(
            f"\n{len(missing)} message(s) printed but missing from the Indonesian catalog "
            f"(wrap them and run python tools/catalog.py update):\n  {shown}\n"
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
