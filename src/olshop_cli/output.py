"""How things are shown: tables (rich on a terminal, plain text otherwise), JSON, messages.

Data goes to stdout; messages and warnings go to stderr. `rich` is imported only when a
table is drawn on a colour terminal, so scripts and pipes never pay for it.

Everything printed here passes `safe`: names, notes and SKUs come from buyers' chats and
imported files, and must not be able to drive the seller's terminal (clear the screen,
retitle the window, hide text). Stored values stay as they were typed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from olshop_cli.text import safe, safe_json


class _SafeStream:
    """A text stream that passes everything written to it through `safe`: click's own
    messages (a usage error echoing a bad value) go to stderr without us. `words` puts
    them in the seller's language."""

    def __init__(self, stream, words=None):
        self._stream = stream
        self._words = words

    def write(self, text: str) -> int:
        shown = self._words(text) if self._words and "\n" in text else text
        self._stream.write(safe(shown))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def safe_stderr(words=None) -> Iterator[None]:
    """While a command runs, whatever reaches stderr is made safe to show."""
    was = sys.stderr
    sys.stderr = _SafeStream(was, words)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stderr = was


def fancy() -> bool:
    """Rich tables and colour: only on a terminal, and never with NO_COLOR set."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def print_json(data: object) -> None:
    """Valid JSON on stdout, and nothing else."""
    import json

    sys.stdout.write(safe_json(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def print_json_stream(items) -> None:
    """A JSON array on stdout, written item by item (a long history never sits in memory)."""
    import orjson

    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    dumps, indent = orjson.dumps, orjson.OPT_INDENT_2
    chunk: list[bytes] = [b"["]
    first = True
    for item in items:
        chunk.append((b"\n" if first else b",\n") + dumps(item, option=indent))
        first = False
        if len(chunk) >= 500:  # a few hundred items a write, not one each
            _write(out, chunk)
            chunk = []
    chunk.append(b"]\n" if first else b"\n]\n")
    _write(out, chunk)


def _write(out, chunk: list[bytes]) -> None:
    blob = b"".join(chunk)
    # DEL, C1 or a bidirectional control in a value (all but DEL are outside ASCII, which
    # most text is: two C scans, the regular expression only for the rest)
    if b"\x7f" in blob or not blob.isascii():
        blob = safe_json(blob.decode()).encode()
    if out is None:  # a text stream without bytes underneath (a test's capture)
        sys.stdout.write(blob.decode())
    else:
        sys.stdout.flush()
        out.write(blob)
        out.flush()


def out(text: str = "") -> None:
    """A line of data on stdout."""
    sys.stdout.write(safe(text) + "\n")


def line(text: str, sep: str = " · ") -> None:
    """A line for the seller on stdout; on a phone broken at its `sep` parts (then between
    words), so that a count or a date is never split."""
    if not narrow() or len(text) <= width():
        out(text)
        return
    import textwrap

    room, lines, current = width(), [], ""
    for part in text.split(sep):
        joined = f"{current}{sep}{part}" if current else part
        if len(joined) <= room or not current:
            current = joined
        else:
            lines.append(current)
            current = part
    lines.append(current)
    for piece in lines:
        for wrapped in textwrap.wrap(piece, room, break_long_words=False, break_on_hyphens=False):
            out(wrapped)


def say(text: str) -> None:
    """A message for the seller, on stderr."""
    sys.stderr.write(safe(text) + "\n")


def warn(text: str) -> None:
    """A warning for the seller, on stderr."""
    from olshop_cli.i18n import _

    say(_("Warning: {text}").format(text=text))


NARROW = 60  # columns: below this (a phone), listings are blocks, not tables


def width() -> int:
    """The screen's width in columns ($COLUMNS first, as shells and tmux set it)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def narrow() -> bool:
    """A screen narrower than NARROW columns: stacked blocks read better than tables."""
    return width() < NARROW


