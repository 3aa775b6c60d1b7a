"""The seller's language: every message olshop prints for the seller goes through `_()`.

gettext, the conventional way: the English text is the message id; the Indonesian
catalog (`locale/id/LC_MESSAGES/olshop.mo`, shipped in the package, made from the `.po`
beside it with Babel's `pybabel compile`) gives each one in Indonesian. The interface
language is the shop's `ui-lang` setting (Indonesian when it is not set), and
$OLSHOP_UI_LANG overrides it for one command. Buyers' messages have their own setting
(`lang`) and their own templates: they never pass through here.

    from olshop_cli.i18n import _
    raise NotFound(_("No customer '{key}'.").format(key=key))

Placeholders are named and filled after translating (`.format`), never an f-string
inside `_()`: the catalog holds the sentence with its `{names}`, so a translator can move
them. `N_()` marks a text for the catalog where it is defined (a table of help texts) and
`_()` translates it where it is shown.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

DOMAIN = "olshop"
LANGS = ("id", "en")
DEFAULT = "id"
LOCALE_DIR = Path(__file__).parent / "locale"

# Where the shop's stored `ui-lang` comes from (set by the CLI once it knows the ledger
# folder); asked at the first message, not at start-up, so `--version` never reads it.
_stored: list[Callable[[], str | None] | None] = [None]
_state: dict[str, object] = {}


def set_source(source: Callable[[], str | None] | None) -> None:
    """How to read the shop's `ui-lang` setting (None: none is stored)."""
    _stored[0] = source
    _state.clear()


def use(lang: str | None) -> None:
    """Fix the interface language for the rest of this process (None: ask again)."""
    _state.clear()
    if lang is not None:
        _state["lang"] = lang


def ui_lang() -> str:
    """The interface language: $OLSHOP_UI_LANG, else the shop's `ui-lang`, else Indonesian."""
    lang = _state.get("lang")
    if isinstance(lang, str):
        return lang
    chosen = _from_env()
    if chosen is None:
        source = _stored[0]
        # While the setting is read, a message about the ledger (a damaged file) is in the
        # default language: asking again would read the ledger again, and again.
        _state["lang"] = DEFAULT
        try:
            stored = source() if source else None
        except Exception:  # noqa: BLE001 - a ledger that cannot be read is told elsewhere
            stored = None
        chosen = stored if stored in LANGS else DEFAULT
    _state["lang"] = chosen
    return chosen


def _from_env() -> str | None:
    raw = os.environ.get("OLSHOP_UI_LANG", "").strip().lower()
    if not raw:
        return None
    # id_ID.UTF-8, en-US: the language part is enough
    word = raw.replace("-", "_").split("_")[0].split(".")[0]
    if word in ("in", "ind", "indonesia", "indonesian", "bahasa"):
        word = "id"
    if word in ("eng", "english", "inggris", "c", "posix"):
        word = "en"
    return word if word in LANGS else None


def _catalog():
    found = _state.get("catalog")
    if found is not None:
        return found
    import gettext

    lang = ui_lang()
    if lang == "en":  # the message ids are the English texts
        catalog: gettext.NullTranslations = gettext.NullTranslations()
    else:
        catalog = gettext.translation(DOMAIN, LOCALE_DIR, [lang], fallback=True)
    _state["catalog"] = catalog
    return catalog


def _(message: str) -> str:
    """`message` in the seller's interface language."""
    if not message:
        return message
    if _RECORD:
        _check(message)
    return _catalog().gettext(message)


# Tests set $OLSHOP_I18N_MISSING to a file: every message asked for that the Indonesian
# catalog lacks is appended to it, whatever the interface language (the catalog test).
_RECORD = os.environ.get("OLSHOP_I18N_MISSING", "")


def _check(message: str, plural: str | None = None) -> None:
    import gettext

    known = _state.get("id")
    if known is None:
        known = gettext.translation(DOMAIN, LOCALE_DIR, ["id"], fallback=True)
        _state["id"] = known
    assert isinstance(known, gettext.NullTranslations)
    found = known.gettext(message) if plural is None else known.ngettext(message, plural, 1)
    if found is message:  # not in the catalog: the id came back
        with open(_RECORD, "a", encoding="utf-8") as missing:
            missing.write(message.replace("\n", "\\n") + "\n")


def known(message: str) -> str:
    """`message` translated if the catalog has it, else as it is (click's own words, a
    text that may already be translated): never recorded as missing."""
    return _catalog().gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural text for `n`, in the seller's interface language."""
    if _RECORD:
        _check(singular, plural)
    return _catalog().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the seller's language where the same English word means two things
    (`pgettext("amount", "paid")`: the money paid, not the status "lunas")."""
    if _RECORD:
        _check(f"{context}\x04{message}")
    found = _catalog().pgettext(context, message)
    return found


def N_(message: str) -> str:
    """Mark `message` for the catalog; `_()` translates it where it is shown."""
    return message
