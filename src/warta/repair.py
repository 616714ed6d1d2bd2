"""Broken text repaired before anything reads it: mojibake, HTML entities, re-joined spacing.

Three kinds of damage reach Warta in text that is otherwise fine:

- mojibake, UTF-8 read as Windows-1252 or Mac Roman and written back (`Peopleâ€™s`,
  `Habert√ºrk`), and HTML entities left in extracted text (`&quot;`, `&amp;`): ftfy undoes
  both. Its other fixes are kept too, except that curly quotes stay curly (the quote finder
  reads both kinds). Mojibake that re-joining split with a space (`Peopleâ€ ™ s`) is closed
  up first, so that ftfy sees it whole;
- text re-joined from tokens, as IndoSum's is: `AS , kata`, `( Antara )`, `materi - materi`.
  A space before a closing mark or after an opening one is dropped, and a word repeated
  around ` - ` is one reduplicated word (`materi-materi`). Other ` - ` stay: between two
  different words it may be a dash (`Jakarta (ANTARA) - Presiden`), which the dateline
  reader needs, so only a hyphenated name that a data file knows (`Haber-Turk`) is joined.

ftfy runs only on a text with a character mojibake is made of (anything but ASCII, the usual
dashes, quotation marks and spaces) or an `&`: most Indonesian news has none, and ftfy costs
about as much as the cleaner. `warta.clean` repeats repair and normalisation until the text
holds still (ftfy reads `Â` and a space as a broken non-breaking space only once a tab has
become that space), so that cleaning a cleaned body changes nothing.
"""
from __future__ import annotations

import re
from functools import lru_cache

from warta.resources import news_sources
from warta.trie import alternation

_SPACE_BEFORE_CLOSING = re.compile(r"(?<=[\w)\]\u201d\"'%])[ \t]+(?=[,;:!?)\]]|\.(?:\s|$))")
_SPACE_AFTER_OPENING = re.compile(r"(?<=[(\[])[ \t]+")
# `â€` and the character that ends a Windows-1252 reading of U+2013..U+2122 (’ “ ” – — …).
_SPLIT_MOJIBAKE = re.compile("\u00e2\u20ac (?=[\u2122\u0153\u009d\u02dc\u201c\u201d\u00a6\u2018\u2019])")
_FTFY_WORTHY = re.compile("[^\x00-\x7f\u00a0\u2010-\u2027\u2032\u2033]|&")
_SPACED_APOSTROPHE = re.compile(r"(?<=\w)([\u2019']) (?=s\b)")
_REDUPLICATION = re.compile(r"\b(?P<word>[^\W\d_]{2,}) - (?P=word)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _fixer():
    import ftfy

    config = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)
    return lambda text: ftfy.fix_text(text, config)


@lru_cache(maxsize=1)
def _known_hyphenated() -> re.Pattern[str] | None:
    """`Haber - Turk` for every hyphenated name of `data/news_sources.tsv`."""
    names = {v for source in news_sources() for v in source.variants if re.search(r"\w-\w", v)}
    spaced = {re.sub(r"(?<=\w)-(?=\w)", " - ", name) for name in names}
    return re.compile(r"(?<![\w-])(?:" + alternation(spaced, ignore_case=True) + r")(?![\w-])") if spaced else None


def _join_reduplication(match: re.Match[str]) -> str:
    # The case as written: `Negara - negara` -> `Negara-negara`.
    return match.group(0).replace(" - ", "-")


def repair_text(text: str) -> str:
    """`text` with mojibake, entities and token spacing repaired (see the module docstring)."""
    if not text:
        return text
    if _FTFY_WORTHY.search(text):
        text = _fixer()(_SPLIT_MOJIBAKE.sub("\u00e2\u20ac", text))
    text = _SPACED_APOSTROPHE.sub(r"\1", text)
    text = _SPACE_BEFORE_CLOSING.sub("", text)
    text = _SPACE_AFTER_OPENING.sub("", text)
    text = _REDUPLICATION.sub(_join_reduplication, text)
    known = _known_hyphenated()
    if known is not None and " - " in text:
        text = known.sub(lambda match: match.group(0).replace(" - ", "-"), text)
    return text
