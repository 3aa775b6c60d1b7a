"""Text from outside made safe to show: one place for what a terminal would act on.

Names, notes and SKUs come from buyers' chats and imported files. `safe` drops escape
sequences, control characters and bidirectional overrides; `safe_json` writes the ones JSON
would leave raw as \\u escapes; `safe_csv` keeps what a quoted CSV cell may hold. Plain
functions, no I/O: the output module prints through them, and keys are made from names
passed through them.
"""

from __future__ import annotations

import re
from functools import cache

# Terminal escape sequences (CSI `ESC [ ... X`, OSC `ESC ] ... BEL|ST`, any other `ESC X`),
# then single control characters: C0 but tab and newline, DEL, C1, and the bidirectional
# controls that reorder what is shown.
_SEQUENCE = (
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, ended by BEL or ST
    r"|\x1b[@-~]?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # CSI as one C1 character
)
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# As _CONTROL, but carriage return (\x0d) kept: a quoted CSV cell may hold one.
_CSV_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_PATTERNS = {
    "any": f"{_SEQUENCE}|[{_CONTROL}]",
    "line": f"{_SEQUENCE}|[{_CONTROL}\\n]",
    "csv": f"{_SEQUENCE}|[{_CSV_CONTROL}]",
    # In JSON text, where control characters below 0x20 are already escaped: the others.
    "json": "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]",
}


@cache
def _unsafe(kind: str) -> re.Pattern[str]:
    """Compiled when first needed: nearly every command prints nothing that needs them."""
    return re.compile(_PATTERNS[kind])


def safe(text: str, one_line: bool = False) -> str:
    """`text` without anything that would act on a terminal: escape sequences and control
    characters go (a tab becomes a space; with `one_line`, a line break too)."""
    if text.isprintable() or (not one_line and text.replace("\n", "").isprintable()):
        return text  # nearly always: nothing to take out (C functions, fast)
    text = text.replace("\t", " ")
    if one_line:
        return _unsafe("line").sub(lambda m: " " if m.group() == "\n" else "", text)
    return _unsafe("any").sub("", text)


def safe_csv(text: str) -> str:
    """CSV text without escape sequences and control characters, but for the tabs, line
    breaks and carriage returns a quoted cell may hold (a spreadsheet shows those)."""
    if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return text
    return _unsafe("csv").sub("", text)


def safe_json(text: str) -> str:
    """JSON text with DEL, C1 and bidirectional controls written as \\u escapes: the same
    JSON, with nothing in it a terminal would act on."""
    if text.isascii() and "\x7f" not in text:
        return text
    return _unsafe("json").sub(lambda m: f"\\u{ord(m.group()):04x}", text)
