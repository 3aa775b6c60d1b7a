"""Replies: `reply TEMPLATE` prints the message for a buyer; `templates list|show|edit|path`
manage the built-in and the seller's own templates. Parse, call replies.py, print."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from olshop_cli import output, paths, replies
from olshop_cli.cli.common import (
    JsonOpt,
    complete_booking,
    complete_customer,
    complete_sku,
    read,
)
from olshop_cli.errors import Conflict, InputError
from olshop_cli.i18n import _

templates_app = typer.Typer(
    help="Reply templates: the built-in ones and your own (plain text files you can edit).\n\n"
    "Example: olshop templates edit thanks",
    no_args_is_help=True,
    rich_markup_mode=None,
)

LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="id (Indonesian) or en (English); default: config lang."),
]


def templates_dir() -> Path:
    """The seller's templates folder inside the ledger folder (may not exist yet)."""
    from olshop_cli.cli.common import store

    return store().home / paths.TEMPLATES_DIR


def _lang(value: str | None, ledger) -> str:
    if value is None:
        return ledger.setting("lang")
    try:
        return replies.check_lang(value)
    except InputError:
        raise typer.BadParameter(
            _("'{value}' is not a language: use id or en.").format(value=value),
            param_hint="--lang",
        ) from None


def _parse_sets(items: list[str] | None) -> dict[str, str]:
    """`--set key=value` pairs; a bad form or an unknown name is a usage error naming it."""
    values: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise typer.BadParameter(
                _("'{item}' is not key=value, e.g. --set courier=JNE").format(item=item),
                param_hint="--set",
            )
        if key not in replies.VARIABLES:
            raise typer.BadParameter(
                _("'{key}' is not a template variable; known: {known}").format(
                    key=key, known=", ".join(replies.VARIABLES)
                ),
                param_hint="--set",
            )
        values[key] = value
    return values


