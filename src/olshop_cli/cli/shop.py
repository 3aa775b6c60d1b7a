"""The shop as a whole: `init`, `today`, `config`, `hours`, `path`, `demo`."""

import sys
from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import (
    HIT_AND_RUN_LEGEND,
    NO_SHOP_HINT,
    JsonOpt,
    booking_json,
    booking_table,
    change,
    month_text,
    product_json,
    read,
    store,
    weekday_text,
)
from olshop_cli.i18n import N_, _, ngettext
from olshop_cli.money import format_money

config_app = typer.Typer(
    help="Shop settings: name, honorific, deadline, time zone, bank.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
hours_app = typer.Typer(help="Working hours: when you answer buyers.", rich_markup_mode=None)


# The digest shows the most urgent few of each list; the rest is one command away
# (`today --all` help says 10: help texts are literals, extracted from the source).
TODAY_ROWS = 10


def today(
    all_: Annotated[
        bool, typer.Option("--all", help="Every booking of each list, not the first 10.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Start of the day: overdue bookings with the next step, due soon, to ship, sold out."""
    from olshop_cli.paths import has_ledger

    fresh = not has_ledger(store().home)  # a first run: the (empty) digest, then the hint
    _today(all_, json_)
    if fresh:
        output.say(_(NO_SHOP_HINT))


def _today(all_: bool, json_: bool) -> None:
    ledger, now = read()
    digest = ledger.digest(now, limit=None if all_ or json_ else TODAY_ROWS)
    counts = digest.counts
    statement = _last_statement(ledger)
    if json_:
        output.print_json(
            {
                "now": now.isoformat(timespec="seconds"),
                "shop": ledger.setting("shop-name"),
                "counts": counts,
                "overdue": [booking_json(b, now) for b in digest.overdue],
                "due_soon": [booking_json(b, now) for b in digest.due_soon],
                "to_ship": [booking_json(b, now) for b in digest.to_ship],
                "in_transit": [booking_json(b, now) for b in digest.in_transit],
                "held_by_dp": [booking_json(b, now) for b in digest.held_by_dp],
                "sold_out": [product_json(ledger, p) for p in digest.sold_out],
                "owed_back": [booking_json(b, now) for b in digest.owed_back],
                "statement": statement,
            }
        )
        return
    shop = ledger.setting("shop-name") or _("Your shop")
    output.line(f"{shop} · {weekday_text(now)} {now:%d} {month_text(now)} {now:%Y %H:%M}")
    parts = [
        _("{count} overdue").format(count=counts["overdue"]),
        _("{count} due within 24h").format(count=counts["due_soon"]),
        _("{count} to ship").format(count=counts["to_ship"]),
        _("{count} in transit").format(count=counts["in_transit"]),
        _("{count} sold out").format(count=counts["sold_out"]),
    ]
    if counts["held_by_dp"]:
        parts.append(_("{count} held by a DP").format(count=counts["held_by_dp"]))
    if counts["owed_back"]:
        parts.append(_("{count} to pay back").format(count=counts["owed_back"]))
    if statement and statement["waiting"]:
        waiting = len(statement["waiting"])
        parts.append(
            ngettext("{count} transfer to decide", "{count} transfers to decide", waiting).format(
                count=waiting
            )
        )
    output.line(" · ".join(parts))
    if statement:
        _show_statement(statement)
    if not any(counts.values()):
        if not (statement and statement["waiting"]):
            output.out("\n" + _("Nothing needs you right now."))
        return
    sections = [
        (_("Overdue: unpaid past the deadline (next step for each)"), digest.overdue,
         counts["overdue"], "olshop bookings --overdue"),
        (_("Due within 24 hours"), digest.due_soon, counts["due_soon"],
         "olshop bookings --due-within 24h"),
        (_("Paid: pack and ship"), digest.to_ship, counts["to_ship"], "olshop pack"),
        (_("Shipped: mark done when it arrives"), digest.in_transit, counts["in_transit"],
         "olshop bookings --status shipped"),
        (_("Held by a DP (pre-orders): set when the balance is due"), digest.held_by_dp,
         counts["held_by_dp"], "olshop today --all"),
    ]  # fmt: skip
    any_marked = False
    for title, items, count, see_all in sections:
        if items:
            output.out()
            marked = ledger.hit_and_run_keys(b.customer for b in items)
            any_marked = any_marked or bool(marked)
            booking_table(items, now, title=title, marked=marked)
            if count > len(items):
                output.out(
                    _("... and {count} more: {command}").format(
                        count=count - len(items), command=see_all
                    )
                )
    if digest.owed_back:
        output.out()
        output.table(
            ["ID", _("Customer"), _("Paid"), _("Total"), _("Owed back"), _("Do")],
            [
                [
                    b.id,
                    b.customer_name,
                    format_money(b.paid_amount),
                    format_money(b.total),
                    format_money(b.owed_back),
                    _("olshop refund {id} (or --credit)").format(id=b.id),
                ]
                for b in digest.owed_back
            ],
            title=_("Paid too much: money owed back to the buyer"),
            right=[_("Paid"), _("Total"), _("Owed back")],
        )
    if digest.sold_out:
        output.out()
        output.table(
            ["SKU", _("Name"), _("On hand"), _("Reserved"), _("Restock"), _("Do")],
            [
                [
                    p.sku,
                    p.name,
                    p.stock,
                    ledger.reserved(p.sku),
                    p.restock or "",
                    _("take it down: olshop product edit {sku} --unlisted").format(sku=p.sku),
                ]
                for p in digest.sold_out
            ],
            title=_("Sold out but still listed"),
            right=[_("On hand"), _("Reserved")],
        )
    if any_marked:
        output.say(_(HIT_AND_RUN_LEGEND))


def _last_statement(ledger) -> dict | None:
    """What the bank statements recorded left (`pay --from --apply`): who the last one
    paid and the transfers still waiting for the seller; None when there is none or the
    last was read more than a week ago and nothing waits."""
    from datetime import datetime, timedelta

    from olshop_cli.cli.common import now_of
    from olshop_cli.paymatch import waiting_now

    last = ledger.last_statement
    if not last or not isinstance(last.get("read_at"), str):
        return None
    try:
        read_at = datetime.fromisoformat(last["read_at"])
    except ValueError:
        return None
    now = now_of(ledger)
    waiting = waiting_now(ledger)
    if now - read_at > timedelta(days=7) and not waiting:
        return None
    paid = [f"B{n}" for n in last.get("paid", []) if isinstance(n, int)]
    return {**last, "paid": paid, "waiting": waiting}


def _show_statement(statement: dict) -> None:
    import re
    from datetime import datetime

    read_at = datetime.fromisoformat(statement["read_at"])
    paid = ", ".join(statement.get("paid", [])) or _("none")
    output.out()
    output.line(
        _("Bank statement read {when} ({file}): paid {paid}").format(
            when=f"{read_at:%d} {month_text(read_at)} {read_at:%H:%M}",
            file=statement.get("file", ""),
            paid=paid,
        )
    )
    waiting = statement["waiting"]
    if not waiting:
        return
    from olshop_cli.paymatch import sender, shown_kind, shown_why, where
    from olshop_cli.statement import cents_text

    def why(w: dict) -> str:
        said = shown_why(str(w["why"])) if w.get("why") else shown_kind(str(w.get("kind") or ""))
        named = [f"B{n}" for n in w.get("candidates") or []]
        if named and not all(re.search(rf"\b{bid}\b", said) for bid in named):
            said += ": " + (" " + _("or") + " ").join(named) + "?"
        return said

    rows = [
        (
            where(w, statement.get("file")),
            (w.get("date") or "")[8:10] + "/" + (w.get("date") or "")[5:7],
            cents_text(int(w.get("cents") or (w.get("amount") or 0) * 100)),
            sender(str(w.get("description", "")))[:30],
            why(w),
        )
        for w in waiting
    ]
    title = _("Transfers for you to decide (one for a booking: olshop pay ID --transfer LINE)")
    if output.narrow():
        output.blocks(title, [(f"{r[0]} · {r[1]} · {r[2]}", [r[3], r[4]]) for r in rows])
        return
    columns = [_("Line"), _("Date"), _("Amount"), _("From"), _("Why")]
    output.table(columns, rows, title=title, right=[columns[2]])


@config_app.command("get")
def config_get(
    key: Annotated[str | None, typer.Argument(help="One setting (default: all).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Show settings."""
    from olshop_cli import settings

    ledger, _now = read()
    values = {k: ledger.setting(k) for k in settings.DEFAULTS}
    if key is not None:
        name = settings.check_key(key)
        if json_:
            output.print_json({name: values[name]})
        else:
            output.out(values[name])
        return
    if json_:
        output.print_json(values)
        return
    output.table(
        [_("Setting"), _("Value"), _("What it is")],
        [[k, v, settings.description(k)] for k, v in values.items()],
    )


@config_app.command("set")
def config_set(
    key: Annotated[
        str,
        typer.Argument(
            help="shop-name, call, deadline, timezone, bank, lang, emoji, backups, "
            "hit-and-run, dp-on-release, dp-minimum (olshop config get lists them)."
        ),
    ],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Change a setting, e.g. olshop config set deadline 2d."""
    from olshop_cli.settings import check_key

    with change() as (ledger, _now):
        stored = ledger.set_setting(key, value)
    output.say(f"{check_key(key)} = {stored}")


@hours_app.callback(invoke_without_command=True)
def hours_show(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Show working hours. Change them with: olshop hours set "mon-fri 08:00-17:00"."""
    if ctx.invoked_subcommand is not None:
        return
    from olshop_cli.hours import format_hours, from_dict

    ledger, _now = read()
    stored = ledger.settings.get("hours")
    if json_:
        output.print_json(stored or {})
        return
    if not stored:
        output.say(_('No working hours set. Set them: olshop hours set "mon-fri 08:00-17:00"'))
        return
    output.out(format_hours(from_dict(stored)))


@hours_app.command("set")
def hours_set(
    text: Annotated[
        str,
        typer.Argument(help='Like "mon-fri 08:00-10:00,19:00-21:00; sat 09:00-12:00".'),
    ],
) -> None:
    """Set working hours (used for away messages and reminder timing)."""
    from olshop_cli.hours import format_hours, parse_hours, to_dict

    parsed = parse_hours(text)
    with change() as (ledger, _now):
        ledger.set_hours(to_dict(parsed))
    output.say(_("Working hours: {hours}").format(hours=format_hours(parsed)))


# What `olshop init` asks, by setting (settings.SETUP_KEYS gives the order).
QUESTIONS = {
    "shop-name": N_("Shop name (in messages to buyers)"),
    "bank": N_("Bank account for payments, e.g. BCA 1234567890 a.n. Siti"),
    "hours": N_("Working hours, e.g. mon-fri 08:00-17:00; sat 09:00-12:00"),
    "deadline": N_("Time to pay after booking (24h, 2d...)"),
    "lang": N_("Language of messages to buyers (id or en)"),
    "ui-lang": N_("Language olshop speaks to you (id or en)"),
}


def stdin_is_terminal() -> bool:
    """Is someone at the keyboard? (Tests answer the questions through a pipe.)"""
    return sys.stdin.isatty()


def init(
    name: Annotated[
        str | None, typer.Option("--name", help="The shop's name, used in messages to buyers.")
    ] = None,
    bank: Annotated[
        str | None,
        typer.Option("--bank", help="Bank account for payments: 'BCA 1234567890 a.n. Siti'."),
    ] = None,
    hours: Annotated[
        str | None,
        typer.Option("--hours", help="Working hours: 'mon-fri 08:00-17:00; sat 09:00-12:00'."),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", help="Time to pay after booking: 24h, 2d, '2 hari'."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of messages to buyers: id or en.")
    ] = None,
    ui_lang: Annotated[
        str | None, typer.Option("--ui-lang", help="Language olshop speaks to you: id or en.")
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Ask nothing: the options given, the other values kept."),
    ] = False,
) -> None:
    """Set up the shop: its name, bank account, working hours, payment deadline and languages.

    In a terminal it asks for each, showing the current value (Enter keeps it). Options
    answer without asking, for scripts: with --yes, or when stdin is not a terminal,
    nothing is asked and the values not given stay as they are. Run it again to change
    them; it is one change, so olshop undo takes it back.

    Example: olshop init --name "Dapur Mungil" --bank "BCA 1234567890 a.n. Siti" --yes
    """
    from olshop_cli import settings
    from olshop_cli.paths import has_ledger

    shop = store()
    fresh = not has_ledger(shop.home)  # then nothing is created before the values are checked
    stored = {} if fresh else read()[0].settings
    given = {"shop-name": name, "bank": bank, "hours": hours, "deadline": deadline,
             "lang": lang, "ui-lang": ui_lang}  # fmt: skip
    chosen = {key: value for key, value in given.items() if value is not None}
    settings.checked_setup(chosen)  # a bad option: refused before anything is asked
    if not yes and stdin_is_terminal():
        output.say(_("Set up your shop. Enter keeps the value in [brackets]."))
        for key in settings.SETUP_KEYS:
            if key not in chosen:
                answer = _ask(key, settings.setup_text(stored, key))
                if answer is not None:
                    chosen[key] = answer
    with change() as (ledger, _now):
        changed = ledger.set_up(chosen)
    for key, value in changed.items():
        output.say(f"{key} = {value}")
    if changed:
        output.say(
            ngettext(
                "{count} setting saved in one change (olshop undo takes it back).",
                "{count} settings saved in one change (olshop undo takes them back).",
                len(changed),
            ).format(count=len(changed))
        )
    elif not fresh:
        output.say(_("Nothing changed: those are the settings already."))
    if fresh:
        output.say(_("Shop ready in {home}.").format(home=shop.home))
        next_step = _(
            'Next: add what you sell (olshop product add SKU "Name" --price 150rb --stock 5), '
            "then olshop today."
        )
        output.say(next_step)


def _ask(key: str, default: str) -> str | None:
    """One question, asked again until the answer is one olshop can store (None: no
    working hours, and none given)."""
    from olshop_cli import settings
    from olshop_cli.errors import OlshopError

    def check(text: str) -> str | None:
        text = text.strip()
        if key == "hours" and not text:
            return None
        try:
            settings.checked_setup({key: text})
        except OlshopError as exc:
            raise typer.BadParameter(" ".join(filter(None, (exc.message, exc.hint)))) from None
        return text

    return typer.prompt(
        _(QUESTIONS[key]), default=default, show_default=bool(default), value_proc=check, err=True
    )


def path() -> None:
    """Print the ledger folder."""
    output.out(str(store().home))


def demo() -> None:
    """Fill an empty ledger with a demo shop (try: OLSHOP_HOME=demo-shop olshop demo)."""
    from olshop_cli.demo import fill

    with change() as (ledger, now):
        fill(ledger, now)
        customers, products = len(ledger.customers), len(ledger.products)
        open_bookings = len(ledger.bookings)
    output.say(
        _(
            "Demo shop ready in {home}: {customers} customers, {products} products, "
            "{bookings} open bookings. Next: olshop today"
        ).format(home=store().home, customers=customers, products=products, bookings=open_bookings)
    )
