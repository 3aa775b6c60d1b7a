"""Bank statements (mutasi) as the banks give them, read into incoming transfers.

BCA's internet-banking CSV (its header lines, the `Tanggal,Keterangan,Cabang,Jumlah,,Saldo`
row, `'DD/MM` dates or `PEND`, `CR`/`DB` beside or inside the amount, its closing totals),
Mandiri's and BRI's CSV exports, or any CSV with a header whose columns the seller names.
The file is read as a stream (a line at a time, never more than one line in memory besides
the incoming transfers kept), completely or not at all: anything that is not what the bank
writes is refused with the line and what was expected there. Nothing here touches the
ledger; `paymatch` decides which booking each transfer pays.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from olshop_cli.errors import InputError
from olshop_cli.i18n import N_, _
from olshop_cli.money import format_money

BANKS = ("bca", "mandiri", "bri", "csv")
MAX_LINE = 1 << 20  # characters: no statement line is longer; a longer one is not a statement
MAX_TRANSFERS = 50_000  # incoming transfers in one file (a busy shop has ~50 a day)
SNIFF_LINES = 40  # the header row is looked for in the first lines
DOWNLOAD_AGAIN = N_("Download the statement again from the bank and read that file.")


class StatementError(InputError):
    """A file that is not a statement olshop can read completely: nothing is recorded."""


@dataclass
class Transfer:
    """One incoming transfer (a credit) of a statement."""

    line: int  # where it starts in the file
    day: date | None  # None: pending (BCA's PEND), not booked by the bank yet
    time: str | None  # "HH:MM:SS" when the bank gives one
    cents: int  # the amount in hundredths of a rupiah
    description: str  # as the bank wrote it, spaces tidied
    ref: str | None = None  # the bank's own reference, where it gives one
    key: str = ""  # a digest naming this row: the same row of a later file has the same one

    @property
    def pending(self) -> bool:
        return self.day is None

    @property
    def shown(self) -> str:
        """The amount as the seller reads it: Rp150.000, or Rp99.000,50 with cents."""
        return cents_text(self.cents)

    @property
    def amount(self) -> int | None:
        """Whole rupiah (None for an amount with cents, which no booking owes)."""
        whole, cents = divmod(self.cents, 100)
        return None if cents else whole


def cents_text(cents: int) -> str:
    """Rp150.000, or Rp99.000,50 for an amount with cents."""
    whole, rest = divmod(cents, 100)
    return format_money(whole) + (f",{rest:02d}" if rest else "")


@dataclass
class Statement:
    bank: str
    path: str
    account: str | None = None
    period: tuple[date, date] | None = None
    transfers: list[Transfer] = field(default_factory=list)  # credits, in file order
    debits: int = 0  # how many outgoing rows (never applied, not kept)
    lines: int = 0

    @property
    def first_day(self) -> date | None:
        days = [t.day for t in self.transfers if t.day]
        return min(days) if days else None

    @property
    def last_day(self) -> date | None:
        days = [t.day for t in self.transfers if t.day]
        return max(days) if days else None


@dataclass(frozen=True)
class Mapping:
    """Which columns of a CSV hold what (header names or 1-based numbers)."""

    date: str | None = None
    amount: str | None = None
    description: str | None = None
    credit: str | None = None
    ref: str | None = None

    @property
    def given(self) -> bool:
        return any((self.date, self.amount, self.description, self.credit, self.ref))


# ----- amounts and dates as banks write them ----------------------------------------------

_MARKER = re.compile(r"\s*\b(CR|DB|DR|KREDIT|DEBET|DEBIT|CREDIT)\.?$")
_CREDIT_MARKS = {"CR": True, "KREDIT": True, "CREDIT": True, "K": True, "C": True}
_DEBIT_MARKS = {"DB": False, "DR": False, "DEBET": False, "DEBIT": False, "D": False}
MARKS = {**_CREDIT_MARKS, **_DEBIT_MARKS}


_PLAIN = re.compile(r"(\d{1,3}(?:,\d{3})+|\d*)\.(\d\d)")  # 150,000.00  150000.00  .00
_NUMBER = re.compile(r"[0-9.,]+")
_DIGIT = re.compile(r"[0-9]")
_SEPARATOR = re.compile(r"[.,]")


def parse_amount(text: str) -> tuple[int, bool | None]:
    """A bank's amount as (cents, credit?): `150,000.00` (0, None: no mark), `100,000.00 CR`,
    `1.500.000,00`, `.00`, `-25000`, `Rp 150.000`. The last separator before one or two
    digits is the decimal mark; before three, a thousands separator. Raises ValueError."""
    raw = text.strip()
    if m := _PLAIN.fullmatch(raw):  # as most banks write amounts: the fast way
        return int(m[1].replace(",", "") or "0") * 100 + int(m[2]), None
    raw = raw.upper().replace("\u00a0", " ")
    credit: bool | None = None
    if raw.endswith((",-", ".-")):  # Rp150.000,-
        raw = raw[:-2]
    if m := _MARKER.search(raw):
        credit = MARKS[m[1]]
        raw = raw[: m.start()].strip()
    negative = raw.startswith("-") or (raw.startswith("(") and raw.endswith(")"))
    raw = raw.strip("()").lstrip("-+").strip()
    for prefix in ("RP.", "RP", "IDR"):
        if raw.startswith(prefix):
            raw = raw[len(prefix) :].strip()
    raw = raw.replace(" ", "")
    if not raw or not _NUMBER.fullmatch(raw) or not _DIGIT.search(raw):
        raise ValueError(text)
    whole, fraction = raw, ""
    last = max(raw.rfind("."), raw.rfind(","))
    if last >= 0 and len(raw) - last - 1 in (1, 2):
        whole, fraction = raw[:last], raw[last + 1 :]
    if whole:
        separators = set(_DIGIT.sub("", whole))
        if len(separators) > 1 or (fraction and raw[last] in separators):
            raise ValueError(text)
        if separators:
            groups = _SEPARATOR.split(whole)
            if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
                raise ValueError(text)
    digits = _SEPARATOR.sub("", whole) or "0"
    if len(digits) > 15:
        raise ValueError(text)
    cents = int(digits) * 100 + int((fraction + "0")[:2] if fraction else "0")
    if negative:
        if credit is True:
            raise ValueError(text)
        credit = False
    return cents, credit


MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2,
    "peb": 2, "pebruari": 2, "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4,
    "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7,
    "agu": 8, "agt": 8, "ags": 8, "agus": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oct": 10, "oktober": 10,
    "october": 10, "nov": 11, "nop": 11, "november": 11, "nopember": 11, "des": 12,
    "dec": 12, "desember": 12, "december": 12,
}  # fmt: skip
_TIME = r"(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*(?:WIB|WITA|WIT))?)?"
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?" + _TIME)
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_NAMED = re.compile(r"(\d{1,2})[ -]+([A-Za-z]+)\.?[ -]+(\d{2}|\d{4})" + _TIME)
PENDING = "PEND"


def parse_date(
    text: str, today: date, period: tuple[date, date] | None = None
) -> tuple[date, str | None] | None:
    """A bank's date (and time, when it gives one): `'01/12` (the year inferred: within the
    statement's period, else the latest such day not after today), `01/12/2026`, `01/12/26`,
    `2026-12-01 09:30:00`, `01 Des 2026`, `03 August 2026 11:27:10`. None for PEND.
    Raises ValueError."""
    raw = text.strip().lstrip("'").strip()
    if raw.upper().lstrip("'") == PENDING:
        return None
    year: int | None
    if m := _YMD.fullmatch(raw):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        clock = m.group(4, 5, 6)
    elif m := _DMY.fullmatch(raw):
        day, month = int(m[1]), int(m[2])
        year = None if m[3] is None else int(m[3])
        clock = m.group(4, 5, 6)
    elif (m := _NAMED.fullmatch(raw)) and m[2].lower() in MONTHS:
        day, month, year = int(m[1]), MONTHS[m[2].lower()], int(m[3])
        clock = m.group(4, 5, 6)
    else:
        raise ValueError(text)
    if year is not None and year < 100:
        year += 2000
    if year is None:
        found = _infer_year(day, month, today, period)
    else:
        found = date(year, month, day)  # ValueError for 31/02
    time = None
    if clock[0] is not None:
        hour, minute, second = int(clock[0]), int(clock[1]), int(clock[2] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(text)
        time = f"{hour:02d}:{minute:02d}:{second:02d}"
    return found, time


def _infer_year(day: int, month: int, today: date, period: tuple[date, date] | None) -> date:
    if period is not None:
        for year in range(period[0].year, period[1].year + 1):
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            if period[0] <= found <= period[1]:
                return found
    for year in (today.year, today.year - 1):
        try:
            found = date(year, month, day)
        except ValueError:  # 29/02 of a year without one: the year before may have it
            continue
        if found <= today:
            return found
    raise ValueError(f"{day:02d}/{month:02d}")


# ----- layouts --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A bank's CSV by its header row: the names (lower case) of the columns of each role.
    `marker`: the amount's CR/DB is in the unnamed column after it (or in its own cell)."""

    bank: str
    name: str
    required: tuple[str, ...]
    date: tuple[str, ...]
    description: tuple[str, ...]
    amount: tuple[str, ...] = ()
    credit: tuple[str, ...] = ()
    debit: tuple[str, ...] = ()
    time: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()
    separator: str = ","
    marker: bool = False
    closing: bool = False  # ends with totals (BCA): a file without them was cut short
    example: str = ""


LAYOUTS = (
    Layout(
        "bca", "BCA", ("keterangan", "cabang", "jumlah"),
        date=("tanggal", "tanggal transaksi"), description=("keterangan",),
        amount=("jumlah",), marker=True, closing=True,
        example="'01/12,TRSF E-BANKING CR ...,0000,\"150,000.00\",CR,\"1,650,000.00\"",
    ),
    Layout(
        "bca", "BCA", ("description", "branch", "amount"),
        date=("date", "transaction date"), description=("description",),
        amount=("amount",), marker=True, closing=True,
        example="'01/12,TRSF E-BANKING CR ...,0000,\"150,000.00\",CR,\"1,650,000.00\"",
    ),
    Layout(
        "mandiri", "Mandiri", ("postdate", "remarks", "credit amount"),
        date=("postdate",), description=("remarks", "additionaldesc"),
        credit=("credit amount",), debit=("debit amount",), separator=";",
        example="1234567890;IDR;01 December 2026 09:15:02;...;150000.00;0.00;...",
    ),
    Layout(
        "mandiri", "Mandiri", ("account no", "val. date", "reference no.", "credit"),
        date=("date",), description=("description",), credit=("credit",),
        debit=("debit",), ref=("reference no.",),
        example='1234567890,01/12/26,01/12/26,6902,"...","...",ref,".00","150,000.00"',
    ),
    Layout(
        "mandiri", "Mandiri", ("tanggal", "keterangan", "dana masuk (idr)"),
        date=("tanggal",), description=("keterangan",), credit=("dana masuk (idr)",),
        debit=("dana keluar (idr)",),
        example='1,01 Des 2026,"Transfer dari ...","150.000,00",,"1.650.000,00"',
    ),
    Layout(
        "bri", "BRI", ("tgl_tran", "desk_tran", "mutasi_kredit"),
        date=("tgl_tran",), description=("desk_tran",), credit=("mutasi_kredit",),
        debit=("mutasi_debet",), ref=("seq",),
        example='"1","0123...","2026-12-01 09:15:02",...,".00","150000.00",...,"Cr"',
    ),
    Layout(
        "bri", "BRI", ("tanggal transaksi", "uraian transaksi", "kredit"),
        date=("tanggal transaksi",), description=("uraian transaksi",), credit=("kredit",),
        debit=("debet",),
        example='01/12/26,"TRANSFER DARI ...",8888,"0,00","150.000,00","1.650.000,00"',
    ),
)  # fmt: skip
BANK_NAMES = {"bca": "BCA", "mandiri": "Mandiri", "bri": "BRI", "csv": "CSV"}
HEADER_EXAMPLE = "Tanggal,Keterangan,Cabang,Jumlah,,Saldo"
MAPPING_HINT = N_(
    "If it is a CSV from another bank, say which columns hold what: olshop pay --from FILE "
    "--bank csv --date COL --amount COL --description COL (--credit COL where incoming "
    "money has its own column)."
)

# A column `--date` (and the others) names that the header does not have, by its role.
NO_SUCH_COLUMN = {
    "date": N_("{option} {given}: no column of the header is called that (date)."),
    "description": N_("{option} {given}: no column of the header is called that (description)."),
    "amount": N_("{option} {given}: no column of the header is called that (amount)."),
    "credit": N_("{option} {given}: no column of the header is called that (credit)."),
    "ref": N_("{option} {given}: no column of the header is called that (ref)."),
}
AMOUNT_EXPECTED = N_("Line {line} of {path} has '{text}' where an amount was expected.")

# Lines around the transfers: the account, the period, and (BCA) the closing totals.
_ACCOUNT = re.compile(r"^(?:no\.? ?rek(?:ening)?|account no\.?|nomor rekening)\b", re.I)
_PERIOD = re.compile(r"^(?:periode|period)\b", re.I)
_CLOSING = re.compile(
    r"^(?:saldo awal|saldo akhir|starting balance|opening balance|ending balance|"
    r"closing balance|mutasi kredit|mutasi debet|kredit|debet|credit|debit)\b",
    re.I,
)
_OPENING = re.compile(r"^(?:saldo awal|starting balance|opening balance)\b", re.I)
_ENDING = re.compile(r"^(?:saldo akhir|ending balance|closing balance)\b", re.I)
_CREDIT_TOTAL = re.compile(r"^(?:mutasi kredit|kredit|credit|total kredit)\b", re.I)
_DEBIT_TOTAL = re.compile(r"^(?:mutasi debet|debet|debit|total debet)\b", re.I)
_SPACES = re.compile(r"\s+")


def _norm(cell: str) -> str:
    return _SPACES.sub(" ", cell.strip().strip("\"'")).lower()


def _value(cells: list[str]) -> str:
    """The value of a header or closing line: `Nama,=,SITI` or `Nama : SITI`."""
    head = cells[0]
    if ":" in head and head.split(":", 1)[1].strip():  # `"Mutasi Kredit : 3,528.00","1"`
        return head.split(":", 1)[1].strip().lstrip("'")
    rest = [c for c in cells[1:] if c.strip() not in ("", "=", ":")]
    return rest[0].strip().lstrip("'") if rest else ""


# ----- reading a file -------------------------------------------------------------------


def _open_text(path: Path) -> str:
    """The file's encoding, from its first bytes; refuses what is not a CSV at all."""
    try:
        with path.open("rb") as f:
            head = f.read(1 << 16)
    except IsADirectoryError:
        raise StatementError(
            _("{path} is a folder, not a statement file.").format(path=path)
        ) from None
    except FileNotFoundError:
        raise StatementError(
            _("There is no file {path}.").format(path=path),
            _("Give the CSV you downloaded from the bank."),
        ) from None
    except OSError as exc:
        raise StatementError(
            _("Cannot read {path}: {why}.").format(path=path, why=exc.strerror)
        ) from None
    if not head:
        raise StatementError(
            _("{path} is empty (0 bytes): not a statement.").format(path=path), _(DOWNLOAD_AGAIN)
        )
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise StatementError(
            _("{path} is a spreadsheet (Excel), not a CSV.").format(path=path),
            _("Download the statement as CSV, or open it and save it as CSV (comma separated)."),
        )
    if head.startswith(b"%PDF"):
        raise StatementError(
            _("{path} is a PDF; olshop reads the statement as CSV.").format(path=path),
            _("Download the statement as CSV from the bank's internet banking."),
        )
    if b"\x00" in head:
        raise StatementError(
            _("{path} is not a text file (it holds NUL bytes).").format(path=path),
            _(DOWNLOAD_AGAIN),
        )
    # UTF-8 if the whole file is (read in blocks, never held), else Windows-1252, as older
    # bank exports are.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                decoder.decode(block, final=False)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"


def _lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines, each at most MAX_LINE characters (a longer one is refused)."""
    try:
        with path.open(encoding=encoding, errors="strict", newline="") as f:
            number = 0
            while True:
                line = f.readline(MAX_LINE)
                if not line:
                    return
                number += 1
                if len(line) >= MAX_LINE and not line.endswith("\n"):
                    raise StatementError(
                        _(
                            "Line {line} of {path} is longer than {count} characters: "
                            "not a bank statement."
                        ).format(line=number, path=path, count=f"{MAX_LINE:,}"),
                        _(DOWNLOAD_AGAIN),
                    )
                if "\x00" in line:
                    raise StatementError(
                        _("Line {line} of {path} holds a NUL byte: the file is damaged.").format(
                            line=number, path=path
                        ),
                        _(DOWNLOAD_AGAIN),
                    )
                yield line
    except UnicodeDecodeError:
        raise StatementError(
            _("{path} is not text olshop can read (not UTF-8) past its start: damaged?").format(
                path=path
            ),
            _(DOWNLOAD_AGAIN),
        ) from None
    except OSError as exc:
        raise StatementError(
            _("Cannot read {path}: {why}.").format(path=path, why=exc.strerror)
        ) from None


def _rows(path: Path, encoding: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each CSV record."""
    reader = csv.reader(_lines(path, encoding), delimiter=separator)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise StatementError(
            _("Line {line} of {path} is not proper CSV ({why}).").format(
                line=reader.line_num, path=path, why=exc
            ),
            _(DOWNLOAD_AGAIN),
        ) from None


def _column(header: list[str], names: tuple[str, ...]) -> list[int]:
    return [i for i, cell in enumerate(header) if cell in names]


def _mapped(header: list[str], given: str, what: str, option: str) -> int:
    """The column of `--date Tanggal` or `--date 1` in this header."""
    text = given.strip()
    if text.isdigit():
        index = int(text) - 1
        if 0 <= index < len(header):
            return index
        raise StatementError(
            _("{option} {given}: the file's header has {count} columns.").format(
                option=option, given=given, count=len(header)
            ),
            _("Give a column from 1 to {count} or its name.").format(count=len(header)),
        )
    wanted = _norm(text)
    if wanted in header:
        return header.index(wanted)
    names = ", ".join(repr(h) for h in header if h)
    raise StatementError(
        _(NO_SUCH_COLUMN[what]).format(option=option, given=given),
        _("The columns are: {names}.").format(names=names),
    )


def _find_header(
    path: Path, encoding: str, bank: str | None, mapping: Mapping
) -> tuple[Layout, int, list[str]]:
    """The layout, the line of its header row and the header (normalised)."""
    if mapping.given or bank == "csv":
        return _generic_header(path, encoding, mapping)
    looked: dict[str, list[tuple[int, list[str]]]] = {}
    for separator in (",", ";"):
        seen = []
        for number, cells in _rows(path, encoding, separator):
            header = [_norm(c) for c in cells]
            for layout in LAYOUTS:
                if bank and layout.bank != bank:
                    continue
                if all(name in header for name in layout.required):
                    if layout.separator != separator:
                        raise StatementError(
                            _(
                                "Line {line} of {path} is separated by '{separator}', not "
                                "'{expected}': it looks like a spreadsheet saved as CSV again."
                            ).format(
                                line=number,
                                path=path,
                                separator=separator,
                                expected=layout.separator,
                            ),
                            _(
                                "Use the file as the bank gave it, or save it as CSV (comma "
                                "separated)."
                            ),
                        )
                    return layout, number, header
            seen.append((number, cells))
            if len(seen) >= SNIFF_LINES:
                break
        looked[separator] = seen
    tab = any("\t" in "".join(cells) for _number, cells in looked[","][:5])
    if tab:
        message = (
            _("{path} is separated by tabs, not commas: not a {bank} statement.")
            if bank
            else _("{path} is separated by tabs, not commas: not a bank statement olshop knows.")
        )
        raise StatementError(
            message.format(path=path, bank=BANK_NAMES[bank] if bank else ""),
            _("Use the CSV file as the bank gave it.") + " " + _(MAPPING_HINT),
        )
    message = (
        _(
            "{path} is not a {bank} statement: none of its first {count} lines is a header "
            "row like BCA's {example} (or Mandiri's or BRI's)."
        )
        if bank
        else _(
            "{path} is not a bank statement olshop knows: none of its first {count} lines is "
            "a header row like BCA's {example} (or Mandiri's or BRI's)."
        )
    )
    raise StatementError(
        message.format(
            path=path,
            bank=BANK_NAMES[bank] if bank else "",
            count=SNIFF_LINES,
            example=HEADER_EXAMPLE,
        ),
        _(MAPPING_HINT),
    )


def _generic_header(path: Path, encoding: str, mapping: Mapping) -> tuple[Layout, int, list]:
    if not mapping.date or not mapping.description or not (mapping.amount or mapping.credit):
        raise StatementError(
            _("A CSV of another bank needs its columns named."),
            _("Give --date COL --description COL and --amount COL (or --credit COL)."),
        )
    for number, cells in _rows(path, encoding, ","):
        if not any(c.strip() for c in cells):
            continue
        header = [_norm(c) for c in cells]
        roles = {}
        for role, given, option in (
            ("date", mapping.date, "--date"),
            ("description", mapping.description, "--description"),
            ("amount", mapping.amount, "--amount"),
            ("credit", mapping.credit, "--credit"),
            ("ref", mapping.ref, "--ref"),
        ):
            if given:
                roles[role] = (header[_mapped(header, given, role, option)],)
        if len(header) == 1 and ";" in cells[0]:
            raise StatementError(
                _(
                    "Line {line} of {path} is separated by '{separator}', not "
                    "'{expected}': it looks like a spreadsheet saved as CSV again."
                ).format(line=number, path=path, separator=";", expected=","),
                _("Save it as CSV (comma separated) and read that file."),
            )
        layout = Layout(
            "csv",
            "CSV",
            (),
            date=roles["date"],
            description=roles["description"],
            amount=() if "credit" in roles else roles.get("amount", ()),
            credit=roles.get("credit", ()),
            debit=roles.get("amount", ()) if "credit" in roles else (),
            ref=roles.get("ref", ()),
        )
        return layout, number, header
    raise StatementError(_("{path} has no header row.").format(path=path), _(DOWNLOAD_AGAIN))


def read_statement(
    path: Path | str,
    today: date,
    bank: str | None = None,
    mapping: Mapping | None = None,
) -> Statement:
    """Every incoming transfer of a statement file, or a refusal naming the line."""
    path = Path(path)
    mapping = mapping or Mapping()
    if bank is not None:
        bank = bank.strip().lower()
        if bank not in BANKS:
            raise StatementError(
                _("Unknown bank '{bank}'.").format(bank=bank),
                _("Use --bank {banks}, or leave it out to tell it from the file.").format(
                    banks="|".join(BANKS)
                ),
            )
    encoding = _open_text(path)
    layout, header_line, header = _find_header(path, encoding, bank, mapping)
    statement = Statement(layout.bank, str(path))
    reader = _Reader(statement, layout, header, path, today)
    for number, cells in _rows(path, encoding, layout.separator):
        if number < header_line:
            reader.preamble(cells)
        elif number > header_line:
            reader.row(number, cells)
        statement.lines = number
    reader.finish()
    _name_rows(statement)
    return statement


class _Reader:
    def __init__(self, statement: Statement, layout: Layout, header: list, path: Path, today):
        self.s, self.layout, self.header, self.path, self.today = (
            statement,
            layout,
            header,
            path,
            today,
        )
        self.date = _column(header, layout.date)[:1]
        self.description = _column(header, layout.description)
        self.amount = _column(header, layout.amount)[:1]
        self.credit = _column(header, layout.credit)[:1]
        self.debit = _column(header, layout.debit)[:1]
        self.ref = _column(header, layout.ref)[:1]
        if not self.date or not self.description or not (self.amount or self.credit):
            raise StatementError(
                _("The header row of {path} lacks the date, description or amount column.").format(
                    path=path
                ),
                _(DOWNLOAD_AGAIN),
            )
        self.width = len(header)
        while self.width and not header[self.width - 1]:
            self.width -= 1  # trailing empty header cells
        self.closing: dict[str, int] = {}
        self.dates: dict[str, tuple[date, str | None] | None] = {}
        self.in_closing = False
        self.credit_cents = 0
        self.pending_cents = 0
        self.debit_cents = 0

    def fail(self, number: int, message: str, **values: object) -> StatementError:
        """Line `number` refused: `message` is the whole sentence, translated, with
        {line} and {path} (and `values`) to fill."""
        return StatementError(
            message.format(line=number, path=self.path, **values),
            _("A {bank} transfer line looks like: {example}").format(
                bank=self.layout.name, example=self.layout.example
            )
            if self.layout.example
            else _(DOWNLOAD_AGAIN),
        )

    def preamble(self, cells: list[str]) -> None:
        if not cells or not cells[0].strip():
            return
        head = cells[0].strip()
        if _ACCOUNT.match(head):
            self.s.account = re.sub(r"[^0-9]", "", _value(cells)) or None
        elif _PERIOD.match(head):
            found = re.findall(r"\d{1,2}/\d{1,2}/\d{4}", _value(cells) or head)
            if len(found) == 2:
                try:
                    first = parse_date(found[0], self.today)
                    last = parse_date(found[1], self.today)
                except ValueError:
                    return
                if first and last:
                    self.s.period = (first[0], last[0])

    def row(self, number: int, cells: list[str]) -> None:
        if not any(c.strip() for c in cells):
            return
        head = cells[0].strip().strip("'")
        if self.layout.closing and _CLOSING.match(head):
            self.in_closing = True
            self._closing_line(number, cells, head)
            return
        if self.in_closing:
            raise self.fail(
                number,
                _("Line {line} of {path} comes after the closing totals; the file was changed."),
            )
        if self.layout.bank == "mandiri" and not cells[self.date[0]].strip():
            return  # Livin' writes a transfer's time on a line of its own under it
        if (
            self.layout.marker
            and len(cells) == self.width - 1
            and _MARKER.search(cells[self.amount[0]].strip().upper())
        ):  # `100,000.00 CR` in one cell under a header with a column for the mark
            cells.insert(self.amount[0] + 1, "")
        if len(cells) < self.width:
            raise self.fail(
                number,
                _(
                    "Line {line} of {path} has {count} fields where the header has {width}: "
                    "the file looks cut short or edited."
                ),
                count=len(cells),
                width=self.width,
            )
        if self.layout.marker and len(cells) > len(self.header):
            # A comma inside an unquoted description: the fields after it are the last ones.
            extra = len(cells) - len(self.header)
            first = self.description[0]
            cells = [
                *cells[:first],
                ",".join(cells[first : first + extra + 1]),
                *cells[first + extra + 1 :],
            ]
        date_text = cells[self.date[0]]
        if date_text in self.dates:  # a statement has a few dates, each on many rows
            when = self.dates[date_text]
        else:
            try:
                when = self.dates[date_text] = parse_date(date_text, self.today, self.s.period)
            except ValueError:
                raise self.fail(
                    number,
                    _("Line {line} of {path} has '{text}' where a date (like 01/12) was expected."),
                    text=date_text.strip(),
                ) from None
        credit_cents = self._credit(number, cells)
        if credit_cents is None:
            return  # a debit
        description = _SPACES.sub(" ", " ".join(cells[i] for i in self.description)).strip()
        ref = cells[self.ref[0]].strip() or None if self.ref else None
        if when is None:
            self.pending_cents += credit_cents
        else:
            self.credit_cents += credit_cents
        if len(self.s.transfers) >= MAX_TRANSFERS:
            raise StatementError(
                _("{path} holds more than {count} incoming transfers.").format(
                    path=self.path, count=f"{MAX_TRANSFERS:,}"
                ),
                _("Download a shorter period (a week or a month) and read that."),
            )
        self.s.transfers.append(
            Transfer(
                number,
                when[0] if when else None,
                when[1] if when else None,
                credit_cents,
                description,
                ref,
            )
        )

    def _credit(self, number: int, cells: list[str]) -> int | None:
        """The row's incoming amount in cents, or None for a debit."""
        if self.credit:
            found = []
            for index in (self.credit[0], *self.debit):
                text = cells[index].strip() if index < len(cells) else ""
                try:
                    found.append(parse_amount(text)[0] if text else 0)
                except ValueError:
                    raise self.fail(number, _(AMOUNT_EXPECTED), text=text) from None
            credit, debit = found[0], (found[1] if len(found) > 1 else 0)
            if credit and debit:
                raise self.fail(number, _("Line {line} of {path} has both a credit and a debit."))
            if not credit:
                self.s.debits += 1
                self.debit_cents += debit
                return None
            return credit
        index = self.amount[0]
        text = cells[index].strip()
        try:
            cents, credit_mark = parse_amount(text)
        except ValueError:
            raise self.fail(number, _(AMOUNT_EXPECTED), text=text) from None
        if self.layout.marker and credit_mark is None and index + 1 < len(cells):
            mark = cells[index + 1].strip().upper()
            if mark in MARKS:
                credit_mark = MARKS[mark]
        if credit_mark is None and self.layout.marker:
            raise self.fail(
                number,
                _("Line {line} of {path} has the amount '{text}' without CR or DB after it."),
                text=text,
            )
        if credit_mark is False:
            self.s.debits += 1
            self.debit_cents += cents
            return None
        return cents

    def _closing_line(self, number: int, cells: list[str], head: str) -> None:
        text = _value(cells)
        if not text:
            return
        try:
            cents, credit = parse_amount(text)
        except ValueError:
            raise self.fail(
                number,
                _("Line {line} of {path} has '{text}' where a closing total was expected."),
                text=text,
            ) from None
        if credit is False:  # a balance below zero
            cents = -cents
        if _CREDIT_TOTAL.match(head):
            self.closing["credit"] = cents
        elif _DEBIT_TOTAL.match(head):
            self.closing["debit"] = cents
        elif _OPENING.match(head):
            self.closing["opening"] = cents
        elif _ENDING.match(head):
            self.closing["ending"] = cents

    def finish(self) -> None:
        if self.layout.closing and not self.in_closing:
            raise StatementError(
                _(
                    "{path} ends at line {line} without {bank}'s closing lines (Saldo Awal, "
                    "Kredit, Debet, Saldo Akhir): it looks cut short."
                ).format(path=self.path, line=self.s.lines, bank=self.layout.name),
                _(DOWNLOAD_AGAIN),
            )
        said = self.closing.get("credit")
        if said is not None and said not in (
            self.credit_cents,
            self.credit_cents + self.pending_cents,
        ):
            raise StatementError(
                _(
                    "The transfers in of {path} add up to {sum} but its closing line says "
                    "{said}: lines are missing or were changed."
                ).format(
                    path=self.path,
                    sum=format_money(self.credit_cents // 100),
                    said=format_money(said // 100),
                ),
                _(DOWNLOAD_AGAIN),
            )
        opening, ending = self.closing.get("opening"), self.closing.get("ending")
        if self.layout.closing and "credit" not in self.closing and None in (opening, ending):
            raise StatementError(
                _(
                    "The closing lines of {path} lack the total of the transfers in (Kredit) "
                    "and the balances to check them with: lines were removed."
                ).format(path=self.path),
                _(DOWNLOAD_AGAIN),
            )
        if opening is not None and ending is not None:
            moved = opening + self.credit_cents - self.debit_cents
            if ending not in (moved, moved + self.pending_cents):
                raise StatementError(
                    _(
                        "The opening balance of {path} and its transfers give {sum}, but its "
                        "closing balance is {said}: lines are missing or were changed."
                    ).format(path=self.path, sum=cents_text(moved), said=cents_text(ending)),
                    _(DOWNLOAD_AGAIN),
                )
        said = self.closing.get("debit")
        if said is not None and said != self.debit_cents:
            raise StatementError(
                _(
                    "The transfers out of {path} add up to {sum} but its closing line says "
                    "{said}: lines are missing or were changed."
                ).format(
                    path=self.path,
                    sum=format_money(self.debit_cents // 100),
                    said=format_money(said // 100),
                ),
                _(DOWNLOAD_AGAIN),
            )


def _name_rows(statement: Statement) -> None:
    """Give each transfer its key: a digest of the bank, account, day, time, amount,
    description and reference, and how many identical rows came before it in the file (two
    equal transfers on one day are two). The same row read again, or in an overlapping
    statement of the next day, has the same key."""
    seen: dict[tuple, int] = {}
    for t in statement.transfers:
        what = (t.day, t.time, t.cents, t.description.upper(), t.ref)
        seen[what] = seen.get(what, 0) + 1
        day, time, cents, description, ref = what
        text = (
            f"{statement.bank}|{statement.account}|{day}|{time}|{cents}|{description}|{ref}|"
            f"{seen[what] if day else t.line}"
        )
        t.key = hashlib.sha256(text.encode()).hexdigest()[:24]