def blocks(title: str | None, items: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Stacked blocks for a narrow screen: each item's head line, then its lines indented
    and wrapped to the screen (never cutting a word such as an id or an amount)."""
    import textwrap

    room = max(width() - 2, 20)

    def whole(text: str) -> list[str]:  # a heading, wrapped only between words
        return textwrap.wrap(
            safe(text, one_line=True), room + 2, break_long_words=False, break_on_hyphens=False
        )

    lines = whole(title) if title else []
    for head, rest in items:
        lines.extend(whole(head))
        for text in rest:
            text = safe(text, one_line=True)
            command = ""
            at = text.find(" olshop ")
            if len(text) > room and at > 0 and len(text) - at <= room - 1:
                # a command to type goes on a line of its own rather than broken in two
                text, command = text[:at], text[at + 1 :]
            wrapped = textwrap.wrap(
                text,
                room,
                subsequent_indent="  ",  # a line that goes on reads as one
                break_long_words=False,
                break_on_hyphens=False,
            )
            if command:
                wrapped.append(f"  {command}")
            lines.extend(f"  {part}" for part in wrapped)
    sys.stdout.write("\n".join(lines) + "\n")


def stacked(columns: Sequence[str], cells: Sequence[Sequence[str]], title: str | None) -> None:
    """A table for a phone: one block per row, its first cells as the head line
    (`B4 · Budi Santoso`), then `Label: value` lines, wrapped between words only."""
    head = 2 if len(columns) > 2 else 1
    items = []
    for row in cells:
        lines = [
            f"{name}: {value}" if name else str(value)  # a column with no heading: SOLD OUT
            for name, value in zip(columns[head:], row[head:], strict=True)
            if value
        ]
        items.append((" · ".join(c for c in row[:head] if c), lines))
    blocks(title, items)


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    title: str | None = None,
    right: Sequence[str] = (),
    styles: Sequence[str | None] | None = None,
    whole: Sequence[str] = (),
) -> None:
    """A table on stdout. `right` names columns to align right (money, counts); `whole`
    columns never wrapped or cut on a narrow terminal (ids, short words); `styles` gives
    each row a rich style (colour terminals only)."""
    cells = [["" if v is None else safe(str(v), one_line=True) for v in row] for row in rows]
    title = None if title is None else safe(title, one_line=True)
    if narrow():
        stacked(columns, cells, title)
        return
    if fancy():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        # Light borders and unbreakable ids and amounts: phones have narrow terminals.
        grid = Table(
            title=title,
            title_justify="left",
            title_style="bold",
            box=None,
            pad_edge=False,
        )
        for i, name in enumerate(columns):
            grid.add_column(
                name,
                justify="right" if name in right else "left",
                no_wrap=i == 0 or name in right or name in whole,
            )
        for i, row in enumerate(cells):
            # Text(): a customer named [bold] is shown literally, never as markup.
            grid.add_row(*(Text(c) for c in row), style=styles[i] if styles else None)
        Console().print(grid)
        return
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    # One format string for every line: "{:<8}  {:>12}  ..." (left, or right for money).
    template = "  ".join(
        f"{{:{'>' if name in right else '<'}{width}}}"
        for name, width in zip(columns, widths, strict=True)
    )
    lines = [title] if title else []
    lines.append(template.format(*columns).rstrip())
    lines.extend(template.format(*row).rstrip() for row in cells)
    sys.stdout.write("\n".join(lines) + "\n")


def fields(pairs: Sequence[tuple[str, object]], title: str | None = None) -> None:
    """A `show` view: one `label: value` per line, empty values left out."""
    if title:
        if fancy():
            from rich.console import Console
            from rich.text import Text

            Console().print(Text(safe(title, one_line=True), style="bold"))
        else:
            out(safe(title, one_line=True))
    shown = [(k, v) for k, v in pairs if v not in (None, "", [])]
    pad = max((len(k) for k, _ in shown), default=0)
    if narrow():  # a phone: a long value goes on under itself, between words
        import textwrap

        room = max(width(), 20)
        for key, value in shown:
            text = f"{key.ljust(pad)}  {safe(str(value), one_line=True)}"
            for part in textwrap.wrap(
                text,
                room,
                initial_indent="  ",
                subsequent_indent=" " * min(pad + 4, room // 2),
                break_long_words=False,
                break_on_hyphens=False,
            ):
                out(part)
        return
    for key, value in shown:
        out(f"  {key.ljust(pad)}  {safe(str(value), one_line=True)}")