def copy_to_clipboard(text: str) -> str | None:
    """Put text on the clipboard with the system's own tool; None when it worked, else why
    not. No extra package: pyperclip would shell out to these same tools on Linux."""
    import shutil
    import subprocess

    if sys.platform == "darwin":
        tools = [["pbcopy"]]
    elif os.name == "nt":
        tools = [["clip"]]
    else:
        tools = []
        if os.environ.get("WAYLAND_DISPLAY"):
            tools.append(["wl-copy"])
        if os.environ.get("DISPLAY"):
            tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
        tools += [["termux-clipboard-set"], ["clip.exe"]]  # Android (Termux), WSL
    for argv in tools:
        exe = shutil.which(argv[0])
        if exe is None:
            continue
        # clip.exe reads UTF-16 (with its byte-order mark); everything else reads UTF-8.
        data = (
            ("\ufeff" + text).encode("utf-16-le")
            if argv[0] in ("clip", "clip.exe")
            else text.encode()
        )
        try:
            # No pipes back to us: xclip keeps running to serve the selection.
            subprocess.run(
                [exe, *argv[1:]],
                input=data,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=5,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        return None
    return _(
        "no clipboard here (needs wl-copy, xclip or xsel with a display, pbcopy on macOS, "
        "clip on Windows or termux-clipboard-set on Android)"
    )


def paste_from_clipboard() -> tuple[str | None, str | None]:
    """The clipboard's text through the system's own tool, as (text, None); (None, why not)
    when no tool here could give it."""
    import shutil
    import subprocess

    if sys.platform == "darwin":
        tools = [["pbpaste"]]
    elif os.name == "nt":
        tools = [["powershell", "-NoProfile", "-Command", "Get-Clipboard"]]
    else:
        tools = []
        if os.environ.get("WAYLAND_DISPLAY"):
            tools.append(["wl-paste", "--no-newline"])
        if os.environ.get("DISPLAY"):
            tools += [
                ["xclip", "-selection", "clipboard", "-o"],
                ["xsel", "--clipboard", "--output"],
            ]
        tools += [
            ["termux-clipboard-get"],
            ["powershell.exe", "-NoProfile", "-Command", "Get-Clipboard"],
        ]
    for argv in tools:
        exe = shutil.which(argv[0])
        if exe is None:
            continue
        try:
            done = subprocess.run(
                [exe, *argv[1:]],
                capture_output=True,
                timeout=5,
                check=True,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        return done.stdout.decode("utf-8", "replace").replace("\r\n", "\n"), None
    return None, _(
        "no clipboard here (needs wl-paste, xclip or xsel with a display, pbpaste on macOS, "
        "PowerShell on Windows or termux-clipboard-get on Android)"
    )


def reply(
    template: Annotated[
        str,
        typer.Argument(
            help="greet, ask-name, format-order, thanks, sorry, stockout, upsell, confirm, "
            "remind, checkin, release, away, paid, shipped (shipped-instant, shipped-cod, "
            "pickup), or one of your own.",
            metavar="TEMPLATE",
            show_default=False,
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            "-t",
            help="The buyer: key, phone in any spelling, or start of the name.",
            autocompletion=complete_customer,
        ),
    ] = None,
    booking: Annotated[
        str | None,
        typer.Option(
            "--booking",
            "-b",
            help="A booking id (B12): fills the buyer and the booking.",
            autocompletion=complete_booking,
        ),
    ] = None,
    sku: Annotated[
        str | None,
        typer.Option(
            "--sku", help="The product, for stockout and upsell.", autocompletion=complete_sku
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Fill or override a variable: --set courier=JNE (repeat)."),
    ] = None,
    lang: LangOpt = None,
    copy: Annotated[bool, typer.Option("--copy", help="Also put it on the clipboard.")] = False,
    wa: Annotated[
        bool, typer.Option("--wa", help="Print a WhatsApp link (wa.me) with the message instead.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Print it even if it does not fit the booking's status or money."
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Print the message for a buyer, ready to paste (stdout carries only the message).

    A message about a booking is checked against it first: one that would tell the buyer
    something untrue (a reminder for a paid order, "paid" while money is still owed) is
    refused, with the template that fits.

    Example: olshop reply greet --to mike

    Example: olshop reply stockout --sku PAN-28 --to siti --wa

    Example: olshop reply confirm --booking B12 --copy
    """
    overrides = _parse_sets(set_)
    if to and booking:
        raise typer.BadParameter(
            _("give --to or --booking, not both (the booking names its buyer)"),
            param_hint="--to",
        )
    from contextlib import nullcontext

    from olshop_cli.cli.common import change

    # Telling a buyer something is sold out is remembered on the product (a ledger change),
    # so `product stock SKU +N` can list who to tell when it is back.
    remember = bool(sku and (to or booking)) and template.strip().lower() == "stockout"
    with change() if remember else nullcontext(read()) as (ledger, now):
        lang = _lang(lang, ledger)
        customer = ledger.find_customer(to) if to else None
        found = ledger.find_booking(booking) if booking else None
        if found is not None:
            customer = ledger.customers.get(found.customer)
        product = ledger.find_product(sku) if sku else None
        chosen = replies.find_template(template, lang, templates_dir())
        untrue = replies.untrue_for(chosen.name, found) if found is not None else None
        if untrue is None and product is not None:
            untrue = replies.untrue_for_product(chosen.name, ledger, product)
        if untrue and not force:
            raise Conflict(untrue[0], untrue[1])
        situation = replies.Situation(
            ledger,
            now,
            lang,
            customer=customer,
            booking=found,
            product=product,
            overrides=overrides,
        )
        text = replies.render(chosen, situation, emoji=ledger.setting("emoji") == "on")
        phone = customer.phone if customer else None
        if wa and phone is None:
            if customer is None:
                raise InputError(
                    _("--wa needs a buyer to send to."), _("Add --to CUSTOMER or --booking ID.")
                )
            raise InputError(
                _("{name} has no phone number, so there is no WhatsApp link.").format(
                    name=customer.name
                ),
                _("Add one: olshop customer edit {key} --phone 0812...").format(key=customer.key),
            )
        link = replies.wa_link(phone, text) if phone else None

        warnings = list(situation.notes)
        if untrue:  # printed anyway, as the seller asked
            warnings.insert(0, _("{problem} Printed anyway (--force).").format(problem=untrue[0]))
        if chosen.name in ("remind", "checkin"):
            late = replies.outside_hours_warning(ledger, now)
            last = found.reminders[-1]["at"] if found is not None and found.reminders else None
            pressure = replies.pressure_warning(found, now, last) if found is not None else None
            warnings += [w for w in (late, pressure) if w]
        noted = None
        # `remember` needs --sku, so the product was found (find_product raises otherwise).
        if remember and chosen.name == "stockout" and customer is not None:
            assert product is not None
            if ledger.note_asked(product.sku, customer):
                noted = _(
                    "Noted: {name} asked about {sku}; "
                    "olshop product stock {sku} +N will remind you to tell them."
                ).format(name=customer.name, sku=product.sku)

    message = text
    if wa and (copy or not json_):
        assert link is not None  # --wa without a phone number was refused above
        message = link
    if json_:
        who = None
        if customer is not None or found is not None:
            if customer:
                key, name = customer.key, customer.name
            else:
                assert found is not None
                key, name = found.customer, found.customer_name
            who = {
                "key": key,
                "name": name,
                "phone": phone,
                "addressed_as": situation.value("to"),
            }
        output.print_json(
            {"template": chosen.name, "lang": lang, "text": text, "to": who, "wa_link": link}
        )
    else:
        output.out(message)
    for warning in warnings:
        output.warn(warning)
    if noted:
        output.say(noted)
    if copy:  # as printed: nothing in it that would act on a terminal or a chat box
        why_not = copy_to_clipboard(output.safe(message))
        if why_not:
            output.warn(_("Not copied: {why}. The message is printed above.").format(why=why_not))
        else:
            output.say(_("Copied to the clipboard."))


@templates_app.command("list")
def templates_list(json_: JsonOpt = False) -> None:
    """List templates: name, languages, built-in or your own, the variables each uses."""
    folder = templates_dir()
    rows = replies.catalog(folder)
    _own, ignored = replies.own_templates(folder)
    if json_:
        output.print_json(rows)
    else:
        table = []
        for row in rows:
            if row["builtin"] and row["own"]:
                source = _("own ({langs}) over built-in").format(langs="+".join(row["own"]))
            else:
                source = _("built-in") if row["builtin"] else _("own")
            names = " ".join(
                f"${n}" + ("?" if n in row["unknown"] else "") for n in row["variables"]
            )
            table.append([row["name"], " ".join(row["languages"]), source, names])
        output.table([_("Template"), _("Lang"), _("Source"), _("Variables")], table)
    for row in rows:
        for problem in row["problems"]:
            output.warn(problem)
        if row["unknown"]:
            unknown = ", ".join(f"${n}" for n in row["unknown"])
            output.warn(
                _("'{name}' uses unknown {unknown}; see olshop templates show {name}").format(
                    name=row["name"], unknown=unknown
                )
            )
    for path in ignored:
        output.warn(
            _("Ignored {file}: name your files like promo.id.txt or promo.en.txt.").format(
                file=path.name
            )
        )


@templates_app.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="The template, e.g. thanks.")],
    lang: LangOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Show a template's text and the variables it can use."""
    ledger, _now = read()
    lang = _lang(lang, ledger)
    chosen = replies.find_template(name, lang, templates_dir())
    used = replies.check_template(chosen)
    if json_:
        output.print_json(
            {
                "name": chosen.name,
                "lang": chosen.lang,
                "source": chosen.source,
                "path": str(chosen.path) if chosen.path else None,
                "text": chosen.text,
                "uses": used,
                "variables": [
                    {"name": key, "about": about, "needs": replies.NEEDS.get(key)}
                    for key, about in replies.VARIABLES.items()
                ],
            }
        )
        return
    where = _("your file {path}").format(path=chosen.path) if chosen.path else _("built-in")
    output.out(f"{chosen.name} · {_(replies.LANG_NAMES[chosen.lang])} · {where}")
    output.out()
    output.out(chosen.text)
    output.out()
    if used:
        output.out(_("Uses: {variables}").format(variables=" ".join("$" + n for n in used)))
    else:
        output.out(_("Uses: no variables"))
    output.out(_("Variables it can use ($name or ${name}; $$ is a dollar sign):"))
    width = max(len(key) for key in replies.VARIABLES) + 1
    for key, about in replies.VARIABLES.items():
        needs = ""
        if key in replies.NEEDS:
            # "--to or --booking" is in the catalog; a lone flag (--sku) is shown as typed.
            needs = " " + _("(needs {flag})").format(flag=replies.flag_words(replies.NEEDS[key]))
        output.out(f"  ${key.ljust(width)} {_(about)}{needs}")


def _editor() -> list[str] | None:
    """$EDITOR, else $VISUAL, else nano or vi (notepad on Windows), as an argv list."""
    import shlex
    import shutil

    for var in ("EDITOR", "VISUAL"):
        value = os.environ.get(var, "").strip()
        if not value:
            continue
        argv = shlex.split(value, posix=os.name != "nt")
        if argv and shutil.which(argv[0]):
            return argv
        output.warn(
            _("{var}={value} is not a command here; trying the next editor.").format(
                var=var, value=value
            )
        )
    for fallback in ("nano", "vi", "notepad"):
        if shutil.which(fallback):
            return [fallback]
    return None


@templates_app.command("edit")
def templates_edit(
    name: Annotated[str, typer.Argument(help="A built-in to change, or a new name.")],
    lang: LangOpt = None,
) -> None:
    """Edit a template in your editor ($EDITOR); a built-in is copied to your folder first.

    Example: olshop templates edit thanks --lang en
    """
    import subprocess

    ledger, _now = read()
    lang = _lang(lang, ledger)
    path, what = replies.copy_for_editing(templates_dir(), name, lang)
    key = path.name.split(".")[0]
    if what == "copied":
        output.say(
            _("Copied the built-in '{name}' ({lang}) to {path}.").format(
                name=key, lang=lang, path=path
            )
        )
    elif what == "new":
        import difflib

        close = difflib.get_close_matches(key, list(replies.BUILTINS), n=1, cutoff=0.7)
        if close:
            output.say(
                _("New template '{name}' (did you mean {other}?) at {path}.").format(
                    name=key, other=close[0], path=path
                )
            )
        else:
            output.say(_("New template '{name}' at {path}.").format(name=key, path=path))
    editor = _editor()
    if editor is None:
        output.say(
            _("No editor found (set EDITOR). Edit the file with any text editor: {path}").format(
                path=path
            )
            + "\n"
            + _("Then try it: olshop reply {name} --lang {lang}").format(name=key, lang=lang)
        )
        return
    try:
        done = subprocess.run([*editor, str(path)])
    except OSError as exc:
        output.warn(
            _("Could not start {editor} ({why}). Edit the file: {path}").format(
                editor=editor[0], why=exc.strerror, path=path
            )
        )
        return
    if done.returncode != 0:
        output.warn(
            _("{editor} exited with code {code}.").format(editor=editor[0], code=done.returncode)
        )
    try:
        text = replies.read_template_file(path)
        replies.check_template(replies.Template(key, lang, text, "own", path))
    except InputError as exc:
        output.warn(_("Saved, but it cannot be used yet: {error}").format(error=exc))
        return
    output.say(
        _("Saved {path}. Try it: olshop reply {name} --lang {lang}").format(
            path=path, name=key, lang=lang
        )
    )


@templates_app.command("path")
def templates_path() -> None:
    """Print the folder of your own templates (NAME.id.txt, NAME.en.txt)."""
    folder = templates_dir()
    output.out(str(folder))
    if not folder.is_dir():
        output.say(_("Not created yet: olshop templates edit NAME creates it."))
