"""Couriers: the ones Indonesian sellers ship with, in their usual spelling, and what a
seller types matched to them.

What is typed is matched case-insensitively, quotes and spacing ignored: `sicepat`,
`SICEPAT` and `"Sicepat"` are SiCepat; `jnt`, `j & t` and `J&T Express` are J&T. Words after
the name (a service: REG, YES, OKE, BEST) are kept as typed: `jne YES` is `JNE YES`. A
courier not in the list is kept as typed, without its quotes and extra spaces.

An instant courier (a driver takes the parcel straight to the buyer: GoSend, GrabExpress,
Lalamove...) gives no tracking number; the seller may have a tracking link or the driver's
name and phone instead. A parcel the buyer picks up has no courier at all.

Plain data and pure functions: nothing here reads files, the clock or the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from olshop_cli.errors import InputError
from olshop_cli.i18n import _
from olshop_cli.models import TEXT_LIMITS, check_text


@dataclass(frozen=True)
class Courier:
    """A courier as sellers and buyers know it: `name` is its usual spelling, `aliases`
    what sellers type for it (as keys: lower case, without spaces, dots or dashes)."""

    name: str
    aliases: tuple[str, ...] = ()
    instant: bool = False


KNOWN: tuple[Courier, ...] = (
    Courier("JNE", ("jneexpress",)),
    Courier("J&T", ("jnt", "jt", "j&texpress", "jntexpress", "jandt")),
    Courier("J&T Cargo", ("jntcargo",)),
    Courier("SiCepat", ("sicepatekspres", "sicepatexpress")),
    Courier("AnterAja"),
    Courier("Pos Indonesia", ("pos", "posind", "kantorpos")),
    Courier("Ninja Xpress", ("ninja", "ninjaexpress", "ninjavan")),
    Courier("Lion Parcel", ("lion",)),
    Courier("ID Express", ("ide", "idexp")),
    Courier("SAP Express", ("sap",)),
    Courier("SPX Express", ("spx", "shopeeexpress", "shopeexpress")),
    Courier("TIKI", ("titipankilat",)),
    Courier("Wahana", ("wahanaexpress",)),
    Courier("RPX"),
    # Paxel delivers the same or the next day with a tracking number: not instant.
    Courier("Paxel"),
    Courier("Indah Logistik", ("indah", "indahcargo")),
    Courier("Dakota Cargo", ("dakota",)),
    Courier("Sentral Cargo", ("sentral",)),
    Courier("GoSend", ("gojek", "gosend"), instant=True),
    Courier("GrabExpress", ("grab", "grabsend"), instant=True),
    Courier("Lalamove", instant=True),
    Courier("Deliveree", instant=True),
    Courier("Borzo", ("mrspeedy",), instant=True),
)

# What a seller types for "the buyer picks it up" where a courier is asked for (a batch line).
PICKUP_WORDS = frozenset({"pickup", "ambil", "ambilsendiri", "diambil", "ambilditoko"})

# Quotes as typed on a keyboard or a phone, or pasted from a chat: never part of a name.
_QUOTES = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb"


def _key(text: str) -> str:
    """How names are compared: NFKC (full-width letters are letters), lower case, without
    spaces, dots, dashes or underscores (`Pos-Indonesia`, `j & t`, `ID Express`)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch not in "-._" and not ch.isspace())


_BY_KEY = {_key(alias): c for c in KNOWN for alias in (c.name, *c.aliases)}


def _words(text: str) -> list[str]:
    """The words typed, each without the quotes around it (`"Anteraja"` -> `Anteraja`)."""
    words = (word.strip(_QUOTES) for word in text.split())
    return [word for word in words if word]


def split(text: str) -> tuple[Courier | None, str]:
    """The known courier at the start of what was typed (the longest name that fits) and
    the words after it as typed (a service: `REG`); (None, the text tidied) when none fits."""
    words = _words(text)
    for size in range(len(words), 0, -1):
        found = _BY_KEY.get(_key("".join(words[:size])))
        if found is not None:
            return found, " ".join(words[size:])
    return None, " ".join(words)


def normalize(text: str) -> str:
    """A courier as olshop keeps and prints it: a known one in its usual spelling with any
    service words after it as typed (`jne yes` -> `JNE yes`, `"Anteraja"` -> `AnterAja`), any
    other as typed without quotes or extra spaces; "" when nothing but quotes and spaces."""
    courier, rest = split(text)
    if courier is None:
        return rest
    return f"{courier.name} {rest}" if rest else courier.name


