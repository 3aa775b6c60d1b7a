"""RecordLine: records read one at a time from a table's line and spliced back. Whatever a
command looks up, changes or appends, the line written must be exactly what writing the
whole table afresh would give."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from olshop_cli import store
from olshop_cli.models import Booking, Customer, Line

# Text that looks like the line's own structure, to tempt a byte search into a false match.
TRICKY = st.sampled_from(
    ['","', '{"key":"a",', ',"2":{"key":', ',"7":{"number":7,', "}}", '\\"', "ä", ""]
)
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=5)), max_size=3).map("".join)


def record_line(line: bytes, table: str, make, calls: list | None = None) -> store.RecordLine:
    """A RecordLine over `line`, as the store makes one (`calls` counts whole-line parses)."""
    field = store.KEYS[table]

    def whole() -> dict:
        if calls is not None:
            calls.append(1)
        return {d[field]: d for d in orjson.loads(line)[table].values()}

    return store.RecordLine(line, field, table == "bookings", make, None, whole)


def _customers(notes: list[str]) -> list[dict]:
    return [
        Customer(key=f"c{i}", name=f"Buyer {i}", note=note, counts={"bookings": i}).to_dict()
        for i, note in enumerate(notes)
    ]


def _booking(number: int, note: str) -> dict:
    return Booking(
        number=number,
        customer="c0",
        customer_name="Buyer 0",
        lines=[Line("SKU-1", "Barang", 1, 1000)],
        created="2026-11-23T08:00:00+07:00",
        deadline="2026-11-24T08:00:00+07:00",
        note=note,
    ).to_dict()


@settings(max_examples=300, deadline=None)
@given(
    notes=st.lists(TEXT, min_size=0, max_size=6),
    touch=st.lists(st.integers(0, 7), max_size=4),
    new_note=TEXT,
)
def test_customers_spliced_equal_customers_rewritten(notes, touch, new_note):
    docs = _customers(notes)
    line = store.dumps({"customers": {str(i): d for i, d in enumerate(docs, 1)}})
    expected = [dict(d) for d in docs]
    table = record_line(line, "customers", Customer.from_dict)
    for i in touch:
        key = f"c{i}"
        if key in table:
            table[key].note = new_note
            expected[i]["note"] = new_note
    stored = table.stored(numbered=False)
    if isinstance(stored, dict):
        stored = store.dumps({"customers": stored})
    assert stored == store.dumps({"customers": {str(i): d for i, d in enumerate(expected, 1)}})


@settings(max_examples=300, deadline=None)
@given(
    numbers=st.lists(st.integers(1, 40), unique=True, max_size=6).map(sorted),
    notes=st.lists(TEXT, min_size=6, max_size=6),
    touch=st.lists(st.integers(1, 45), max_size=4),
    add=st.lists(st.integers(41, 45), unique=True, max_size=2),
)
def test_bookings_spliced_and_appended_equal_bookings_rewritten(numbers, notes, touch, add):
    docs = {n: _booking(n, notes[i]) for i, n in enumerate(numbers)}
    line = store.dumps({"bookings": {str(n): d for n, d in docs.items()}})
    expected = {n: dict(d) for n, d in docs.items()}
    table = record_line(line, "bookings", Booking.from_dict)
    for n in touch:
        if n in table:
            table[n].status = "paid"
            expected[n]["status"] = "paid"
    for n in add:
        booking = Booking.from_dict(_booking(n, "baru"))
        table[n] = booking
        expected[n] = booking.to_dict()
    assert [b.number for b in table.built() if b.number in add] == add
    stored = table.stored(numbered=True)
    if isinstance(stored, dict):
        stored = store.dumps({"bookings": stored})
    assert stored == store.dumps({"bookings": {str(n): d for n, d in expected.items()}})
    assert orjson.loads(stored)["bookings"].keys() == {str(n) for n in expected}


def _customer_line(docs: list[dict]) -> bytes:
    return store.dumps({"customers": {str(i): d for i, d in enumerate(docs, 1)}})


def _customer_docs() -> list[dict]:
    names = ["Ani", 'Budi "B" {x}', "Citra", "Dewi"]
    notes = [None, ',"3":{"key":"citra",', "}}", None]  # look like structure, but in strings
    return [
        Customer(
            key=name.split()[0].lower(), name=name, note=note, counts={"bookings": i}
        ).to_dict()
        for i, (name, note) in enumerate(zip(names, notes, strict=True))
    ]


def test_customer_line_reads_one_record_and_splices_it_back():
    docs = _customer_docs()
    line = _customer_line(docs)
    whole_calls: list = []
    table = record_line(line, "customers", Customer.from_dict, whole_calls)
    for doc in docs:  # first, middle, last record: each found alone
        assert table[doc["key"]].name == doc["name"]
    assert "budi" in table and table.get("citra").note == "}}"
    assert whole_calls == [] and not table.complete
    table["budi"].counts = {"bookings": 99}
    spliced = table.stored(numbered=False)
    expected = [dict(d) for d in docs]
    expected[1]["counts"] = {"bookings": 99}
    assert spliced == _customer_line(expected)
    assert whole_calls == []


def test_customer_line_parses_everything_when_a_key_is_not_found_or_all_are_listed():
    docs = _customer_docs()
    line = _customer_line(docs)
    table = record_line(line, "customers", Customer.from_dict)
    table["dewi"].nick = "Wi"  # built before the whole line is read: kept
    assert "zaki" not in table and table.complete
    assert [c.key for c in table.values()] == ["ani", "budi", "citra", "dewi"]
    assert table["dewi"].nick == "Wi"
    stored = table.stored(numbered=False)
    assert stored["4"]["nick"] == "Wi" and stored["1"] == docs[0]
