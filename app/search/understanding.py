"""Query understanding: the words of a query that name a configuration, a colour, a feature or a
kind of device, read as filters instead of text.

"iphone 14 256gb schwarz" is a model ("iphone 14") plus a storage size and a colour: matched as
text, the last two words would find nothing (no document says "256gb"), so they are taken out of
the text and applied as the storage and colour facets, shown as removable chips. What is
recognised, in every language of the shop:

- storage and memory: a number and a unit (``128gb``, ``128 go``, ``1 tb``, ``1to``), memory when
  followed by a RAM word (``16gb ram``, ``16 go de ram``); only sizes the storage facet knows;
- screen and case sizes: a number and an inch word or sign (``15 inch``, ``14 pouces``, ``13 zoll``,
  ``55"``, ``15,6 pulgadas``), or millimetres (``41mm``, watches);
- connectivity (``wifi``, ``cellular``, ``wifi cellular``, ``wlan``, ``gps``);
- colours: the words of `vocabulary/<language>.json` (``noir``, ``schwarz``, ``negro``…) and the
  catalog's own colour names (``graphite``, ``starlight``, ``sierra blue``), each standing for its
  colour family;
- features and kinds (``noise cancelling``, ``réduction de bruit``, ``robot vacuum``, ``pliable``):
  phrases of `vocabulary/<language>.json` mapped to features (`vocabulary/features.json`: a spec
  value of the catalog) and categories.

English words are understood on every edition besides its own language's (shoppers mix them).
A word that is a brand ("Sage", "Nothing") is never a colour. Everything else is left as text.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .facets import STORAGE_SIZES
from .text import MAX_QUERY_CHARS, fold

FOLDER = Path(__file__).parent / "vocabulary"
LONGEST_PHRASE = 4

FEATURE_LABELS = {
    "noise-cancelling": _l("Noise cancelling"),
    "wireless": _l("Wireless"),
    "foldable": _l("Foldable"),
    "robot": _l("Robot"),
    "stick": _l("Stick"),
    "gaming": _l("Gaming"),
}

_TOKEN = re.compile(r"\d+[.,]\d+|[^\W_]+|[\"″”]", re.UNICODE)
_WORDY = re.compile(r"[^\W_]", re.UNICODE)
_NUMBER_UNIT = re.compile(r"(\d+)([a-z]+)")
STORAGE_UNITS = {"gb": 1, "go": 1, "gib": 1, "giga": 1, "tb": 1024, "to": 1024, "tib": 1024, "tera": 1024}
INCH_SIGNS = {'"', "″", "”"}
LINKS = {"de", "di", "of"}          # "16 go de ram", "16 gb di ram"


@dataclass(frozen=True)
class Feature:
    """A feature as the catalog states it: a spec whose value equals or contains one of `values`."""
    code: str
    spec: str
    values: tuple[str, ...]
    contains: bool


@dataclass(frozen=True)
class Vocabulary:
    """One language's words, folded: phrase (tuple of words) → what it stands for."""
    colours: dict[tuple[str, ...], str]
    connectivity: dict[tuple[str, ...], str]
    phrases: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]    # (features, categories)
    inch: frozenset[str]
    ram: frozenset[tuple[str, ...]]


@cache
def features() -> dict[str, Feature]:
    data = json.loads((FOLDER / "features.json").read_text(encoding="utf-8"))["features"]
    return {code: Feature(code, entry["spec"], tuple(fold(v) for v in entry.get("equals") or entry["contains"]),
                          "contains" in entry) for code, entry in data.items()}


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in re.findall(r"[^\W_]+", text))


@cache
def vocabulary(language: str) -> Vocabulary:
    path = FOLDER / f"{language}.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    units = data.get("units", {})
    return Vocabulary(
        colours={_phrase(word): family for family, words in data.get("colours", {}).items() for word in words},
        connectivity={_phrase(words): value for words, value in data.get("connectivity", {}).items()},
        phrases={_phrase(words): (tuple(entry.get("features", ())), tuple(entry.get("categories", ())))
                 for words, entry in data.get("phrases", {}).items()},
        inch=frozenset(fold(word) for word in units.get("inch", ())),
        ram=frozenset(_phrase(words) for words in units.get("ram", ())),
    )


def vocabularies(language: str) -> list[Vocabulary]:
    return [vocabulary(language)] + ([vocabulary("en")] if language != "en" else [])


@dataclass
class Understanding:
    """What was read out of a query: the text left to match, and the filters its other words name."""
    text: str
    storages: list[int] = field(default_factory=list)
    rams: list[int] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    connectivity: list[str] = field(default_factory=list)
    colors: list[str] = field(default_factory=list)               # colour families
    color_names: dict[str, str] = field(default_factory=dict)     # family → catalog colour code named
    features: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.storages or self.rams or self.sizes or self.connectivity or self.colors
                    or self.features or self.categories)


@dataclass(frozen=True)
class _Token:
    word: str          # folded
    start: int
    end: int


