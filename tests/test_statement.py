"""Bank statements (mutasi) read as the banks write them: BCA (personal and KlikBCA Bisnis),
Mandiri (Kopra, MCM, Livin'), BRI and any CSV whose columns the seller names. Only the
incoming transfers are kept, pending ones as pending, debits counted; every row has a key
that a later read of the same row (or of an overlapping statement) gives again; anything
that is not a whole statement is refused with the line and a sentence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bankfiles import bca, trsf

from olshop_cli import statement
from olshop_cli.statement import Mapping, StatementError, parse_amount, parse_date, read_statement

TODAY = date(2026, 12, 2)  # Wednesday: yesterday's statement is read

# KlikBCA (personal) as downloaded: header lines, `'DD/MM` dates, CR/DB beside the amount,
# a pending row, the closing totals (Kredit counts the pending row too).
BCA_PERSONAL = """\
No. Rekening,=,'0123456789
Nama,=,TOKO MAJU JAYA
Periode,=,01/12/2026 - 01/12/2026
Mata Uang,=,IDR

Tanggal,Keterangan,Cabang,Jumlah,,Saldo
'01/12,TRSF E-BANKING CR 0112/FTSCY/WS95031         150000.00SITI RAHMAWATI,'0000,"150,000.00",CR,"1,650,000.00"
'01/12,TARIKAN ATM 01/12,'0998,"50,000.00",DB,"1,600,000.00"
'01/12,TRSF E-BANKING CR 0112/FTSCY/WS95031         35338.00MIKE TAN,'0000,"35,338.00",CR,"1,635,338.00"
'01/12,BIAYA ADM,'0000,"10,000.00",DB,"1,625,338.00"
'PEND,TRSF E-BANKING CR 0112/FTSCY/WS95031         99000.00BUDI SANTOSO,'0000,"99,000.00",CR,"1,724,338.00"
Saldo Awal,=,"1,500,000.00"
Kredit,=,"284,338.00"
Debet,=,"60,000.00"
Saldo Akhir,=,"1,724,338.00"
"""  # noqa: E501

# The same statement with `150,000.00 CR` in one cell (the empty column left out of rows).
BCA_ONE_CELL = """\
No. Rekening,=,'0123456789
Nama,=,TOKO MAJU JAYA
Mata Uang,=,IDR

Tanggal,Keterangan,Cabang,Jumlah,,Saldo
'01/12,TRSF E-BANKING CR 0112/FTSCY/WS95031         150000.00SITI RAHMAWATI,'0000,"150,000.00 CR","1,650,000.00"
'01/12,TARIKAN ATM 01/12,'0998,"50,000.00 DB","1,600,000.00"
Saldo Awal,=,"1,500,000.00"
Kredit,=,"150,000.00"
Debet,=,"50,000.00"
Saldo Akhir,=,"1,600,000.00"
"""  # noqa: E501

# KlikBCA Bisnis: everything quoted, `Name : value` header lines, full dates, the mark in the
# amount's cell, closing totals followed by the number of transactions in a cell of their own.
BCA_BISNIS = """\
"No. rekening : 0350000001"
"Nama : TOKO MAJU JAYA"
"Periode : 13/05/2026 - 14/05/2026"
"Kode Mata Uang : IDR"

"Tanggal Transaksi","Keterangan","Cabang","Jumlah","Saldo"
"13/05/2026","KR OTOMATIS TANGGAL :13/05 LLG-ANTAR BANK SITI RAHMAWATI","0000","3,528,964.00 CR","25,441,156.00"

