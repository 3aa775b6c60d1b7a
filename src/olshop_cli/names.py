"""Names as Indonesians write them, as a phone's contacts hold them.

"Kak Rina", "Bu Yanti Susanti", "Hj. Siti Aminah", "dr. Andi Wijaya", "🌸 Putri",
"Muhammad Rizal Hakim": an honorific in front says how to call the buyer (Kak, Bu, Pak...),
a title (Hj., dr., Ir., Prof., Raden...) belongs to the full name but is not what anyone is
called, emoji and symbols decorate, and a first element as common as Muhammad is not the
name a buyer answers to. Plain Python, no terminal, no ledger; imports only `re`.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Honorifics as typed (lower case, without a dot) -> as stored in Customer.call.
HONORIFICS: dict[str, str] = {
    "kak": "Kak",
    "ka": "Kak",
    "kakak": "Kak",
    "bu": "Bu",
    "ibu": "Bu",
    "bunda": "Bunda",
    "pak": "Pak",
    "bapak": "Pak",
    "bpk": "Pak",
    "mas": "Mas",
    "mbak": "Mbak",
    "mba": "Mbak",
    "teh": "Teh",
    "aa": "Aa",
    "kang": "Kang",
    "neng": "Neng",
    "sis": "Sis",
    "gan": "Gan",
    "juragan": "Juragan",
    "bro": "Bro",
    "bang": "Bang",
    "abang": "Bang",
    "om": "Om",
    "tante": "Tante",
    "cici": "Cici",
    "koko": "Koko",
    "dek": "Dek",
    "adek": "Dek",
    "uda": "Uda",
    "uni": "Uni",
}

# Titles (lower case, dots and spaces taken out) -> the honorific they imply, or None when
# they say nothing of whether to say Bu or Pak (a doctor, an engineer, a professor).
TITLES: dict[str, str | None] = {
    "hj": "Bu",
    "hajjah": "Bu",
    "hajah": "Bu",
    "h": "Pak",
    "haji": "Pak",
    "kh": "Pak",
    "dr": None,
    "drg": None,
    "drs": None,
    "dra": None,
    "ir": None,
    "prof": None,
    "raden": None,
    "r": None,
    "ra": None,
    "rr": None,
}
# Titles of one letter are titles only with their dot ("H. Rudi"; "H Rudi" may be an
# initial): in the pattern below every title may drop its dot except these.
_DOTTED_ONLY = frozenset({"h", "r"})

# First elements so common they are not what a buyer is called: "Muhammad Rizal" is Rizal.
# (Not Siti: Siti Aminah is called Siti.)
COMMON_FIRST = frozenset(
    {
        "muhammad",
        "muhamad",
        "mohammad",
        "mohamad",
        "mohammed",
        "muhammed",
        "mochammad",
        "mochamad",
        "mukhammad",
        "moh",
        "moch",
        "muh",
        "mhd",
        "m",
    }
)


# Titles written with a dot inside ("R.A.", "K.H."): each letter may carry its dot.
_SPELLED = frozenset({"ra", "kh", "rr"})


def _alternatives(words) -> str:
    """A regex alternation of `words`, the longest first ("Kakak" before "Kak")."""
    return "|".join(
        r"\.?\s?".join(map(re.escape, w)) if w in _SPELLED else re.escape(w)
        for w in sorted(words, key=len, reverse=True)
    )


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(honorific, title, common, junk, edge), compiled when a name first needs them (most
    names never do: _plain)."""
    return (
        # At a position: an honorific or a title, then a dot and/or spaces (a dot may be
        # glued to the next word: "Hj.Siti"), never the start of a longer word ("Omar" is
        # not "Om") and never the last word (a name that is only "Kak" stays "Kak").
        re.compile(rf"(?i)({_alternatives(HONORIFICS)})(?:\.\s*|\s+)(?=\S)"),
        re.compile(
            rf"(?i)({_alternatives(t for t in TITLES if t not in _DOTTED_ONLY)})"
            rf"(?:\.\s*|\s+)(?=\S)|({_alternatives(_DOTTED_ONLY)})\.\s*(?=\S)"
        ),
        # ... and an initial ("A. Rina", "H Rudi"): not what the buyer is called either.
        re.compile(rf"(?i)({_alternatives(COMMON_FIRST)}|[^\W\d_])(?:\.\s*|\s+)(?=[^\W\d_])"),
        re.compile(r"[\W_]+"),  # emoji, symbols, quotes and spaces between the words
        re.compile(r"^[\W_]+|[\W_]+$"),  # the same at either end of a word or name
    )


