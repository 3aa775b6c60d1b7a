"""The seller-interface catalogs, made with Babel's tools (development only).

    python tools/catalog.py update [TRANSLATIONS.json ...]   extract, merge, compile
    python tools/catalog.py check                             what is missing or stale

`update` extracts every message from the source (Babel's Python extractor for `_()`,
`N_()` and `ngettext()`, plus the `--help` texts Typer shows: each `help=` text and each
command's docstring, as `inspect.cleandoc` gives it), writes `olshop.pot`, brings the
Indonesian and English catalogs (`locale/LANG/LC_MESSAGES/olshop.po`) up to it
(Babel's `Catalog.update`), takes translations from the JSON files given (English id ->
Indonesian, or [singular, plural]), and compiles each `.po` into the `.mo` olshop reads.
`check` exits 1 naming every message with no Indonesian translation, every fuzzy one, and
a `.mo` that is not the compiled `.po` (the test suite runs it).
"""

from __future__ import annotations

import ast
import inspect
import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "olshop_cli"
LOCALE = PACKAGE / "locale"
DOMAIN = "olshop"
LANGS = ("id", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
HEADER = "olshop: what the seller reads (the buyers' messages are templates, not here)"


def _aliases() -> set[str]:
    """Names of module-level parameter types in the cli package (`Id = Annotated[str,
    typer.Argument(...)]`, `JsonOpt`): a function taking one is a command too."""
    names = set()
    for path in (PACKAGE / "cli").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and "typer." in ast.unparse(node.value):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_command(node: ast.FunctionDef, aliases: set[str]) -> bool:
    """A function Typer turns into a command: typer parameters, or a command decorator."""
    for deco in node.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if getattr(target, "attr", "") in ("command", "callback"):
            return True
    for arg in node.args.args + node.args.kwonlyargs:
        if arg.annotation is None:
            continue
        text = ast.unparse(arg.annotation)
        if "typer." in text or text in aliases:
            return True
    return False


def help_texts(path: Path):
    """(line, text) of each `help=` text and each command's docstring in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = _aliases()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("help", "short_help"):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                yield node.value.lineno, node.value.value
        if isinstance(node, ast.FunctionDef) and _is_command(node, aliases):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, inspect.cleandoc(doc)


def extract() -> Catalog:
    template = Catalog(domain=DOMAIN, project="olshop", header_comment=f"# {HEADER}")
    found = extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        where = (f"olshop_cli/{filename}", lineno)
        template.add(message, locations=[where], auto_comments=comments, context=context)
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        for lineno, text in help_texts(path):
            template.add(text, locations=[(f"olshop_cli/cli/{path.name}", lineno)])
    return template


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(lang: str) -> Catalog:
    path = _po(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="olshop")
    with path.open("rb") as stream:
        return read_po(stream, locale=lang, domain=DOMAIN)


def _mo(catalog: Catalog) -> bytes:
    blob = io.BytesIO()
    write_mo(blob, catalog)
    return blob.getvalue()


def update(translation_files: list[str]) -> None:
    template = extract()
    LOCALE.mkdir(parents=True, exist_ok=True)
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as stream:
        write_po(stream, template, width=0, omit_header=False, sort_output=False)
    given: dict[str, object] = {}
    for name in translation_files:
        given.update(json.loads(Path(name).read_text(encoding="utf-8")))
    for lang in LANGS:
        catalog = _read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        if lang == "id":
            for message in catalog:
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                if key and message.context:  # pgettext: "context|message" in the JSON
                    key = f"{message.context}|{key}"
                if not key or key not in given:
                    continue
                value = given[key]
                if isinstance(message.id, tuple):
                    if isinstance(value, str):  # one text for both forms (Indonesian)
                        value = [value, value]
                    message.string = tuple(value)
                else:
                    message.string = value
                message.flags.discard("fuzzy")
        path = _po(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:
            write_po(stream, catalog, width=0, ignore_obsolete=True, include_previous=False)
        path.with_suffix(".mo").write_bytes(_mo(_read(lang)))  # the .po as written


def problems() -> list[str]:
    """What `check` reports: messages without Indonesian, stale catalogs."""
    template = extract()
    wanted = {m.id for m in template if m.id}
    found: list[str] = []
    for lang in LANGS:
        catalog = _read(lang)
        have = {m.id for m in catalog if m.id}
        for missing in sorted(wanted - have, key=str):
            found.append(f"{lang}: not in the catalog: {missing!r}")
        mo = _po(lang).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != _mo(catalog):
            found.append(f"{lang}: {mo.name} is not compiled from {_po(lang).name}")
        if lang != "id":
            continue
        for message in catalog:
            if not message.id or message.id not in wanted:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if "fuzzy" in message.flags or not all(strings):
                found.append(f"id: no translation: {message.id!r}")
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update(argv[1:])
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