"Saldo Awal : 21,912,192.00"
"Mutasi Debet : 0.00","0"
"Mutasi Kredit : 3,528,964.00","1"
"Saldo Akhir : 25,441,156.00"
"""  # noqa: E501

MANDIRI_KOPRA = """\
AccountNo;Ccy;PostDate;Remarks;AdditionalDesc;Credit Amount;Debit Amount;Close Balance
1060055988896;IDR;07 August 2026 10:15:54;PT SARANA;Trf Inw CN BANK CENTRAL ASIA;1000000.00;0.00;14838932.64
1060055988896;IDR;07 August 2026 11:00:00;BIAYA ADM;;0.00;12500.00;14826432.64
1060055988896;IDR;08 August 2026 09:01:02;SITI RAHMAWATI;TRF DARI BCA;150000.00;0.00;14976432.64
"""  # noqa: E501

MANDIRI_MCM = """\
Account No,Date,Val. Date,Transaction Code,Description,Description,Reference No.,Debit,Credit
1234567890,01/12/26,01/12/26,6902,"MCM InhouseTrf DARI SITI RAHMAWATI","Bayar B1",REF001,.00,"150,000.00"
1234567890,01/12/26,01/12/26,7001,"TRF KE SUPPLIER","",REF002,"75,000.00",.00
"""  # noqa: E501

MANDIRI_LIVIN = """\
No,Tanggal,Keterangan,Dana Masuk (IDR),Dana Keluar (IDR),Saldo (IDR)
1,01 Des 2026,"Transfer dari SITI RAHMAWATI","150.000,00",,"1.650.000,00"
,,"10:15:02 WIB",,,
2,01 Des 2026,"Pembayaran QRIS","","25.000,00","1.625.000,00"
3,02 Des 2026,"Transfer dari MIKE TAN","1.500.000,00",,"3.125.000,00"
"""

BRI = """\
"ID","NOREK","TGL_TRAN","TGL_EFEKTIF","JAM_TRAN","SEQ","DESK_TRAN","SALDO_AWAL_MUTASI","MUTASI_DEBET","MUTASI_KREDIT","SALDO_AKHIR_MUTASI","GLSIGN"
"1","012301000123456","2026-12-01 09:15:02","2026-12-01","09:15:02","1001","TRANSFER DARI SITI RAHMAWATI","1500000.00",".00","150000.00","1650000.00","C"
"2","012301000123456","2026-12-01 10:00:00","2026-12-01","10:00:00","1002","TARIK TUNAI ATM","1650000.00","50000.00",".00","1600000.00","D"
"3","012301000123456","2026-12-01 13:45:10","2026-12-01","13:45:10","1003","TRANSFER DARI MIKE TAN","1600000.00",".00","35338.00","1635338.00","C"
"""  # noqa: E501


def write(tmp_path: Path, text: str | bytes, name: str = "mutasi.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def read(tmp_path: Path, text: str | bytes, today: date = TODAY, **kwargs):
    return read_statement(write(tmp_path, text), today, **kwargs)


def refusal(tmp_path: Path, text: str | bytes, *phrases: str, **kwargs) -> StatementError:
    with pytest.raises(StatementError) as caught:
        read(tmp_path, text, **kwargs)
    said = str(caught.value)
    for phrase in phrases:
        assert phrase in said, (phrase, said)
    return caught.value


def seen(s) -> list[tuple]:
    return [(t.line, t.day, t.time, t.cents, t.description, t.ref) for t in s.transfers]


# ----- each bank's format -------------------------------------------------------------------


def test_bca_personal_keeps_the_credits_and_pending_and_counts_the_debits(tmp_path):
    s = read(tmp_path, BCA_PERSONAL)
    assert (s.bank, s.account, s.debits, s.lines) == ("bca", "0123456789", 2, 15)
    assert s.period == (date(2026, 12, 1), date(2026, 12, 1))
    assert seen(s) == [
        (7, date(2026, 12, 1), None, 15_000_000,
         "TRSF E-BANKING CR 0112/FTSCY/WS95031 150000.00SITI RAHMAWATI", None),
        (9, date(2026, 12, 1), None, 3_533_800,
         "TRSF E-BANKING CR 0112/FTSCY/WS95031 35338.00MIKE TAN", None),
        (11, None, None, 9_900_000,
         "TRSF E-BANKING CR 0112/FTSCY/WS95031 99000.00BUDI SANTOSO", None),
    ]  # fmt: skip
    assert [t.pending for t in s.transfers] == [False, False, True]
    assert [t.amount for t in s.transfers] == [150_000, 35_338, 99_000]
    assert (s.first_day, s.last_day) == (date(2026, 12, 1), date(2026, 12, 1))
    assert len({t.key for t in s.transfers}) == 3 and all(len(t.key) == 24 for t in s.transfers)


def test_bca_with_the_mark_in_the_amount_cell(tmp_path):
    s = read(tmp_path, BCA_ONE_CELL)
    assert (s.bank, s.debits) == ("bca", 1)
    assert [(t.line, t.day, t.cents) for t in s.transfers] == [(6, date(2026, 12, 1), 15_000_000)]
    assert s.transfers[0].description.endswith("150000.00SITI RAHMAWATI")


def test_bca_amount_without_a_mark_is_refused_with_its_line(tmp_path):
    text = BCA_PERSONAL.replace('"50,000.00",DB', '"50,000.00",')
    refusal(tmp_path, text, "Line 8 of", "has the amount '50,000.00' without CR or DB after it")
    text = BCA_ONE_CELL.replace('"50,000.00 DB"', '"50,000.00"')
    refusal(tmp_path, text, "Line 7 of", "has 5 fields where the header has 6")


def test_bca_description_with_an_unquoted_comma_stays_one_description(tmp_path):
    text = BCA_PERSONAL.replace("TARIKAN ATM 01/12", "TARIKAN ATM, 01/12").replace(
        "150000.00SITI RAHMAWATI", "150000.00SITI, RAHMAWATI, JAKARTA"
    )
    s = read(tmp_path, text)
    assert s.debits == 2
    assert s.transfers[0].description.endswith("150000.00SITI, RAHMAWATI, JAKARTA")
    assert [t.cents for t in s.transfers] == [15_000_000, 3_533_800, 9_900_000]


def test_klikbca_bisnis_statement(tmp_path):
    s = read(tmp_path, BCA_BISNIS)
    assert (s.bank, s.account, s.debits) == ("bca", "0350000001", 0)
    assert s.period == (date(2026, 5, 13), date(2026, 5, 14))
    assert [(t.line, t.day, t.cents) for t in s.transfers] == [(7, date(2026, 5, 13), 352_896_400)]


def test_klikbca_bisnis_layout_without_the_count_cells(tmp_path):
    # The Bisnis layout (quoted `Name : value` lines, full dates, the mark in the amount's
    # cell) read with the count cells of the closing lines left off.
    text = BCA_BISNIS.replace('"Mutasi Debet : 0.00","0"', '"Mutasi Debet : 0.00"').replace(
        '"Mutasi Kredit : 3,528,964.00","1"', '"Mutasi Kredit : 3,528,964.00"'
    )
    s = read(tmp_path, text)
    assert (s.bank, s.account, s.debits) == ("bca", "0350000001", 0)
    assert s.period == (date(2026, 5, 13), date(2026, 5, 14))
    assert seen(s) == [
        (7, date(2026, 5, 13), None, 352_896_400,
         "KR OTOMATIS TANGGAL :13/05 LLG-ANTAR BANK SITI RAHMAWATI", None),
    ]  # fmt: skip
    wrong = text.replace('"Mutasi Kredit : 3,528,964.00"', '"Mutasi Kredit : 3,528,965.00"')
    refusal(tmp_path, wrong, "add up to Rp3.528.964 but its closing line says Rp3.528.965")


def test_mandiri_kopra_with_semicolons_and_named_months(tmp_path):
    s = read(tmp_path, MANDIRI_KOPRA)
    assert (s.bank, s.debits) == ("mandiri", 1)
    assert seen(s) == [
        (2, date(2026, 8, 7), "10:15:54", 100_000_000,
         "PT SARANA Trf Inw CN BANK CENTRAL ASIA", None),
        (4, date(2026, 8, 8), "09:01:02", 15_000_000, "SITI RAHMAWATI TRF DARI BCA", None),
    ]  # fmt: skip


def test_mandiri_mcm_two_description_columns_and_a_reference(tmp_path):
    s = read(tmp_path, MANDIRI_MCM)
    assert (s.bank, s.debits) == ("mandiri", 1)
    assert seen(s) == [
        (2, date(2026, 12, 1), None, 15_000_000,
         "MCM InhouseTrf DARI SITI RAHMAWATI Bayar B1", "REF001"),
    ]  # fmt: skip


def test_mandiri_livin_indonesian_months_dotted_amounts_and_time_lines(tmp_path):
    s = read(tmp_path, MANDIRI_LIVIN)
    assert (s.bank, s.debits) == ("mandiri", 1)
    assert seen(s) == [
        (2, date(2026, 12, 1), None, 15_000_000, "Transfer dari SITI RAHMAWATI", None),
        (5, date(2026, 12, 2), None, 150_000_000, "Transfer dari MIKE TAN", None),
    ]


def test_bri_export_with_times_sequence_and_zero_amounts(tmp_path):
    s = read(tmp_path, BRI)
    assert (s.bank, s.debits) == ("bri", 1)
    assert seen(s) == [
        (2, date(2026, 12, 1), "09:15:02", 15_000_000, "TRANSFER DARI SITI RAHMAWATI", "1001"),
        (4, date(2026, 12, 1), "13:45:10", 3_533_800, "TRANSFER DARI MIKE TAN", "1003"),
    ]


def test_bank_named_with_bank_option(tmp_path):
    assert read(tmp_path, BRI, bank=" BRI ").bank == "bri"
    refusal(tmp_path, MANDIRI_KOPRA, "is not a BCA statement", bank="bca")


GENERIC_SIGNED = """\
Tgl,Uraian,Nominal,Ref
01/12/2026,Transfer dari SITI RAHMAWATI,"150,000.00",A1
01/12/2026,Bayar listrik,"-200,000.00",A2
02/12/2026,Transfer dari MIKE TAN,Rp 35.338,A3
"""

GENERIC_COLUMNS = """\
Date,Description,Debit,Credit
2026-12-01,Transfer SITI RAHMAWATI,,150000
2026-12-01,Listrik,200000,
2026-12-02,Transfer MIKE TAN,0,35338
"""


def test_generic_csv_with_a_signed_amount_column(tmp_path):
    mapping = Mapping(date="Tgl", amount="Nominal", description="Uraian", ref="Ref")
    s = read(tmp_path, GENERIC_SIGNED, mapping=mapping)
    assert (s.bank, s.debits) == ("csv", 1)
    assert seen(s) == [
        (2, date(2026, 12, 1), None, 15_000_000, "Transfer dari SITI RAHMAWATI", "A1"),
        (4, date(2026, 12, 2), None, 3_533_800, "Transfer dari MIKE TAN", "A3"),
    ]
    by_number = read(
        tmp_path, GENERIC_SIGNED, mapping=Mapping(date="1", amount="3", description="2")
    )
    assert [(t.line, t.cents, t.ref) for t in by_number.transfers] == [
        (2, 15_000_000, None),
        (4, 3_533_800, None),
    ]


def test_generic_csv_with_a_credit_column(tmp_path):
    mapping = Mapping(date="Date", credit="Credit", description="Description")
    s = read(tmp_path, GENERIC_COLUMNS, mapping=mapping)
    assert (s.bank, s.debits) == ("csv", 1)
    assert [(t.line, t.day, t.cents, t.description) for t in s.transfers] == [
        (2, date(2026, 12, 1), 15_000_000, "Transfer SITI RAHMAWATI"),
        (4, date(2026, 12, 2), 3_533_800, "Transfer MIKE TAN"),
    ]
    both = Mapping(date="Date", credit="Credit", amount="Debit", description="Description")
    assert read(tmp_path, GENERIC_COLUMNS, mapping=both).debits == 1


def test_generic_csv_columns_that_are_not_there_are_refused(tmp_path):
    refusal(
        tmp_path,
        GENERIC_COLUMNS,
        "--date Tanggal: no column of the header is called that (date).",
        "The columns are: 'date', 'description', 'debit', 'credit'.",
        mapping=Mapping(date="Tanggal", credit="Credit", description="Description"),
    )
    refusal(
        tmp_path,
        GENERIC_COLUMNS,
        "--date 9: the file's header has 4 columns.",
        mapping=Mapping(date="9", credit="Credit", description="Description"),
    )
    refusal(
        tmp_path,
        GENERIC_COLUMNS,
        "A CSV of another bank needs its columns named.",
        mapping=Mapping(date="Date", description="Description"),
    )
    refusal(tmp_path, BCA_PERSONAL, "needs its columns named", bank="csv")


def test_generic_csv_whose_first_column_is_the_type(tmp_path):
    text = (
        "Type,Date,Description,Amount\n"
        "Credit,01/12/2026,Transfer from SITI RAHMAWATI,150000\n"
        "Debit,01/12/2026,Belanja,-20000\n"
        "Credit,02/12/2026,Transfer from MIKE TAN,35338\n"
    )
    mapping = Mapping(date="Date", amount="Amount", description="Description")
    s = read(tmp_path, text, mapping=mapping)
    assert [(t.line, t.cents) for t in s.transfers] == [(2, 15_000_000), (4, 3_533_800)]
    assert s.debits == 1


# ----- the year of a `'DD/MM` ---------------------------------------------------------------


def test_a_december_statement_read_on_2_january_is_last_year(tmp_path):
    text = bca(
        [("30/12", trsf("30/12", 150_000, "SITI"), 150_000, "CR"),
         ("31/12", trsf("31/12", 35_000, "MIKE"), 35_000, "CR"),
         ("01/01", trsf("01/01", 99_000, "BUDI"), 99_000, "CR")]
    )  # fmt: skip
    s = read(tmp_path, text, today=date(2027, 1, 2))
    assert [t.day for t in s.transfers] == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
    ]
    # With its period, the period decides (read long after, in another year).
    s = read(tmp_path, bca([("31/12", "X", 1_000, "CR")], period="01/12/2026 - 31/12/2026"),
             today=date(2028, 3, 1))  # fmt: skip
    assert [t.day for t in s.transfers] == [date(2026, 12, 31)]


# ----- amounts and dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100,000.00", (10_000_000, None)),
        ("150000.00", (15_000_000, None)),
        ("100,000.00 CR", (10_000_000, True)),
        ("25.000,00 DB", (2_500_000, False)),
        ("1.500.000,00", (150_000_000, None)),
        (".00", (0, None)),
        ("0.00", (0, None)),
        ("Rp 150.000", (15_000_000, None)),
        ("IDR 150,000", (15_000_000, None)),
        ("150.000", (15_000_000, None)),
        ("1,500", (150_000, None)),
        ("150000.5", (15_000_050, None)),
        ("-25000", (2_500_000, False)),
        ("(25,000.00)", (2_500_000, False)),
        ("  150,000.00  ", (15_000_000, None)),
        ("1.234.567.890.123,45", (123_456_789_012_345, None)),
    ],
)
def test_amounts_in_every_shape(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "Rp", "abc", "1,50,000.00", "1.500,000.00", "12.34.5", "-150.000 CR", "9" * 16, "5x,000"],
)
def test_amounts_that_are_not_amounts(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("'01/12", date(2026, 12, 2), (date(2026, 12, 1), None)),
        ("'01/12", date(2027, 1, 2), (date(2026, 12, 1), None)),
        ("02/12", date(2026, 12, 1), (date(2025, 12, 2), None)),  # not after today
        ("01/12/2026", TODAY, (date(2026, 12, 1), None)),
        ("01/12/26", TODAY, (date(2026, 12, 1), None)),
        ("2026-12-01 09:30:00", TODAY, (date(2026, 12, 1), "09:30:00")),
        ("01 Des 2026", TODAY, (date(2026, 12, 1), None)),
        ("01-Des-2026", TODAY, (date(2026, 12, 1), None)),
        ("03 August 2026 11:27:10", TODAY, (date(2026, 8, 3), "11:27:10")),
        ("17 Agustus 2026", TODAY, (date(2026, 8, 17), None)),
        ("01/12/2026 10.15 WIB", TODAY, (date(2026, 12, 1), "10:15:00")),
        ("PEND", TODAY, None),
        ("'PEND", TODAY, None),
    ],
)
def test_dates_as_banks_write_them(text, today, expected):
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2026", "32/12", "01/13", "2026-12-01 25:00", "01 Foo 2026", "kemarin", ""]
)
def test_dates_that_are_not_dates(text):
    with pytest.raises(ValueError):
        parse_date(text, TODAY)


def test_a_29_february_without_a_leap_year_near_is_not_a_date():
    with pytest.raises(ValueError):
        parse_date("29/02", date(2026, 3, 1))
    assert parse_date("29/02", date(2028, 3, 1)) == (date(2028, 2, 29), None)


# ----- keys ---------------------------------------------------------------------------------

DAY1 = [
    ("01/12", trsf("01/12", 150_000, "SITI RAHMAWATI"), 150_000, "CR"),
    ("01/12", trsf("01/12", 35_000, "MIKE TAN"), 35_000, "CR"),
    ("01/12", trsf("01/12", 35_000, "MIKE TAN"), 35_000, "CR"),  # twice the same, one day
    ("01/12", "BIAYA ADM", 10_000, "DB"),
]
DAY2 = [
    ("02/12", trsf("02/12", 35_000, "MIKE TAN"), 35_000, "CR"),
    ("02/12", trsf("02/12", 99_000, "BUDI"), 99_000, "CR"),
]


def test_keys_are_the_same_on_a_second_read(tmp_path):
    first = read(tmp_path, bca(DAY1))
    again = read(tmp_path, bca(DAY1))
    assert [t.key for t in first.transfers] == [t.key for t in again.transfers]
    # Two identical transfers on one day are two rows, two keys.
    assert len({t.key for t in first.transfers}) == 3


def test_keys_survive_a_redownload_with_crlf_and_a_bom(tmp_path):
    first = read(tmp_path, bca(DAY1))
    redone = read(tmp_path, b"\xef\xbb\xbf" + bca(DAY1).replace("\n", "\r\n").encode())
    assert [t.key for t in redone.transfers] == [t.key for t in first.transfers]
    assert redone.account == "0123456789"


def test_an_overlapping_next_day_statement_gives_the_same_keys_to_the_same_rows(tmp_path):
    day1 = read(tmp_path, bca(DAY1, period="01/12/2026 - 01/12/2026"))
    both = read(
        tmp_path, bca(DAY1 + DAY2, period="01/12/2026 - 02/12/2026"), today=date(2026, 12, 3)
    )
    keys1 = [t.key for t in day1.transfers]
    keys2 = [t.key for t in both.transfers]
    assert keys2[:3] == keys1
    assert len(set(keys2)) == 5
    # The 35.000 of day 2 is not the 35.000s of day 1.
    assert keys2[3] not in keys1


def test_keys_differ_by_account(tmp_path):
    one = read(tmp_path, bca(DAY1))
    other = read(tmp_path, bca(DAY1, account="9876543210"))
    assert not {t.key for t in one.transfers} & {t.key for t in other.transfers}


def test_a_statement_in_windows_1252_is_read(tmp_path):
    text = bca([("01/12", trsf("01/12", 150_000, "JOSÉ ALVES"), 150_000, "CR")])
    s = read(tmp_path, text.encode("cp1252"))
    assert s.transfers[0].description.endswith("150000.00JOSÉ ALVES")


def test_a_long_windows_1252_statement_is_read(tmp_path):
    rows = [
        ("01/12", trsf("01/12", 1_000, f"BUDI SANTOSO {i:04d}"), 1_000, "CR") for i in range(700)
    ]
    rows.append(("01/12", trsf("01/12", 1_000, "JOSÉ ALVES"), 1_000, "CR"))
    data = bca(rows).encode("cp1252")
    assert data.index("É".encode("cp1252")) > 1 << 16
    s = read(tmp_path, data)
    assert len(s.transfers) == 701
    assert s.transfers[-1].description.endswith("JOSÉ ALVES")


# ----- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "phrases"),
    [
        (b"", ["is empty (0 bytes): not a statement."]),
        (b"PK\x03\x04" + b"\x00" * 40, ["is a spreadsheet (Excel), not a CSV."]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, ["is a spreadsheet (Excel)"]),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", ["is a PDF; olshop reads the statement as CSV."]),
        (b"Tanggal,Keterangan\n\x00\x00\x00", ["is not a text file (it holds NUL bytes)."]),
        (
            b"name,phone,city\nSiti,0812,Bandung\n",
            ["is not a bank statement olshop knows: none of its first 40 lines is a header row",
             "--bank csv --date COL --amount COL --description COL"],
        ),
        (
            BCA_PERSONAL.replace(",", "\t").encode(),
            ["is separated by tabs, not commas"],
        ),
        (
            BCA_PERSONAL.replace(",", ";").encode(),
            ["Line 6 of", "is separated by ';', not ',': it looks like a spreadsheet saved as CSV"],
        ),
        (
            MANDIRI_KOPRA.replace(";", ",").encode(),
            ["Line 1 of", "is separated by ',', not ';'"],
        ),
    ],
    ids=["empty", "xlsx", "xls", "pdf", "nul", "customers", "tabs", "semicolons", "kopra-commas"],
)  # fmt: skip
def test_files_that_are_not_statements_are_refused(tmp_path, data, phrases):
    refusal(tmp_path, data, *phrases)


def test_a_nul_byte_past_the_start_is_refused_with_its_line(tmp_path):
    rows = [("01/12", trsf("01/12", 1_000, f"BUDI {i:04d}"), 1_000, "CR") for i in range(800)]
    lines = bca(rows).split("\n")
    lines[700] = lines[700].replace("BUDI", "BU\x00DI")
    refusal(
        tmp_path, "\n".join(lines).encode(), "Line 701 of", "holds a NUL byte: the file is damaged"
    )


def test_an_unknown_bank_is_refused(tmp_path):
    refusal(
        tmp_path, BCA_PERSONAL, "Unknown bank 'bni'.", "Use --bank bca|mandiri|bri|csv", bank="BNI"
    )


def test_no_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(StatementError, match="There is no file"):
        read_statement(tmp_path / "missing.csv", TODAY)
    with pytest.raises(StatementError, match="is a folder, not a statement file."):
        read_statement(tmp_path, TODAY)


def test_a_bca_statement_without_its_closing_lines_is_cut_short(tmp_path):
    cut = BCA_PERSONAL.split("Saldo Awal")[0]
    refusal(
        tmp_path,
        cut,
        "ends at line 11 without BCA's closing lines (Saldo Awal, Kredit, Debet, Saldo Akhir): "
        "it looks cut short.",
    )


def test_a_bca_statement_cut_in_the_middle_of_a_row(tmp_path):
    lines = BCA_PERSONAL.splitlines()
    cut = "\n".join(lines[:8]) + "\n" + lines[8][:70]  # line 9, cut inside its description
    err = refusal(tmp_path, cut, "Line 9 of", "where the header has 6: the file looks cut short")
    assert "A BCA transfer line looks like: '01/12,TRSF E-BANKING CR" in str(err)
    quoted = "\n".join(lines[:8]) + "\n" + lines[8].split('"35,')[0] + '"35,3'  # in its amount
    refusal(tmp_path, quoted, "Line 9 of", "the file looks cut short or edited")


def test_closing_totals_that_do_not_match_the_rows(tmp_path):
    refusal(
        tmp_path,
        BCA_PERSONAL.replace('Kredit,=,"284,338.00"', 'Kredit,=,"384,338.00"'),
        "but its closing line says Rp384.338: lines are missing or were changed.",
    )
    refusal(
        tmp_path,
        BCA_PERSONAL.replace('Debet,=,"60,000.00"', 'Debet,=,"70,000.00"'),
        "The transfers out of",
        "add up to Rp60.000 but its closing line says Rp70.000",
    )
    # A row taken out: the totals no longer add up.
    lines = BCA_PERSONAL.splitlines(keepends=True)
    refusal(tmp_path, "".join(lines[:6] + lines[7:]), "lines are missing or were changed")


def test_the_closing_total_may_count_the_pending_rows_or_not(tmp_path):
    without = BCA_PERSONAL.replace('Kredit,=,"284,338.00"', 'Kredit,=,"185,338.00"')
    assert len(read(tmp_path, without).transfers) == 3


def test_a_row_after_the_closing_totals_is_refused(tmp_path):
    text = BCA_PERSONAL + '\'01/12,TRSF E-BANKING CR X,\'0000,"1.00",CR,"1.00"\n'
    refusal(tmp_path, text, "Line 16 of", "comes after the closing totals; the file was changed")


def test_an_unreadable_date_names_its_line(tmp_path):
    text = BCA_PERSONAL.replace("'01/12,TARIKAN", "'41/12,TARIKAN")
    refusal(tmp_path, text, "Line 8 of", "has ''41/12' where a date (like 01/12) was expected")
    text = BRI.replace('"2026-12-01 13:45:10"', '"2026-13-01 13:45:10"')
    refusal(tmp_path, text, "Line 4 of", "where a date (like 01/12) was expected")


def test_an_unreadable_amount_names_its_line(tmp_path):
    text = BCA_PERSONAL.replace('"35,338.00",CR', '"35,3x8.00",CR')
    refusal(tmp_path, text, "Line 9 of", "has '35,3x8.00' where an amount was expected")
    text = MANDIRI_LIVIN.replace('"1.500.000,00"', '"satu juta"')
    refusal(tmp_path, text, "Line 5 of", "has 'satu juta' where an amount was expected")


def test_a_row_with_both_a_credit_and_a_debit_is_refused(tmp_path):
    text = BRI.replace('"50000.00",".00"', '"50000.00","1.00"')
    refusal(tmp_path, text, "Line 3 of", "has both a credit and a debit")


def test_a_line_longer_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(statement, "MAX_LINE", 60)
    refusal(
        tmp_path, BCA_PERSONAL, "Line 7 of", "is longer than 60 characters: not a bank statement"
    )


def test_more_transfers_than_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(statement, "MAX_TRANSFERS", 2)
    refusal(tmp_path, BCA_PERSONAL, "holds more than 2 incoming transfers.", "Download a shorter")
