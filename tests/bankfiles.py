"""Bank statements written as the banks write them, and a process that kills itself at
the k-th call of an os function: shared by the statement, matching and engine tests."""

from __future__ import annotations


def trsf(day: str, rupiah: int, name: str) -> str:
    """A BCA e-banking transfer's description: `TRSF E-BANKING CR 0112/FTSCY/WS95031 ...`."""
    ddmm = day.replace("/", "")
    return f"TRSF E-BANKING CR {ddmm}/FTSCY/WS95031         {rupiah}.00{name}"


def bca(rows, *, period: str | None = None, account: str = "0123456789") -> str:
    """A KlikBCA statement of rows (DD/MM or PEND, description, rupiah, CR|DB), its balance
    and closing totals worked out as BCA does (a pending row counted in the balance)."""
    lines = [f"No. Rekening,=,'{account}", "Nama,=,TOKO MAJU JAYA"]
    if period:
        lines.append(f"Periode,=,{period}")
    lines += ["Mata Uang,=,IDR", "", "Tanggal,Keterangan,Cabang,Jumlah,,Saldo"]
    start = balance = 1_500_000
    credit = debit = 0
    for day, description, rupiah, mark in rows:
        if mark == "CR":
            balance, credit = balance + rupiah, credit + rupiah
        else:
            balance, debit = balance - rupiah, debit + rupiah
        lines.append(f'\'{day},{description},\'0000,"{rupiah:,}.00",{mark},"{balance:,}.00"')
    lines += [
        f'Saldo Awal,=,"{start:,}.00"',
        f'Kredit,=,"{credit:,}.00"',
        f'Debet,=,"{debit:,}.00"',
        f'Saldo Akhir,=,"{balance:,}.00"',
    ]
    return "\n".join(lines) + "\n"


# The k-th call of any of os.<names> (comma-separated; "unlink" also wraps os.remove) kills
# the process: just before the real call, or just after it returned (or raised). At exit
# (not killed) it says how many calls there were.
KILLER = r"""
import atexit, os, signal, sys

names, when, k = sys.argv[1].split(","), sys.argv[2], int(sys.argv[3])
calls = [0]

def wrap(real):
    def wrapper(*args, **kwargs):
        calls[0] += 1
        mine = calls[0]
        if mine == k and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        try:
            return real(*args, **kwargs)
        finally:
            if mine == k and when == "after":
                os.kill(os.getpid(), signal.SIGKILL)
    return wrapper

for name in names:
    for alias in {"unlink": ("unlink", "remove")}.get(name, (name,)):
        setattr(os, alias, wrap(getattr(os, alias)))
atexit.register(lambda: sys.stderr.write(f"\n[killer: {calls[0]} calls]\n"))
sys.argv = ["olshop", *sys.argv[4:]]
from olshop_cli.cli import main
main()
"""