# A quick first look: a name whose first word is all letters and none of the words above
# is taken as it is (nearly every name).
_PREFIX_WORDS = frozenset(HONORIFICS) | frozenset(TITLES) | COMMON_FIRST


class Name:
    """A name as typed, read: `call` the honorific typed in front (as stored: Bu, Pak,
    Kak...), `implied` the honorific a title implies (Hj. -> Bu), `full` the name to keep
    (the honorific taken out; titles and emoji kept), `real` the name without honorific,
    titles and decoration, `calling` the one name the buyer is called by."""

    __slots__ = ("call", "implied", "full", "real", "calling")

    def __init__(
        self, call: str | None, implied: str | None, full: str, real: str, calling: str
    ) -> None:
        self.call, self.implied, self.full = call, implied, full
        self.real, self.calling = real, calling


def _plain(name: str) -> bool:
    """True when nothing in front of the name needs reading: its first word is all letters
    and not an honorific, title, initial or Muhammad (cheap: no regex)."""
    first = name.split(None, 1)[0] if name else name
    return len(first) > 1 and first.isalpha() and first.lower() not in _PREFIX_WORDS


def _first_word(text: str) -> str:
    first = text.split(None, 1)[0] if text.strip() else text
    return _patterns()[4].sub("", first) or first


@lru_cache(maxsize=4096)
def parse(name: str) -> Name:
    """Read a name as a phone's contacts hold it.

    "Bu Yanti Susanti" -> call Bu, full "Yanti Susanti", calling "Yanti";
    "Hj. Siti Aminah" -> implied Bu, full "Hj. Siti Aminah", real "Siti Aminah";
    "🌸 Putri" -> full "🌸 Putri", calling "Putri"; "Muhammad Rizal Hakim" -> calling
    "Rizal". A name with nothing but an honorific, title or emoji is kept as it is.
    """
    text = " ".join(name.split())
    if not text or _plain(text):
        return Name(None, None, text, text, _first_word(text))
    honorific, title, common_first, junk_chars, edges = _patterns()
    call: str | None = None
    implied: str | None = None
    cuts: list[tuple[int, int]] = []  # the honorifics' places: out of the full name
    pos = 0
    titled = False
    while True:
        # Honorifics and titles in any order in front ("Bu Hj. Siti", "Pak dr. Andi"),
        # emoji before or between them.
        junk = junk_chars.match(text, pos)
        start = junk.end() if junk else pos
        found = honorific.match(text, start)
        if found:
            call = call or HONORIFICS[found.group(1).lower()]
            if not titled:  # after a title it is part of it: "Raden Mas Said"
                cuts.append((start, found.end()))
            pos = found.end()
            continue
        found = title.match(text, start)
        if found:
            word = re.sub(r"[.\s]", "", found.group(found.lastindex or 1)).lower()
            implied = implied or TITLES.get(word)
            titled = True
            pos = found.end()
            continue
        break
    real = edges.sub("", text[start:])
    if not real:  # nothing but honorifics, titles or emoji: the name as typed
        return Name(None, None, text, text, _first_word(text))
    full = text
    for begin, end in reversed(cuts):
        full = full[:begin] + full[end:]
    common = common_first.match(real)
    calling = _first_word(real[common.end() :] if common else real)
    return Name(call, implied, " ".join(full.split()), real, calling)


def strip_leading(text: str) -> str:
    """What was typed to find a customer without the honorific or title in front ("Pak
    Rudi" -> "Rudi", "Bu Hj. Siti" -> "Siti"); as typed when nothing else is left."""
    text = " ".join(text.split())
    if not text or _plain(text):
        return text
    return parse(text).real


def lookup_forms(name: str) -> tuple[str, ...]:
    """The lower-case forms of a customer's name a typed name may start: the name as kept,
    then without titles and decoration, then from the name they are called by ("Muhammad
    Rizal Hakim" -> also "rizal hakim"). One for a plain name (cheap: a listing of 100,000
    customers looks at each)."""
    low = name.lower()
    if _plain(name):
        return (low,)
    read = parse(name)
    forms = [low]
    at = read.real.find(read.calling)
    for form in (read.real.lower(), read.real[max(at, 0) :].lower()):
        if form and form not in forms:
            forms.append(form)
    return tuple(forms)


def calling_name(name: str) -> str:
    """The one name a buyer is called by: "Hj. Siti Aminah" -> "Siti" (a listing asks for
    each customer's: the plain case is _plain inlined)."""
    first = name.split(None, 1)[0] if name else name
    if len(first) > 1 and first.isalpha() and first.lower() not in _PREFIX_WORDS:
        return first
    return parse(name).calling if name else name
