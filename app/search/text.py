"""Text analysis shared by indexing and querying, identical for every backend.

The backends fold accents and case themselves (FTS5 ``remove_diacritics 2``, PostgreSQL
``unaccent``) and PostgreSQL stems; what they cannot do is understand model numbers. So documents
get extra *joined* tokens ("iPhone 13" also reads ``iphone13``, "Galaxy S22 Ultra" ``s22ultra`` and
``galaxys22ultra``), and a query token that glues a model number together is also tried split at
its letter/digit boundaries ("s22ultra" → "s22 ultra" as a phrase).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 200      # longer input is cut, not refused
MAX_QUERY_TOKENS = 8
MAX_TOKEN_CHARS = 40

_SPECIAL_FOLDS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "œ": "oe", "æ": "ae", "ı": "i", "’": "'"})
_WORD = re.compile(r"\w+", re.UNICODE)
_GLUED = re.compile(r"\w+(?:['\-./]\w+)+", re.UNICODE)   # de'longhi, wh-1000xm4, 22.110
_RUNS = re.compile(r"[a-z]+|[0-9]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"[0-9]")


def fold(text: str) -> str:
    """Lower case without accents: "Téléviseur Größe" → "televiseur grosse"."""
    text = text.casefold().translate(_SPECIAL_FOLDS)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Words of a text, case-folded, accents kept (the backends fold them): "Télé 4K" → ["télé", "4k"]."""
    return [w for w in _WORD.findall(text.casefold().translate(_SPECIAL_FOLDS)) if "_" not in w]


def folded_words(text: str) -> list[str]:
    """Words folded to plain ASCII letters and digits: "Télé 4K" → ["tele", "4k"]."""
    return _ASCII_WORD.findall(fold(text))


def has_digit(token: str) -> bool:
    return _DIGIT.search(token) is not None


def is_long_number(token: str) -> bool:
    """Catalogue and serial numbers ("9310", "12345") are never glued to their neighbours."""
    return len(token) >= 4 and token.isdigit()


def joined_tokens(text: str) -> list[str]:
    """The extra tokens a name is also found by.

    - words written with an apostrophe, hyphen, dot or slash, glued: "De'Longhi" → ``delonghi``,
      "WH-1000XM4" → ``wh1000xm4``;
    - each pair of neighbouring words: "MacBook Air" → ``macbookair``, "iPhone 13" → ``iphone13``;
    - each triple of neighbours holding a model number: "Galaxy S22 Ultra" → ``galaxys22ultra``.
    """
    out: list[str] = ["".join(folded_words(glued)) for glued in _GLUED.findall(text)]
    tokens = folded_words(text)
    long = [is_long_number(t) for t in tokens]
    digit = [has_digit(t) for t in tokens]
    for i in range(len(tokens) - 1):
        if not (long[i] or long[i + 1]):
            out.append(tokens[i] + tokens[i + 1])
            if i + 2 < len(tokens) and not long[i + 2] and (digit[i] or digit[i + 1] or digit[i + 2]):
                out.append(tokens[i] + tokens[i + 1] + tokens[i + 2])
    seen = set(tokens)
    return [t for t in dict.fromkeys(out) if t not in seen and len(t) <= MAX_TOKEN_CHARS]


def model_parts(text: str) -> list[str]:
    """The letters and digits of a name's model numbers apart: "Galaxy Watch6" → ``watch``, ``6``.

    They go in a document's details, not its name: "pixel 7" must find the Pixel 7a, but rank the
    Pixel 7 first.
    """
    parts = [part for token in folded_words(text) if has_digit(token) and not token.isdigit()
             for part in runs(token)]
    return list(dict.fromkeys(parts))


def runs(token: str) -> list[str]:
    """A token cut at its letter/digit boundaries: "s22ultra" → ["s", "22", "ultra"]."""
    return _RUNS.findall(token)


def splits(token: str) -> list[tuple[str, ...]]:
    """Ways to read a glued token as several words, each a phrase: "s22ultra" → ("s22", "ultra"), …

    Every way of cutting it at letter/digit boundaries into words of two characters or more,
    except not cutting at all; at most eight.
    """
    parts = runs(token)
    if len(parts) < 2 or len(parts) > 4:
        return []
    readings: list[tuple[str, ...]] = []
    for cuts in range(1, 2 ** (len(parts) - 1)):
        phrase, current = [], parts[0]
        for i, part in enumerate(parts[1:]):
            if cuts >> i & 1:
                phrase.append(current)
                current = part
            else:
                current += part
        phrase.append(current)
        if all(len(part) > 1 for part in phrase):    # "s 8" would read every "s" and "8" in the index
            readings.append(tuple(phrase))
    return readings


@dataclass(frozen=True)
class Term:
    """One word of a query: matches when any of its alternatives does.

    Each alternative is a phrase (one or more consecutive words). `prefix` lets the last word of
    the alternatives also match longer words: the word being typed in the search box ("ipho").
    """
    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False


@dataclass
class ParsedQuery:
    """A shopper's query once cleaned: the words kept, the words dropped, the corrections made."""
    raw: str
    tokens: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    rewrites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    last_is_prefix: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.tokens

    @property
    def corrected_text(self) -> str:
        return " ".join(self.tokens)

    def terms(self) -> list[Term]:
        """The query's words as backend-neutral terms, ANDed together."""
        out = []
        for index, token in enumerate(self.tokens):
            last = index == len(self.tokens) - 1
            rewrite = self.rewrites.get(token)
            alternatives: list[tuple[str, ...]] = [(token,)]
            if rewrite:
                alternatives.append(rewrite)
            alternatives.extend(splits(token))
            prefix = last and self.last_is_prefix
            out.append(Term(tuple(dict.fromkeys(alternatives)), prefix=prefix))
        return out


def query_tokens(raw: str) -> list[str]:
    """The words of raw input, bounded: long input is cut, over-long words dropped."""
    tokens = folded_words(raw[:MAX_QUERY_CHARS])
    return [t for t in tokens if len(t) <= MAX_TOKEN_CHARS][:MAX_QUERY_TOKENS]


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one), capped at `limit` + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def deletions(term: str) -> set[str]:
    """The term with one letter removed, every way: the keys of the spelling index (SymSpell)."""
    return {term[:i] + term[i + 1:] for i in range(len(term))} | {term}