def understand(raw: str, language: str, *, catalog_colours: Mapping[tuple[str, ...], tuple[str, str]] = {},
               not_colours: Iterable[str] = (), category_keys: Iterable[str] | None = None) -> Understanding:
    """Read configuration, colour, feature and kind words out of a query.

    `catalog_colours` maps the catalog's colour names (folded phrases) to (family, colour code);
    `not_colours` are words never read as a colour (brand names); `category_keys`, when given,
    bounds the categories a phrase may name to those of the shop.
    """
    raw = raw[:MAX_QUERY_CHARS]
    tokens = _merge_wifi([_Token(fold(m.group()).replace(",", "."), m.start(), m.end())
                          for m in _TOKEN.finditer(raw)])
    words = [t.word for t in tokens]
    vocabs = vocabularies(language)
    blocked = set(not_colours)
    known_categories = set(category_keys) if category_keys is not None else None
    out = Understanding(text=raw)
    consumed = [False] * len(tokens)

    def take(start: int, length: int) -> None:
        for index in range(start, start + length):
            consumed[index] = True

    def add(values: list, value) -> None:
        if value not in values:
            values.append(value)

    i = 0
    while i < len(tokens):
        if i + 1 < len(words) and any((words[i],) in v.ram for v in vocabs):
            after = _measure(words, i + 1, vocabs, out, add, ram=True)       # "ram 16gb"
            if after:
                take(i, after + 1)
                i += after + 1
                continue
        used = _measure(words, i, vocabs, out, add) or _phrases(words, i, vocabs, out, add, catalog_colours,
                                                               blocked, known_categories)
        if used:
            take(i, used)
            i += used
        else:
            i += 1
    if "cellular" in out.connectivity and "wifi" in out.connectivity:
        out.connectivity.remove("wifi")          # "Wi-Fi + Cellular" is the cellular model
    if any(consumed):
        kept, position = [], 0
        for token, gone in zip(tokens, consumed, strict=True):
            if gone:
                kept.append(raw[position:token.start])
                position = token.end
        kept.append(raw[position:])
        out.text = _trim_links(" ".join(part for part in "".join(kept).split() if _WORDY.search(part)))
    return out


def _merge_wifi(tokens: list[_Token]) -> list[_Token]:
    """"Wi-Fi", "wi fi" → one word ``wifi``."""
    out: list[_Token] = []
    for token in tokens:
        if token.word == "fi" and out and out[-1].word == "wi":
            out[-1] = _Token("wifi", out[-1].start, token.end)
        else:
            out.append(token)
    return out


def _trim_links(text: str) -> str:
    """Drop a dangling joining word left where a phrase was taken out ("casque de" → "casque")."""
    parts = text.split()
    while parts and fold(parts[-1]) in LINKS | {"with", "avec", "mit", "con", "en", "in", "et", "and", "und", "y", "e"}:
        parts.pop()
    return " ".join(parts)


def _number(word: str) -> float | None:
    try:
        return float(word)
    except ValueError:
        return None


def _measure(words: list[str], i: int, vocabs: list[Vocabulary], out: Understanding, add, *, ram: bool = False) -> int:
    """A number and its unit at position i: storage, memory or a size. Returns the words used."""
    word = words[i]
    glued = _NUMBER_UNIT.fullmatch(word)
    if glued:
        number, unit, used = glued.group(1), glued.group(2), 1
    elif _number(word) is not None and i + 1 < len(words):
        number, unit, used = word, words[i + 1], 2
    else:
        return 0
    value = _number(number)
    if unit in STORAGE_UNITS and value is not None and value == int(value):
        gb = int(value) * STORAGE_UNITS[unit]
        ram_words = _ram_after(words, i + used, vocabs)
        if (ram_words or ram) and STORAGE_UNITS[unit] == 1 and 1 <= gb <= 512:
            add(out.rams, gb)
            return used + ram_words
        if gb in STORAGE_SIZES:
            add(out.storages, gb)
            return used
        return 0
    if value is None or ram:
        return 0
    if unit in INCH_SIGNS or any(unit in v.inch for v in vocabs):
        if 1 <= value < 200:
            add(out.sizes, f"{int(value)}in")
            return used
    if unit == "mm" and 20 <= value <= 60 and value == int(value):
        add(out.sizes, f"{int(value)}mm")
        return used
    return 0


def _ram_after(words: list[str], j: int, vocabs: list[Vocabulary]) -> int:
    """How many words after position j say "RAM" ("ram", "de ram", "memoria ram"), or 0."""
    for skip in (0, 1):
        if skip and not (j < len(words) and words[j] in LINKS):
            continue
        for vocab in vocabs:
            for phrase in sorted(vocab.ram, key=len, reverse=True):
                if tuple(words[j + skip:j + skip + len(phrase)]) == phrase:
                    return skip + len(phrase)
    return 0


def _phrases(words: list[str], i: int, vocabs: list[Vocabulary], out: Understanding, add,
             catalog_colours, blocked: set[str], known_categories: set[str] | None) -> int:
    """The longest known phrase starting at position i (connectivity, feature, colour). Returns its length."""
    for length in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
        phrase = tuple(words[i:i + length])
        for vocab in vocabs:
            if phrase in vocab.connectivity:
                add(out.connectivity, vocab.connectivity[phrase])
                return length
            if phrase in vocab.phrases:
                named, categories = vocab.phrases[phrase]
                for code in named:
                    if code in features():
                        add(out.features, code)
                for key in categories:
                    if known_categories is None or key in known_categories:
                        add(out.categories, key)
                return length
        if length == 1 and phrase[0] in blocked:
            continue
        for vocab in vocabs:
            if phrase in vocab.colours:
                add(out.colors, vocab.colours[phrase])
                return length
        if phrase in catalog_colours:
            family, code = catalog_colours[phrase]
            add(out.colors, family)
            out.color_names.setdefault(family, code)
            return length
    return 0


def colour_phrases(rows: Iterable[tuple[str, str, str]]) -> dict[tuple[str, ...], tuple[str, str]]:
    """The catalog's colour names as phrases: rows of (name, colour code, family)."""
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for name, code, family in rows:
        phrase = _phrase(name)
        if phrase and not all(w.isdigit() for w in phrase):
            out.setdefault(phrase, (family, code))
    return out
