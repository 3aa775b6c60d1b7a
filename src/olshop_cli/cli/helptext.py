"""`--help` in the seller's interface language, translated when it is shown.

Typer builds each command once, from English help texts (the message ids); a command's
help, its options' help and its short summary are put in the current language each time
the command is fetched (one process may run many commands: tests do), and click's own
headings ("Usage", "Options", "Commands") and the notes it adds ("[default: 24h]") go
through the formatter below.
"""

from __future__ import annotations

import typer
from typer._click.formatting import HelpFormatter as _ClickFormatter
from typer._click.utils import make_default_short_help

from olshop_cli.i18n import N_, _, known

_ENGLISH = "_olshop_english"

# click's own words in help pages, looked up by `known()` when shown (listed here so that
# the catalog keeps them).
CLICK_WORDS = (
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("Show this message and exit."),
    N_("default"),
    N_("required"),
    N_("env var"),
)


def translate(command) -> None:
    """Put `command` (and every subcommand of a group) in the current language."""
    english = getattr(command, _ENGLISH, None)
    if english is None:
        english = {
            "help": command.help,
            "short_help": command.short_help,
            "params": [getattr(param, "help", None) for param in command.params],
        }
        setattr(command, _ENGLISH, english)
        command.context_class = Context
    if english["help"]:
        command.help = _(english["help"])
    if english["short_help"]:
        command.short_help = _(english["short_help"])
    elif english["help"]:
        command.short_help = make_default_short_help(command.help, 300)
    for param, text in zip(command.params, english["params"], strict=False):
        if text:
            param.help = _(text)
    for sub in getattr(command, "commands", {}).values():
        translate(sub)


def _note(part: str) -> str:
    """One of click's notes after an option's help: default: X, required, env var: X."""
    label, sep, value = part.partition(": ")
    return f"{known(label)}{sep}{value}" if sep else known(part)


class HelpFormatter(_ClickFormatter):
    """click's plain help, its own words in the seller's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage: "))

    def write_heading(self, heading: str) -> None:
        super().write_heading(known(heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        shown = []
        for first, second in rows:
            text, sep, notes = second.rpartition("  [")
            if sep and notes.endswith("]"):
                notes = "; ".join(_note(part) for part in notes[:-1].split("; "))
                second = f"{known(text)}  [{notes}]"
            else:
                second = known(second)
            shown.append((first, second))
        super().write_dl(shown, col_max, col_spacing)


class Context(typer.Context):
    formatter_class = HelpFormatter


# click's own usage errors, in the words the seller reads: (pattern, message id).
_CLICK_ERRORS = [
    (r"Try '(?P<command>.+)' for help\.", N_("Try '{command}' for help.")),
    (r"Error: No such option: (?P<option>\S+)", N_("No such option: {option}")),
    (r"Error: Missing argument '(?P<name>.+)'\.", N_("Missing argument '{name}'.")),
    (r"Error: Missing option '(?P<name>.+)'\.", N_("Missing option '{name}'.")),
    (
        r"Error: Option '(?P<option>.+)' requires an argument\.",
        N_("Option '{option}' requires an argument."),
    ),
    (
        r"Error: Got unexpected extra argument(?:s|\(s\))? \((?P<extra>.*)\)",
        N_("Got unexpected extra argument(s) ({extra})"),
    ),
    (
        r"Error: Invalid value for '(?P<name>[^']+)': (?P<why>.*)",
        N_("Invalid value for '{name}': {why}"),
    ),
    (r"Error: No such command '(?P<name>[^']+)'\.(?P<rest>.*)", N_("No such command '{name}'.")),
    (
        r"Error: Invalid value for (?P<name>[^':]+): (?P<why>.*)",
        N_("Invalid value for {name}: {why}"),
    ),
    (r"Usage: (?P<usage>.*)", N_("Usage: ")),
]


# How every line of click's own that _CLICK_ERRORS reads starts.
_CLICK_STARTS = ("Try '", "Error: ", "Usage: ")


def click_message(text: str) -> str:
    """A line click wrote to stderr, in the seller's language (others unchanged)."""
    import re

    lines = []
    for line in text.split("\n"):
        if not line.startswith(_CLICK_STARTS):  # our own lines: every one of a long run
            lines.append(line)
            continue
        for pattern, message in _CLICK_ERRORS:
            found = re.fullmatch(pattern, line)
            if not found:
                continue
            words = found.groupdict()
            if message == "Usage: ":
                line = f"{known(message)}{words['usage']}"
            elif message.startswith("Try"):
                line = known(message).format(**words)
            else:
                rest = words.pop("rest", "")
                if rest:  # "Did you mean 'book'?": our own sentence, translated there
                    rest = re.sub(
                        r" Did you mean (.*)\?",
                        lambda m: " " + known("Did you mean {names}?").format(names=m.group(1)),
                        rest,
                    )
                line = f"{known('Error:')} {known(message).format(**words)}{rest}"
            break
        else:
            if line.startswith("Error: "):  # our own sentence (ctx.fail), translated already
                line = f"{known('Error:')} {line[len('Error: ') :]}"
        lines.append(line)
    return "\n".join(lines)