def find(text: str | None) -> Courier | None:
    """The known courier a stored or typed courier text names, if any."""
    return split(text)[0] if text else None


def is_instant(text: str | None) -> bool:
    """Whether the courier is an instant one (a driver, no tracking number)."""
    courier = find(text)
    return courier is not None and courier.instant


def is_pickup(text: str | None) -> bool:
    """Whether what was typed for a courier means the buyer picks the parcel up."""
    return bool(text) and _key("".join(_words(text or ""))) in PICKUP_WORDS


def instant_names() -> str:
    """The instant couriers, for a hint: `GoSend, GrabExpress, Lalamove...`."""
    return ", ".join(c.name for c in KNOWN if c.instant)


def no_resi_hint() -> str:
    """What to do without a tracking number, for a refusal."""
    return _(
        "Give the resi from the courier's receipt. With no resi: --pickup when the buyer "
        "collects it, or an instant courier ({instant})."
    ).format(instant=instant_names())


def check_tracking(tracking: str) -> str:
    """A tracking number (or, for an instant courier, a tracking link or the driver's
    name and phone) as kept: trimmed, without quotes around it; refused when blank or only
    dashes and dots (`-`), which is no tracking number."""
    kept = tracking.strip().strip(_QUOTES).strip()
    if not any(ch.isalnum() for ch in kept):
        if kept:
            message = _("'{tracking}' is not a tracking number.").format(tracking=kept)
        else:
            message = _("The tracking number is blank.")
        raise InputError(message, no_resi_hint())
    return check_text(kept, "tracking number") or kept


@dataclass(frozen=True)
class Shipment:
    """How a parcel leaves: by a courier (its usual spelling) with a tracking number, by an
    instant courier (a tracking link or driver details, if any), or picked up by the buyer;
    `cod`: the courier collects what is owed from the buyer on delivery."""

    courier: str | None
    tracking: str | None
    pickup: bool = False
    cod: bool = False

    @property
    def detail(self) -> str:
        """How the booking's history says it: `J&T JX123`, `GoSend`, `picked up`, `... COD`."""
        if self.pickup:
            return "picked up by the buyer"
        words = " ".join(x for x in (self.courier, self.tracking) if x)
        return f"{words} COD" if self.cod else words


def shipment(
    courier: str | None,
    tracking: str | None,
    pickup: bool = False,
    cod: bool = False,
    bid: str = "ID",
) -> Shipment:
    """The shipment the seller described, checked: a courier (matched to the list) with a
    tracking number, unless it is an instant courier; or the buyer picks it up (no courier,
    no tracking number; a courier typed as `pickup` means that too). Cash on delivery goes
    through a courier with a tracking number. A tracking number of `-` or blank is refused.
    `bid`: the booking's id, for the hints."""
    if courier is not None and is_pickup(courier):
        courier, pickup = None, True
    if pickup:
        if courier is not None or tracking is not None:
            raise InputError(
                _("A parcel the buyer picks up has no courier or tracking number."),
                _("Give --pickup alone, or the courier and its tracking number."),
            )
        if cod:
            raise InputError(
                _("Cash on delivery is paid to a courier; this parcel is picked up."),
                _(
                    "Record the payment when the buyer collects it, then ship it: olshop pay "
                    "{id} --method cash"
                ).format(id=bid),
            )
        return Shipment(None, None, pickup=True)
    name = normalize(check_text(courier, "courier", TEXT_LIMITS["name"]) or "")
    if not name:
        raise InputError(
            _("Which courier?"),
            _("Give one, like --courier JNE, or --pickup when the buyer collects it."),
        )
    kept = None if tracking is None else check_tracking(tracking)
    instant = is_instant(name)
    if kept is None and not instant:
        message = _("{courier} needs a tracking number.").format(courier=name)
        raise InputError(message, no_resi_hint())
    if cod and instant:
        raise InputError(
            _(
                "Cash on delivery goes through a courier with a resi (JNE, J&T, SiCepat...), "
                "not {courier}."
            ).format(courier=name),
            _(
                "Use a courier that collects the money (JNE, J&T, SiCepat...); or record the "
                "payment first (olshop pay {id}) and send it with {courier}."
            ).format(id=bid, courier=name),
        )
    return Shipment(name, kept, cod=cod)
